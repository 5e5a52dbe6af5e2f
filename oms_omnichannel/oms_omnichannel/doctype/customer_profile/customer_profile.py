# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate

from oms_omnichannel.core.customers import normalise_email, normalise_phone
from oms_omnichannel.utils import domain_errors


class CustomerProfile(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from oms_omnichannel.oms_omnichannel.doctype.customer_channel_identity.customer_channel_identity import (
			CustomerChannelIdentity,
		)

		address_line1: DF.Data | None
		address_line2: DF.Data | None
		average_order_value: DF.Currency
		average_rating: DF.Float
		channel_identities: DF.Table[CustomerChannelIdentity]
		churn_risk: DF.Literal["", "Low", "Medium", "High"]
		city: DF.Data | None
		country: DF.Link | None
		customer_since: DF.Date | None
		email: DF.Data | None
		first_channel: DF.Link | None
		first_order: DF.Date | None
		full_name: DF.Data
		insights_updated_on: DF.Datetime | None
		last_order: DF.Date | None
		lifetime_value: DF.Currency
		order_count: DF.Int
		phone: DF.Data | None
		postcode: DF.Data | None
		region: DF.Data | None
		return_rate: DF.Percent
		rfm_score: DF.Data | None
		rfm_segment: DF.Literal[
			"", "Champions", "Loyal", "New", "Potential", "At Risk", "Hibernating", "Lost"
		]

	# end: auto-generated types
	def validate(self):
		self.normalise_contact_details()
		self.validate_unique_email()
		self.validate_channel_identities()
		self.customer_since = self.customer_since or nowdate()

	def normalise_contact_details(self):
		self.full_name = (self.full_name or "").strip()
		with domain_errors():
			self.email = normalise_email(self.email)
			self.phone = normalise_phone(self.phone)

	def validate_unique_email(self):
		if not self.email or self.flags.email_checked:  # order intake looked it up for the batch
			return
		other = frappe.db.get_value("Customer Profile", {"email": self.email, "name": ("!=", self.name)})
		if other:
			frappe.throw(
				_("Email {0} already belongs to customer {1}").format(
					frappe.bold(self.email), frappe.bold(other)
				),
				frappe.DuplicateEntryError,
				title=_("Duplicate Customer"),
			)

	def validate_channel_identities(self):
		seen = set()
		for row in self.channel_identities:
			key = (row.sales_channel, row.channel_customer_id)
			if key in seen:
				frappe.throw(
					_("Row {0}: {1} on {2} is listed twice").format(
						row.idx, frappe.bold(row.channel_customer_id), row.sales_channel
					),
					title=_("Duplicate Channel Identity"),
				)
			seen.add(key)
			if not self.first_channel:
				self.first_channel = row.sales_channel


def on_doctype_update():
	frappe.db.add_index("Customer Channel Identity", ["sales_channel", "channel_customer_id"])
	frappe.db.add_index("Customer Profile", ["phone"])
