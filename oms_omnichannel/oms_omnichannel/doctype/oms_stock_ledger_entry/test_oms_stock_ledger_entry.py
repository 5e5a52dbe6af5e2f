# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_item, make_location, receive


class TestOMSStockLedgerEntry(OMSTestCase):
	def setUp(self):
		self.entry = receive(make_item().name, make_location().name, 5)
		self.row = frappe.get_doc("OMS Stock Ledger Entry", {"voucher_no": self.entry.name})

	def test_entries_cannot_be_edited(self):
		self.row.qty_change = 500
		with self.assertRaisesRegex(frappe.PermissionError, "cannot be edited"):
			self.row.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("OMS Stock Ledger Entry", self.row.name, "qty_change"), 5)

	def test_entries_cannot_be_deleted_even_by_administrator(self):
		with self.assertRaisesRegex(frappe.PermissionError, "cannot be deleted"):
			frappe.delete_doc("OMS Stock Ledger Entry", self.row.name, ignore_permissions=True, force=True)
		self.assertTrue(frappe.db.exists("OMS Stock Ledger Entry", self.row.name))

	def test_entries_cannot_be_written_by_hand(self):
		with self.assertRaisesRegex(frappe.PermissionError, "written only by"):
			frappe.get_doc(
				{
					"doctype": "OMS Stock Ledger Entry",
					"item": self.row.item,
					"location": self.row.location,
					"stock_status": "Available",
					"qty_change": 100,
					"posting_datetime": frappe.utils.now_datetime(),
				}
			).insert(ignore_permissions=True)

	def test_no_role_has_write_or_delete_permission(self):
		meta = frappe.get_meta("OMS Stock Ledger Entry")
		self.assertTrue(meta.permissions)
		for perm in meta.permissions:
			self.assertFalse(perm.write or perm.delete or perm.create, perm.role)
