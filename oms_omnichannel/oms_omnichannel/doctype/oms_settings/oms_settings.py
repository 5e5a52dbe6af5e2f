# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from oms_omnichannel.core.customers import check_phone_region
from oms_omnichannel.utils import domain_errors


class OMSSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allow_backorders: DF.Check
		allow_split_across_locations: DF.Check
		complaint_sla_hours: DF.Float
		default_currency: DF.Link
		default_delivery_method: DF.Link | None
		default_phone_region: DF.Data
		default_source_location: DF.Link | None
		fold_gmail_dots: DF.Check
		fold_plus_addressing: DF.Check
		hold_first_express_to_foreign_address: DF.Check
		hold_incomplete_addresses: DF.Check
		intake_async_threshold: DF.Int
		intake_batch_limit: DF.Int
		lock_retry_attempts: DF.Int
		low_stock_check_interval: DF.Int
		release_reservation_on_hold: DF.Check
		reservation_expiry_minutes: DF.Int
		return_approval_above: DF.Currency
		review_orders_above: DF.Currency
		road_distance_url: DF.Data | None
		route_solver_seconds: DF.Int
		route_vehicle_speed_kmh: DF.Float
		unpaid_hold_minutes: DF.Int
	# end: auto-generated types
	# The least each setting may be (0 where 0 switches a rule off, as the field descriptions say).
	MINIMUMS = {
		"reservation_expiry_minutes": 0,
		"low_stock_check_interval": 1,
		"lock_retry_attempts": 0,
		"unpaid_hold_minutes": 0,
		"intake_batch_limit": 1,
		"intake_async_threshold": 1,
		"route_vehicle_speed_kmh": 1,
		"route_solver_seconds": 1,
		"return_approval_above": 0,
		"review_orders_above": 0,
	}

	def validate(self):
		self.validate_minimums()
		self.validate_phone_region()

	def validate_phone_region(self):
		with domain_errors():
			self.default_phone_region = check_phone_region(self.default_phone_region)

	def validate_minimums(self):
		for fieldname, least in self.MINIMUMS.items():
			value = self.get(fieldname)
			if value is not None and value < least:
				frappe.throw(
					_("{0} must be at least {1}").format(_(self.meta.get_label(fieldname)), least),
					title=_("Invalid Setting"),
				)
