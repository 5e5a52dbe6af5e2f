"""Customer matching for order intake: one profile per person, found by channel identity, email
or phone, or created (once for every order of a batch from the same person)."""

from __future__ import annotations

import frappe

from oms_omnichannel.bulk import insert_new_documents
from oms_omnichannel.core import intake as intake_core


class CustomerDirectory:
	"""One profile per person: by channel identity, then email, then phone; else a new profile
	(one for every order of the batch from the same person)."""

	def __init__(self, channel: str, customers: list[intake_core.Customer], read):
		self.channel = channel
		ids = {c.channel_customer_id for c in customers if c.channel_customer_id}
		emails = {c.email for c in customers if c.email}
		phones = {c.phone for c in customers if c.phone}
		self.by_identity = dict(
			read(
				"SELECT `channel_customer_id`, `parent` FROM `tabCustomer Channel Identity` WHERE "
				"`parenttype`='Customer Profile' AND `sales_channel`=%s AND `channel_customer_id` IN %s",
				(channel, tuple(ids)),
			)
			if ids
			else []
		)
		self.by_email, self.by_phone = {}, {}
		if emails or phones:
			for name, email, phone in read(
				"SELECT `name`, `email`, `phone` FROM `tabCustomer Profile` "
				"WHERE `email` IN %(emails)s OR `phone` IN %(phones)s ORDER BY `creation`",
				{"emails": tuple(emails) or ("",), "phones": tuple(phones) or ("",)},
			):
				if email:
					self.by_email.setdefault(email, name)
				if phone:
					self.by_phone.setdefault(phone, name)
		self.new_profiles: list = []
		self.identities_to_add: set[tuple[str, str]] = set()

	def find_or_add(self, parsed: intake_core.IntakeOrder, country: str | None):
		"""The profile's name, or the new (not yet written) profile document."""
		customer = parsed.customer
		found = (
			self.by_identity.get(customer.channel_customer_id)
			or self.by_email.get(customer.email)
			or self.by_phone.get(customer.phone)
		)
		if found:
			if customer.channel_customer_id and customer.channel_customer_id not in self.by_identity:
				if isinstance(found, str):
					self.identities_to_add.add((found, customer.channel_customer_id))
				else:
					found.append(
						"channel_identities",
						{"sales_channel": self.channel, "channel_customer_id": customer.channel_customer_id},
					)
				self.by_identity[customer.channel_customer_id] = found
			return found
		if not (customer.email or customer.phone or customer.name):
			return None
		profile = frappe.get_doc(
			{
				"doctype": "Customer Profile",
				"full_name": customer.name or customer.email or customer.phone,
				"email": customer.email,
				"phone": customer.phone,
				"address_line1": parsed.shipping.line1,
				"city": parsed.shipping.city,
				"postcode": parsed.shipping.postcode,
				"country": country,
				"first_channel": self.channel,
				"channel_identities": [
					{"sales_channel": self.channel, "channel_customer_id": customer.channel_customer_id}
				]
				if customer.channel_customer_id
				else [],
			}
		)
		# A flag, because the controller's validate takes no arguments: the email was looked up
		# above for the whole batch, so validate skips its own lookup (the unique index settles a race).
		profile.flags.email_checked = True
		profile.run_method("validate")
		self.new_profiles.append(profile)
		for index, value in ((self.by_identity, customer.channel_customer_id), (self.by_email, customer.email),
			(self.by_phone, customer.phone)):  # fmt: skip
			if value:
				index[value] = profile
		return profile

	def write(self) -> None:
		insert_new_documents(self.new_profiles)
		for profile, channel_customer_id in sorted(self.identities_to_add):
			add_identity(profile, self.channel, channel_customer_id)


def add_identity(profile: str, channel: str, channel_customer_id: str) -> None:
	doc = frappe.get_doc("Customer Profile", profile)
	if any(
		r.sales_channel == channel and r.channel_customer_id == channel_customer_id
		for r in doc.channel_identities
	):
		return
	doc.append("channel_identities", {"sales_channel": channel, "channel_customer_id": channel_customer_id})
	doc.save(ignore_permissions=True)
