# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Erasure on request: Customer Service asks, an OMS Manager approves, and afterwards no table or
column of the site's database holds the person's email, phone, name or street, while their
orders stay for accounting. Frappe's Personal Data Deletion Request reaches the same place."""

import random
from unittest.mock import patch

import frappe
from frappe.website.doctype.personal_data_deletion_request.personal_data_deletion_request import (
	PersonalDataDeletionRequest,
)

from oms_omnichannel.channels import intake
from oms_omnichannel.customers import erasure, merge
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	berlin_number,
	make_channel,
	make_item,
	make_location,
	make_user,
	setup_three_channels,
	unique,
)

CUSTOMER_SERVICE = "erasure-cs@example.com"
MANAGER = "erasure-manager@example.com"


def rows_mentioning(term: str) -> dict[str, int]:
	"""Every table and text column of the site's database (keys included) that holds `term`."""
	columns: dict[str, list[str]] = {}
	for table, column in frappe.db.sql(
		"""SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = %s AND data_type IN
			('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'json')""",
		frappe.conf.db_name,
	):
		columns.setdefault(table, []).append(column)
	found = {}
	pattern = f"%{term}%"
	for table, names in columns.items():
		for column in names:
			count = frappe.db.sql(f"SELECT COUNT(*) FROM `{table}` WHERE `{column}` LIKE %s", pattern)[0][0]
			if count:
				found[f"{table}.{column}"] = count
	return found


