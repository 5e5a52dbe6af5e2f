# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from oms_omnichannel.channels.connectors import webhook_url
from oms_omnichannel.core.connectors import GENERIC
from oms_omnichannel.core.customers import check_phone_region
from oms_omnichannel.utils import domain_errors

PHYSICAL_STORE = "Physical Store"


class SalesChannel(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from oms_omnichannel.oms_omnichannel.doctype.sales_channel_location.sales_channel_location import (
			SalesChannelLocation,
		)

		access_token: DF.Password | None
		atp_allocation_percent: DF.Percent
		atp_buffer_qty: DF.Float
		channel_name: DF.Data
		channel_type: DF.Literal[
			"Online Store", "Marketplace", "Physical Store", "Social Media", "Phone", "Other"
		]
		contact_email: DF.Data | None
		contact_name: DF.Data | None
		contact_phone: DF.Data | None
		currency: DF.Link
		default_phone_region: DF.Data | None
		fulfilment_locations: DF.Table[SalesChannelLocation]
		is_active: DF.Check
		notes: DF.SmallText | None
		platform: DF.Literal["Generic API", "Shopify", "WooCommerce"]
		platform_api_key: DF.Data | None
		platform_base_url: DF.Data | None
		platform_location_id: DF.Data | None
		shared_secret: DF.Password | None
		store_location: DF.Link | None
		website: DF.Data | None

	# end: auto-generated types
	def onload(self):
		self.set_onload("webhook_url", webhook_url(self.platform, self.name) if not self.is_new() else None)

	def validate(self):
		self.validate_platform()
		self.validate_store_location()
		self.validate_fulfilment_locations()
		self.validate_allocation()
		self.validate_phone_region()

	def validate_platform(self):
		self.platform = self.platform or GENERIC
		if self.platform == GENERIC:
			return
		url = (self.platform_base_url or "").strip().rstrip("/")
		if not url.startswith(("https://", "http://")):
			frappe.throw(
				_("Platform Base URL must start with https:// (the {0} store's address), not {1}").format(
					self.platform, frappe.bold(url or _("empty"))
				),
				frappe.MandatoryError if not url else frappe.ValidationError,
				title=_("Invalid Platform Base URL"),
			)
		self.platform_base_url = url

	def validate_phone_region(self):
		with domain_errors():
			self.default_phone_region = check_phone_region(self.default_phone_region)

	def validate_store_location(self):
		if self.channel_type == PHYSICAL_STORE and not self.store_location:
			frappe.throw(
				_("Store Location is required for a Physical Store channel"),
				frappe.MandatoryError,
				title=_("Missing Store Location"),
			)

	def validate_fulfilment_locations(self):
		seen = set()
		for row in self.fulfilment_locations:
			if row.location in seen:
				frappe.throw(
					_("Row {0}: Location {1} is listed twice in Ships From").format(
						row.idx, frappe.bold(row.location)
					),
					title=_("Duplicate Location"),
				)
			seen.add(row.location)

	def validate_allocation(self):
		if self.atp_allocation_percent is None or self.atp_allocation_percent == "":
			self.atp_allocation_percent = 100
		if not 0 <= self.atp_allocation_percent <= 100:
			frappe.throw(
				_("Allocation (%) must be between 0 and 100, not {0}").format(self.atp_allocation_percent),
				title=_("Invalid Allocation"),
			)

	def get_fulfilment_locations(self) -> list[str]:
		"""Locations that may ship this channel's orders, best first."""
		if self.fulfilment_locations:
			rows = sorted(self.fulfilment_locations, key=lambda row: (row.priority or 0, row.idx))
			return [row.location for row in rows]
		return frappe.get_all(
			"Stock Location",
			filters={"disabled": 0, "can_ship": 1},
			order_by="priority asc, name asc",
			pluck="name",
		)
