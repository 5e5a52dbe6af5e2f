# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate

from oms_omnichannel.core.customers import normalise_email, normalise_phone, read_email, read_phone
from oms_omnichannel.customers.identity import contact_row, email_rules, phone_region
from oms_omnichannel.naming import name_from_sequence
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
		from oms_omnichannel.oms_omnichannel.doctype.customer_merge_log.customer_merge_log import (
			CustomerMergeLog,
		)
		from oms_omnichannel.oms_omnichannel.doctype.customer_profile_email.customer_profile_email import (
			CustomerProfileEmail,
		)
		from oms_omnichannel.oms_omnichannel.doctype.customer_profile_phone.customer_profile_phone import (
			CustomerProfilePhone,
		)

		address_line1: DF.Data | None
		address_line2: DF.Data | None
		anonymised_on: DF.Datetime | None
		average_order_value: DF.Currency
		average_rating: DF.Float
		channel_identities: DF.Table[CustomerChannelIdentity]
		churn_risk: DF.Literal["", "Low", "Medium", "High"]
		city: DF.Data | None
		country: DF.Link | None
		customer_since: DF.Date | None
		email: DF.Data | None
		emails: DF.Table[CustomerProfileEmail]
		erasure_approved_by: DF.Link | None
		erasure_requested_by: DF.Link | None
		erasure_requested_on: DF.Datetime | None
		erasure_status: DF.Literal["", "Requested", "Approved", "Anonymised"]
		favourite_categories: DF.SmallText | None
		first_channel: DF.Link | None
		first_order: DF.Date | None
		full_name: DF.Data
		insights_updated_on: DF.Datetime | None
		last_order: DF.Date | None
		lifetime_value: DF.Currency
		merge_log: DF.Table[CustomerMergeLog]
		merged_into: DF.Link | None
		order_count: DF.Int
		phone: DF.Data | None
		phones: DF.Table[CustomerProfilePhone]
		postcode: DF.Data | None
		preferences_locked: DF.Check
		preferred_channel: DF.Link | None
		preferred_delivery_method: DF.Link | None
		preferred_store: DF.Link | None
		region: DF.Data | None
		return_rate: DF.Percent
		rfm_score: DF.Data | None
		rfm_segment: DF.Literal[
			"", "Champions", "Loyal", "New", "Potential", "At Risk", "Hibernating", "Lost"
		]
		status: DF.Literal["Active", "Merged", "Anonymised"]

	# end: auto-generated types
	def autoname(self):
		name_from_sequence([self])  # CUST-00042, without locking a naming series row to the commit

	def validate(self):
		self.full_name = (self.full_name or "").strip()
		self.validate_not_anonymised()
		self.sync_contacts("emails", "email", self.read_email)
		self.sync_contacts("phones", "phone", self.read_phone)
		self.validate_unique_email()
		self.validate_channel_identities()
		self.validate_merge_pointer()
		self.customer_since = self.customer_since or nowdate()

	def read_email(self, raw):
		return read_email(raw, email_rules())

	def read_phone(self, raw):
		return read_phone(raw, phone_region(self.first_channel))

	def sync_contacts(self, table: str, field: str, read) -> None:
		"""Rows in normal form and flagged; exactly one primary; `field` shows the primary's normal
		form. A value typed into `field` itself becomes the primary row (refused when invalid)."""
		rows = self.get(table)
		typed = (self.get(field) or "").strip()
		if typed and (self.has_value_changed(field) or not rows):
			contact = read(typed)
			if not contact.is_valid and self.has_value_changed(field):
				with domain_errors():
					(normalise_email if field == "email" else normalise_phone)(typed, *self.rules_for(field))
			row = next((r for r in rows if contact.normalised and r.normalised == contact.normalised), None)
			row = row or self.append(table, contact_row(contact))
			for other in self.get(table):
				other.is_primary = int(other is row)
		seen = {}
		for row in self.get(table):
			contact = read(row.value)
			if not contact:
				frappe.throw(_("{0} row {1}: a value is required").format(_(table.title()), row.idx))
			row.value = contact.raw
			row.normalised, row.is_valid = contact.normalised, int(contact.is_valid)
			row.invalid_reason = contact.invalid_reason or None
			key = contact.normalised or contact.raw
			if key in seen:
				frappe.throw(
					_("{0} rows {1} and {2}: {3} is listed twice").format(
						_(table.title()), seen[key], row.idx, frappe.bold(key)
					),
					title=_("Duplicate Contact"),
				)
			seen[key] = row.idx
		primaries = [row for row in self.get(table) if row.is_primary]
		if len(primaries) > 1:
			frappe.throw(
				_("{0}: only one row can be primary, not rows {1}").format(
					_(table.title()), ", ".join(str(row.idx) for row in primaries)
				),
				title=_("Several Primary Contacts"),
			)
		if self.get(table) and not primaries:
			self.get(table)[0].is_primary = 1
			primaries = [self.get(table)[0]]
		self.set(field, primaries[0].normalised if primaries and primaries[0].is_valid else None)

	def rules_for(self, field: str) -> tuple:
		return (email_rules(),) if field == "email" else (phone_region(self.first_channel),)

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

	def validate_not_anonymised(self):
		"""An anonymised profile takes no personal data again (a new order makes a new profile)."""
		if self.erasure_status != "Anonymised":
			return
		for field in ("full_name", "email", "phone", "address_line1", "address_line2", "postcode"):
			if self.has_value_changed(field) and self.get(field):
				frappe.throw(
					_("{0}: {1} is anonymised and takes no personal data").format(
						field, frappe.bold(self.name)
					),
					title=_("Anonymised Profile"),
				)
		for table in ("emails", "phones", "channel_identities"):
			if self.get(table):
				frappe.throw(
					_("{0}: {1} is anonymised and takes no personal data").format(
						table, frappe.bold(self.name)
					),
					title=_("Anonymised Profile"),
				)

	def validate_merge_pointer(self):
		if self.erasure_status == "Anonymised":
			self.status = "Anonymised"
			return
		self.status = "Merged" if self.merged_into else "Active"
		if self.merged_into and self.merged_into == self.name:
			frappe.throw(_("merged_into: a profile cannot point at itself"), title=_("Invalid Merge"))


def on_doctype_update():
	frappe.db.add_index("Customer Channel Identity", ["sales_channel", "channel_customer_id"])
	frappe.db.add_index("Customer Profile", ["phone"])