class TestCustomerErasure(OMSTestCase):
	def setUp(self):
		make_user(CUSTOMER_SERVICE, ("Customer Service",))
		make_user(MANAGER, ("OMS Manager",))
		setup_three_channels(self)
		self.name = unique("Erika Vergessen")
		self.street = unique("Loeschweg") + " 7"
		self.email = f"{unique('erika').lower()}@example.com"
		self.national, self.e164 = berlin_number()
		self.digits = self.e164[len("+4930") :]

	def tearDown(self):
		frappe.set_user("Administrator")

	def ingest(self, channel, customer, sku=None):
		return intake.ingest(
			{
				"channel": channel,
				"order": {
					"channel_order_id": unique("ER"),
					"customer": {"name": self.name, **customer},
					"shipping_address": {
						"line1": self.street,
						"city": "Berlin",
						"postcode": "10435",
						"phone": self.national,
					},
					"notes": f"Ring twice, {self.name} works nights; call {self.e164}",
					"lines": [{"sku": sku or self.item, "qty": 1, "price": 10}],
					"payment_status": "Paid",
				},
			}
		)["results"][0]

	def person_through_three_channels(self) -> tuple[str, list[str]]:
		web = self.ingest(self.web, {"email": self.email, "phone": self.e164})
		marketplace = self.ingest(
			self.marketplace, {"email": self.email.upper(), "channel_customer_id": "MP-ER-1"}
		)
		store = self.ingest(self.store, {"phone": self.national})
		orders = [web["order"], marketplace["order"], store["order"]]
		profile = frappe.db.get_value("OMS Order", orders[0], "customer")
		self.assertEqual({frappe.db.get_value("OMS Order", o, "customer") for o in orders}, {profile})
		# the same person's data in the places it gets copied to
		self.ingest(self.web, {"email": self.email}, sku=unique("NO-SUCH-SKU"))  # a rejected order
		frappe.get_doc("OMS Order", orders[0]).add_comment("Comment", f"Customer {self.email} called")
		frappe.log_error(
			"Carrier refused", f"label for {self.name}, {self.street}, {self.national}, {self.email}"
		)
		feedback = frappe.get_doc(
			{
				"doctype": "Customer Feedback",
				"feedback_type": "Complaint",
				"complaint_category": "Late Delivery",
				"rating": 2,
				"customer": profile,
				"sales_channel": self.web,
				"order": orders[0],
				"description": f"{self.name} says: call me on {self.national} or write to {self.email}",
			}
		).insert()
		doc = frappe.get_doc("Customer Profile", profile)
		doc.address_line1 = self.street
		doc.save()  # a Version with the street and the person's contacts
		return profile, orders, feedback.name

	def erase(self, profile: str) -> None:
		frappe.set_user(CUSTOMER_SERVICE)
		erasure.request_erasure(profile, reason="Customer asked by email")
		frappe.set_user(MANAGER)
		erasure.approve_erasure(profile)
		frappe.set_user("Administrator")

	def test_after_anonymisation_no_table_holds_the_person(self):
		profile, orders, feedback = self.person_through_three_channels()
		# a second profile of the same person, merged into the first: erased with it
		other = self.ingest(self.web, {"email": f"second.{self.email}"})
		second = frappe.db.get_value("OMS Order", other["order"], "customer")
		merge.merge_profiles(second, profile)
		totals = {
			o: frappe.db.get_value("OMS Order", o, ["grand_total", "status", "customer"]) for o in orders
		}
		for term in (self.email, self.e164, self.national, self.name, self.street, f"second.{self.email}"):
			self.assertTrue(rows_mentioning(term), term)  # the scenario did spread it

		self.erase(profile)

		for term in (self.email, self.e164, self.national, self.name, self.street, f"second.{self.email}"):
			self.assertEqual(rows_mentioning(term), {}, term)
		self.assertEqual(rows_mentioning(f"+49 30 {self.digits}"), {})
		# orders stay for accounting, still the (anonymised) customer's
		for order, values in totals.items():
			self.assertEqual(
				frappe.db.get_value("OMS Order", order, ["grand_total", "status", "customer"]), values
			)
		doc = frappe.get_doc("Customer Profile", profile)
		self.assertEqual(
			(doc.status, doc.erasure_status, doc.full_name),
			("Anonymised", "Anonymised", erasure.ANONYMISED_NAME),
		)
		self.assertEqual((doc.emails, doc.phones, doc.channel_identities), ([], [], []))
		self.assertEqual(doc.erasure_requested_by, CUSTOMER_SERVICE)
		self.assertEqual(doc.erasure_approved_by, MANAGER)
		self.assertEqual(frappe.db.get_value("Customer Profile", second, "status"), "Anonymised")
		self.assertEqual(frappe.db.get_value("Customer Feedback", feedback, "rating"), 2)
		# the person comes back: a new profile, not the anonymised one
		again = self.ingest(self.web, {"email": self.email})
		self.assertNotIn(frappe.db.get_value("OMS Order", again["order"], "customer"), (profile, second))

	def test_anonymising_twice_and_merging_an_anonymised_profile_are_refused(self):
		profile, _orders, _feedback = self.person_through_three_channels()
		self.erase(profile)
		modified = frappe.db.get_value("Customer Profile", profile, "modified")
		for call in (
			lambda: erasure.request_erasure(profile),
			lambda: erasure.approve_erasure(profile),
			lambda: erasure.anonymise_profile(profile),
		):
			with self.assertRaisesRegex(frappe.ValidationError, "erasure_status: .* anonymised"):
				call()
		other = frappe.db.get_value(
			"OMS Order", self.ingest(self.web, {"email": f"x{self.email}"})["order"], "customer"
		)
		with self.assertRaisesRegex(frappe.ValidationError, "into: .* is anonymised"):
			merge.merge_profiles(other, profile)
		doc = frappe.get_doc("Customer Profile", profile)
		doc.append("emails", {"value": self.email})
		with self.assertRaisesRegex(frappe.ValidationError, "emails: .* anonymised"):
			doc.save()
		self.assertEqual(frappe.db.get_value("Customer Profile", profile, "modified"), modified)

	def test_only_managers_approve_and_a_request_waits_for_them(self):
		profile, orders, _feedback = self.person_through_three_channels()
		frappe.set_user(CUSTOMER_SERVICE)
		with self.assertRaises(frappe.PermissionError):
			erasure.approve_erasure(profile)
		with self.assertRaisesRegex(frappe.ValidationError, "erasure_status: no erasure"):
			frappe.set_user(MANAGER)
			erasure.approve_erasure(profile)
		frappe.set_user(CUSTOMER_SERVICE)
		erasure.request_erasure(profile)
		with self.assertRaisesRegex(frappe.ValidationError, "erasure_status: .* requested already"):
			erasure.request_erasure(profile)
		with self.assertRaises(frappe.PermissionError):
			erasure.approve_erasure(profile)
		self.assertEqual(frappe.db.get_value("Customer Profile", profile, "email"), self.email)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": MANAGER, "document_type": "Customer Profile", "document_name": profile},
			)
		)
		frappe.set_user(MANAGER)
		with self.assertRaisesRegex(frappe.ValidationError, "reason"):
			erasure.reject_erasure(profile, reason=" ")
		erasure.reject_erasure(profile, reason="Open dispute about an order")
		self.assertEqual(frappe.db.get_value("Customer Profile", profile, "erasure_status"), "")
		self.assertEqual(frappe.db.get_value("OMS Order", orders[0], "shipping_address_line1"), self.street)

	@patch.object(PersonalDataDeletionRequest, "send_verification_mail")  # no mail server here
	@patch.object(PersonalDataDeletionRequest, "notify_user_after_deletion")
	def test_a_personal_data_deletion_request_anonymises_the_profile(self, *_mails):
		user = make_user(self.email)
		profile, _orders, _feedback = self.person_through_three_channels()
		request = frappe.get_doc({"doctype": "Personal Data Deletion Request", "email": self.email}).insert(
			ignore_permissions=True
		)
		request.db_set("status", "Pending Approval")  # the person confirmed by email
		self.assertEqual(frappe.db.get_value("Customer Profile", profile, "erasure_status"), "Requested")
		request.reload()
		request.trigger_data_deletion()
		self.assertEqual(frappe.db.get_value("Customer Profile", profile, "erasure_status"), "Anonymised")
		self.assertEqual(
			frappe.db.get_value("Personal Data Deletion Request", request.name, "status"), "Deleted"
		)
		self.assertFalse(frappe.db.exists("User", user))
		steps = {
			row.document_type
			for row in frappe.get_doc("Personal Data Deletion Request", request.name).deletion_steps
		}
		self.assertIn("Customer Profile", steps)
		self.assertEqual(rows_mentioning(self.e164), {})
