# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_channel, make_customer, unique


class TestCustomerProfile(OMSTestCase):
	def test_email_and_phone_are_normalised(self):
		email = f"{unique('Anna').upper()}@Example.COM"
		customer = make_customer(email=f"  {email} ", phone="0049 (151) 123-4567")
		self.assertEqual(customer.email, email.lower())
		self.assertEqual(customer.phone, "+491511234567")
		self.assertTrue(customer.name.startswith("CUST-"))

	def test_second_profile_with_same_email_is_refused(self):
		customer = make_customer()
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already belongs to customer"):
			make_customer(email=customer.email.upper())

	def test_profiles_without_email_can_coexist(self):
		make_customer(email="", phone="+4930111111")
		make_customer(email="", phone="+4930222222")

	def test_invalid_email_is_refused_naming_it(self):
		with self.assertRaisesRegex(frappe.ValidationError, "not a valid email"):
			make_customer(email="not-an-email")

	def test_first_channel_comes_from_identities_and_duplicates_refused(self):
		channel = make_channel().name
		customer = make_customer(channel_identities=[{"sales_channel": channel, "channel_customer_id": "C1"}])
		self.assertEqual(customer.first_channel, channel)
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			make_customer(
				channel_identities=[
					{"sales_channel": channel, "channel_customer_id": "C2"},
					{"sales_channel": channel, "channel_customer_id": "C2"},
				]
			)

	def test_missing_name_is_refused(self):
		with self.assertRaises(frappe.MandatoryError):
			frappe.get_doc({"doctype": "Customer Profile", "email": "x@example.com"}).insert()
