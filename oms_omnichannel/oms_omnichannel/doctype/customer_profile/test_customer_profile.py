# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_channel, make_customer, unique


class TestCustomerProfile(OMSTestCase):
	def test_email_and_phone_are_normalised(self):
		email = f"{unique('Anna').upper()}@Example.COM"
		customer = make_customer(email=f"  {email} ", phone="0049 (151) 1234-5678")
		self.assertEqual(customer.email, email.lower())
		self.assertEqual(customer.phone, "+4915112345678")
		self.assertTrue(customer.name.startswith("CUST-"))

	def test_second_profile_with_same_email_is_refused(self):
		customer = make_customer()
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already belongs to customer"):
			make_customer(email=customer.email.upper())

	def test_profiles_without_email_can_coexist(self):
		make_customer(email="", phone="+49 30 111111")
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

	def test_several_emails_and_phones_with_one_primary_each(self):
		email = f"{unique('p').lower()}@example.com"
		customer = frappe.get_doc(
			doctype="Customer Profile",
			full_name="Several Contacts",
			emails=[
				{"value": f" Other.{email}"},
				{"value": email.upper(), "is_primary": 1},
				{"value": "nope"},
			],
			phones=[{"value": "030 1234567"}, {"value": "12"}],
		).insert()
		self.assertEqual(customer.email, email)
		self.assertEqual([r.normalised for r in customer.emails], [f"other.{email}", email, None])
		self.assertEqual(
			[(r.is_valid, r.invalid_reason) for r in customer.emails][2], (0, "not a valid email address")
		)
		self.assertEqual(customer.emails[2].value, "nope")  # kept as given
		self.assertEqual(customer.phone, "+49301234567")  # no primary given: the first row
		self.assertEqual([r.is_primary for r in customer.phones], [1, 0])
		customer.emails[0].is_primary = 1
		with self.assertRaisesRegex(frappe.ValidationError, "only one row can be primary"):
			customer.save()

	def test_typing_the_email_makes_it_the_primary_row(self):
		customer = make_customer()
		new = f"{unique('q').lower()}@example.com"
		customer.email = new.upper()
		customer.save()
		self.assertEqual(customer.email, new)
		self.assertEqual([(r.normalised, r.is_primary) for r in customer.emails][-1], (new, 1))
		self.assertEqual(sum(r.is_primary for r in customer.emails), 1)

	def test_missing_name_is_refused(self):
		with self.assertRaises(frappe.MandatoryError):
			frappe.get_doc({"doctype": "Customer Profile", "email": "x@example.com"}).insert()
