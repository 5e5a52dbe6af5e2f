# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.customers import merge
from oms_omnichannel.tests.utils import OMSTestCase, make_customer


class TestCustomerMergeSuggestion(OMSTestCase):
	def suggestion(self, **values):
		return frappe.get_doc(
			{
				"doctype": "Customer Merge Suggestion",
				"profile": make_customer().name,
				"other_profile": make_customer().name,
				"reason": "test",
				**values,
			}
		).insert()

	def test_a_profile_is_not_suggested_with_itself(self):
		profile = make_customer().name
		with self.assertRaisesRegex(frappe.ValidationError, "other_profile"):
			self.suggestion(profile=profile, other_profile=profile)

	def test_accepting_merges_and_dismissing_closes(self):
		accepted = self.suggestion()
		merge.accept_suggestion(accepted.name)
		self.assertEqual(frappe.db.get_value("Customer Merge Suggestion", accepted.name, "status"), "Merged")
		self.assertEqual(
			frappe.db.get_value("Customer Profile", accepted.other_profile, "merged_into"), accepted.profile
		)
		dismissed = self.suggestion()
		merge.dismiss_suggestion(dismissed.name)
		self.assertEqual(
			frappe.db.get_value("Customer Merge Suggestion", dismissed.name, "status"), "Dismissed"
		)
		self.assertFalse(frappe.db.get_value("Customer Profile", dismissed.other_profile, "merged_into"))
		with self.assertRaisesRegex(frappe.ValidationError, "status: suggestion .* is Dismissed already"):
			merge.accept_suggestion(dismissed.name)
