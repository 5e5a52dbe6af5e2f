# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, balance, make_item, make_location, receive


class TestOMSStockBalance(OMSTestCase):
	def test_one_balance_per_item_location_status(self):
		item, location = make_item().name, make_location().name
		receive(item, location, 2)
		receive(item, location, 3)
		self.assertEqual(
			frappe.db.count(
				"OMS Stock Balance", {"item": item, "location": location, "stock_status": "Available"}
			),
			1,
		)
		self.assertEqual(balance(item, location).actual_qty, 5)
		duplicate = frappe.get_doc(
			{"doctype": "OMS Stock Balance", "item": item, "location": location, "stock_status": "Available"}
		)
		duplicate.flags.from_stock_service = True
		with self.assertRaises(frappe.UniqueValidationError):
			duplicate.insert(ignore_permissions=True)

	def test_balances_are_not_created_by_hand(self):
		doc = frappe.get_doc(
			{"doctype": "OMS Stock Balance", "item": make_item().name, "location": make_location().name}
		)
		with self.assertRaisesRegex(frappe.PermissionError, "created by stock movements"):
			doc.insert()

	def test_quantities_cannot_be_edited_but_levels_can(self):
		item, location = make_item().name, make_location().name
		receive(item, location, 4)
		doc = frappe.get_doc("OMS Stock Balance", balance(item, location).name)
		doc.safety_stock, doc.reorder_level = 2, 3
		doc.save()
		doc.actual_qty = 99
		with self.assertRaisesRegex(frappe.PermissionError, "Actual Quantity"):
			doc.save()
		self.assertEqual(balance(item, location).actual_qty, 4)
