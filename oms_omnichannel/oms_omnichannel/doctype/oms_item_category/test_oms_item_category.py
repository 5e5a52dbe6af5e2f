# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_category, unique


class TestOMSItemCategory(OMSTestCase):
	def test_category_is_named_by_its_name_and_unique(self):
		name = make_category(unique("Cat"))
		self.assertTrue(frappe.db.exists("OMS Item Category", name))
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": "OMS Item Category", "category_name": name}).insert()
