# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""One profile per person across channels: intake matches by identity, email and phone in normal
form; conflicting evidence raises a merge suggestion; merge and unmerge move and restore every link."""

import random

import frappe
from frappe.tests.utils import change_settings

from oms_omnichannel.channels import intake
from oms_omnichannel.customers import merge
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	berlin_number,
	make_category,
	make_channel,
	make_customer,
	make_item,
	make_location,
	make_order,
	setup_three_channels,
	unique,
)


class TestCustomerIdentity(OMSTestCase):
	def setUp(self):
		setup_three_channels(self)

	def ingest(self, channel, customer, **values):
		result = intake.ingest(
			{
				"channel": channel,
				"order": {
					"channel_order_id": unique("ID"),
					"customer": {"name": "Anna Example", **customer},
					"shipping_address": {"line1": "Kastanienallee 1", "city": "Berlin", "postcode": "10435"},
					"lines": [{"sku": self.item, "qty": 1, "price": 10}],
					"payment_status": "Paid",
					**values,
				},
			}
		)["results"][0]
		self.assertEqual(result["outcome"], "Created", result)
		return frappe.get_doc("OMS Order", result["order"])

	def test_one_person_through_three_channels_is_one_profile(self):
		email = f"{unique('anna').lower()}@example.com"
		national, e164 = berlin_number()
		web = self.ingest(self.web, {"email": email, "phone": e164.replace("+49", "+49 ")})
		marketplace = self.ingest(
			self.marketplace, {"email": f" {email.upper()} ", "channel_customer_id": "MP-77"}
		)
		store = self.ingest(self.store, {"phone": national})
		again = self.ingest(self.marketplace, {"channel_customer_id": "MP-77"})
		profile = web.customer
		self.assertTrue(profile)
		self.assertEqual([marketplace.customer, store.customer, again.customer], [profile] * 3)
		self.assertEqual(
			[(o.customer_match, o.customer_match_confidence) for o in (web, marketplace, store, again)],
			[
				("New profile", 0),
				(f"Email {email}", 0.9),
				(f"Phone {e164}", 0.8),
				(f"Channel Identity {self.marketplace}: MP-77", 1.0),
			],
		)
		doc = frappe.get_doc("Customer Profile", profile)
		self.assertEqual((doc.email, doc.phone), (email, e164))
		identity = doc.channel_identities[0]
		self.assertEqual((identity.sales_channel, identity.channel_customer_id), (self.marketplace, "MP-77"))
		self.assertTrue(identity.first_seen and identity.last_seen >= identity.first_seen)
		self.assertEqual(doc.preferred_channel, self.marketplace)  # two of four orders

	def test_an_invalid_email_is_kept_flagged_and_never_matched(self):
		first = self.ingest(self.web, {"email": "anna-at-example"})
		second = self.ingest(self.web, {"email": "anna-at-example"})
		self.assertNotEqual(first.customer, second.customer)
		row = frappe.get_doc("Customer Profile", first.customer).emails[0]
		self.assertEqual((row.value, row.is_valid, row.normalised), ("anna-at-example", 0, None))

	def test_plus_addresses_match_only_when_the_setting_says_so(self):
		base = unique("plus").lower()
		first = self.ingest(self.web, {"email": f"{base}@example.com"})
		self.assertNotEqual(
			self.ingest(self.web, {"email": f"{base}+shop@example.com"}).customer, first.customer
		)
		with change_settings("OMS Settings", {"fold_plus_addressing": 1}):
			self.assertEqual(
				self.ingest(self.web, {"email": f"{base}+news@example.com"}).customer, first.customer
			)

	def test_locked_preferences_are_not_derived_again(self):
		email = f"{unique('pref').lower()}@example.com"
		order = self.ingest(self.web, {"email": email})
		profile = frappe.get_doc("Customer Profile", order.customer)
		self.assertEqual(profile.preferred_channel, self.web)
		profile.preferred_channel = self.store
		profile.preferences_locked = 1
		profile.save()
		self.ingest(self.web, {"email": email})
		self.assertEqual(
			frappe.db.get_value("Customer Profile", profile.name, "preferred_channel"), self.store
		)

	def test_a_new_customers_preferences_from_its_first_batch_are_what_its_history_gives(self):
		"""Intake sets a new profile's preferences from the orders in hand (no query): they must be
		what deriving them from the stored orders gives."""
		from oms_omnichannel.customers.preferences import FIELDS, derive_preferences

		shoes = make_item(category=make_category("Shoes")).name
		email = f"{unique('batch').lower()}@example.com"

		def order(lines, when):
			return {
				"channel_order_id": unique("ID"),
				"ordered_at": when,
				"customer": {"name": "Bea Batch", "email": email},
				"shipping_address": {"line1": "Kastanienallee 1", "city": "Berlin", "postcode": "10435"},
				"lines": [{"sku": sku, "qty": 1, "price": 10} for sku in lines],
				"payment_status": "Paid",
			}

		# sent out of date order: the history is read by order date, in memory as from the table
		result = intake.ingest(
			{
				"channel": self.web,
				"orders": [
					order([shoes], "2026-03-03T10:00:00"),
					order([self.item], "2026-03-01T10:00:00"),
					order([shoes, self.item], "2026-03-02T10:00:00"),
				],
			}
		)
		self.assertEqual(result["summary"]["created"], 3, result)
		profile = frappe.get_doc("OMS Order", result["results"][0]["order"]).customer
		stored = frappe.db.get_value("Customer Profile", profile, list(FIELDS), as_dict=True)
		self.assertEqual(dict(stored), derive_preferences([profile])[profile])
		self.assertEqual(stored.preferred_channel, self.web)
		self.assertEqual(stored.favourite_categories.split("\n")[0], "Shoes")

	def test_the_profile_connections_point_at_fields_that_exist(self):
		from oms_omnichannel.oms_omnichannel.doctype.customer_profile.customer_profile_dashboard import (
			get_data,
		)

		data = get_data()
		for group in data["transactions"]:
			for doctype in group["items"]:
				fieldname = data["non_standard_fieldnames"].get(doctype, data["fieldname"])
				self.assertEqual(frappe.get_meta(doctype).get_field(fieldname).options, "Customer Profile")

	def test_conflicting_evidence_raises_a_suggestion_instead_of_merging(self):
		national, e164 = berlin_number()
		by_email = make_customer()
		by_phone = make_customer(phone=e164)
		order = self.ingest(self.store, {"email": by_email.email, "phone": national})
		self.assertEqual(order.customer, by_email.name)  # email outranks phone
		suggestion = frappe.get_all(
			"Customer Merge Suggestion",
			filters={"order": order.name},
			fields=["profile", "other_profile", "status", "channel", "evidence"],
		)
		self.assertEqual(len(suggestion), 1)
		self.assertEqual(
			(suggestion[0].profile, suggestion[0].other_profile, suggestion[0].status, suggestion[0].channel),
			(by_email.name, by_phone.name, "Open", self.store),
		)
		self.assertEqual(suggestion[0].evidence, f"Phone: {e164}")
		for name in (by_email.name, by_phone.name):
			self.assertEqual(frappe.db.get_value("Customer Profile", name, "status"), "Active")
		# the same evidence again: no second open suggestion for the pair
		self.ingest(self.store, {"email": by_email.email, "phone": national})
		self.assertEqual(
			frappe.db.count(
				"Customer Merge Suggestion",
				{"profile": by_email.name, "other_profile": by_phone.name, "status": "Open"},
			),
			1,
		)

	def test_merge_then_unmerge_restores_every_link(self):
		_national, e164 = berlin_number()
		survivor = make_customer(
			channel_identities=[{"sales_channel": self.web, "channel_customer_id": unique("W")}]
		)
		other = make_customer(
			phone=e164,
			address_line1="Torstraße 5",
			city="Berlin",
			channel_identities=[{"sales_channel": self.marketplace, "channel_customer_id": unique("M")}],
		)
		orders = [
			make_order(self.web, [{"item": self.item, "qty": 1, "rate": 5}], customer=other.name)
			for _ in range(2)
		]
		before = self.snapshot(survivor.name, other.name, orders)

		result = merge.merge_profiles(other.name, survivor.name)
		self.assertGreater(result["changes"], 0)
		merged, kept = (
			frappe.get_doc("Customer Profile", other.name),
			frappe.get_doc("Customer Profile", survivor.name),
		)
		self.assertEqual((merged.status, merged.merged_into), ("Merged", survivor.name))
		self.assertEqual(
			[frappe.db.get_value("OMS Order", o.name, "customer") for o in orders], [survivor.name] * 2
		)
		self.assertEqual(len(kept.channel_identities), 2)
		self.assertEqual(kept.email, survivor.email)  # the survivor's primary stays primary
		self.assertEqual(
			sorted((r.normalised, r.is_primary) for r in kept.emails),
			sorted([(survivor.email, 1), (other.email, 0)]),
		)
		self.assertEqual([r.normalised for r in kept.phones], [e164])
		self.assertEqual((kept.address_line1, kept.city), ("Torstraße 5", "Berlin"))
		self.assertEqual((merged.emails, merged.phones, merged.channel_identities), ([], [], []))

		merge.unmerge_profile(other.name)
		self.assertEqual(self.snapshot(survivor.name, other.name, orders), before)
		self.assertEqual(frappe.db.get_value("Customer Profile", other.name, "status"), "Active")

	def snapshot(self, *profiles_and_orders):
		*profiles, orders = profiles_and_orders
		state = {}
		for name in profiles:
			doc = frappe.get_doc("Customer Profile", name)
			state[name] = (
				doc.email,
				doc.phone,
				doc.status,
				doc.merged_into,
				doc.address_line1,
				doc.city,
				[(r.name, r.idx, r.normalised, r.is_primary) for r in doc.emails],
				[(r.name, r.idx, r.normalised, r.is_primary) for r in doc.phones],
				[(r.name, r.idx, r.channel_customer_id) for r in doc.channel_identities],
			)
		state["orders"] = [frappe.db.get_value("OMS Order", o.name, "customer") for o in orders]
		return state

	def test_bad_merges_are_refused_with_nothing_written(self):
		a, b, c = make_customer(), make_customer(), make_customer()
		with self.assertRaisesRegex(frappe.ValidationError, "into: .* cannot be merged into itself"):
			merge.merge_profiles(a.name, a.name)
		with self.assertRaisesRegex(frappe.ValidationError, "merged_into: .* was not merged"):
			merge.unmerge_profile(a.name)
		merge.merge_profiles(b.name, a.name)
		modified = {
			n: frappe.db.get_value("Customer Profile", n, "modified") for n in (a.name, b.name, c.name)
		}
		with self.assertRaisesRegex(frappe.ValidationError, "profile: .* is already merged into"):
			merge.merge_profiles(b.name, c.name)
		with self.assertRaisesRegex(frappe.ValidationError, "into: .* is already merged into"):
			merge.merge_profiles(c.name, b.name)
		self.assertEqual(
			{n: frappe.db.get_value("Customer Profile", n, "modified") for n in (a.name, b.name, c.name)},
			modified,
		)
		self.assertEqual(frappe.db.get_value("Customer Profile", c.name, "merged_into"), None)

	def test_only_customer_service_and_managers_merge(self):
		from oms_omnichannel.tests.utils import make_user

		a, b = make_customer(), make_customer()
		frappe.set_user(make_user("oms.identity.analyst@example.com", ("OMS Analyst",)))
		try:
			with self.assertRaises(frappe.PermissionError):
				merge.merge(a.name, b.name)
		finally:
			frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value("Customer Profile", a.name, "merged_into"))
