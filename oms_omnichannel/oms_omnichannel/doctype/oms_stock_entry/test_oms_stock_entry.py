# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import change_settings

from oms_omnichannel.tests.utils import (
	OMSTestCase,
	assert_stock_integrity,
	balance,
	make_item,
	make_location,
	make_stock_entry,
	receive,
)


class TestOMSStockEntry(OMSTestCase):
	def setUp(self):
		self.item = make_item().name
		self.warehouse = make_location().name
		self.store = make_location(location_type="Store").name

	def tearDown(self):
		assert_stock_integrity(self, self.item)

	def test_receipt_posts_ledger_and_balance_and_cancel_reverses(self):
		entry = receive(self.item, self.warehouse, 10)
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 10)
		ledger = frappe.get_all(
			"OMS Stock Ledger Entry", filters={"voucher_no": entry.name}, fields=["qty_change", "qty_after"]
		)
		self.assertEqual([(r.qty_change, r.qty_after) for r in ledger], [(10, 10)])

		entry.cancel()
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 0)
		rows = frappe.get_all(
			"OMS Stock Ledger Entry",
			filters={"voucher_no": entry.name},
			fields=["qty_change", "is_cancellation"],
			order_by="name asc",
		)
		self.assertEqual([(r.qty_change, r.is_cancellation) for r in rows], [(10, 0), (-10, 1)])

	def test_two_lines_drawing_the_same_random_name_are_both_saved(self):
		"""Frappe names child rows with 4 characters of the time and 6 random ones, all lines of an
		entry at once: a 5,000-line receipt draws two equal names about once in a hundred. The lines
		are named "hash", so the second one is named again instead of failing the receipt."""
		other = make_item().name
		names = iter(["samename01", "samename01", "othername2"])
		real = frappe.model.naming.make_autoname

		def naming(key="", doctype="", doc="", **kwargs):
			if key == "hash" and getattr(doc, "doctype", doctype) == "OMS Stock Entry Item":
				return next(names)
			return real(key, doctype, doc, **kwargs)

		with patch("frappe.model.naming.make_autoname", side_effect=naming):
			entry = make_stock_entry(
				"Receipt",
				[
					{"item": self.item, "qty": 2, "valuation_rate": 5},
					{"item": other, "qty": 3, "valuation_rate": 5},
				],
				to_location=self.warehouse,
			)
		rows = frappe.get_all("OMS Stock Entry Item", filters={"parent": entry.name}, fields=["name", "item"])
		self.assertEqual(sorted(row.name for row in rows), ["othername2", "samename01"])
		self.assertEqual(
			(balance(self.item, self.warehouse).actual_qty, balance(other, self.warehouse).actual_qty), (2, 3)
		)
		assert_stock_integrity(self, other)

	def test_issue_takes_stock_and_refuses_more_than_available(self):
		receive(self.item, self.warehouse, 5)
		make_stock_entry("Issue", [{"item": self.item, "qty": 3}], from_location=self.warehouse)
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 2)
		ledger_rows = frappe.db.count("OMS Stock Ledger Entry", {"item": self.item})
		with self.assertRaisesRegex(frappe.ValidationError, "Not enough stock"):
			make_stock_entry("Issue", [{"item": self.item, "qty": 3}], from_location=self.warehouse)
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 2)
		self.assertEqual(frappe.db.count("OMS Stock Ledger Entry", {"item": self.item}), ledger_rows)

	def test_issue_beyond_stock_is_allowed_with_backorders(self):
		with change_settings("OMS Settings", {"allow_backorders": 1}):
			make_stock_entry("Issue", [{"item": self.item, "qty": 2}], from_location=self.warehouse)
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, -2)

	def test_transfer_moves_between_locations(self):
		receive(self.item, self.warehouse, 8)
		make_stock_entry(
			"Transfer", [{"item": self.item, "qty": 5}], from_location=self.warehouse, to_location=self.store
		)
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 3)
		self.assertEqual(balance(self.item, self.store).actual_qty, 5)

	def test_transfer_via_in_transit_then_receive(self):
		receive(self.item, self.warehouse, 4)
		entry = make_stock_entry(
			"Transfer",
			[{"item": self.item, "qty": 4}],
			from_location=self.warehouse,
			to_location=self.store,
			via_in_transit=1,
		)
		self.assertEqual(balance(self.item, self.store, "In Transit").actual_qty, 4)
		self.assertEqual(balance(self.item, self.store).actual_qty, 0)
		entry.receive_in_transit()
		self.assertEqual(balance(self.item, self.store, "In Transit").actual_qty, 0)
		self.assertEqual(balance(self.item, self.store).actual_qty, 4)
		entry.reload()
		with self.assertRaisesRegex(frappe.ValidationError, "already received"):
			entry.cancel()

	def test_transfer_to_same_location_is_refused(self):
		receive(self.item, self.warehouse, 4)
		with self.assertRaisesRegex(frappe.ValidationError, "two different locations"):
			make_stock_entry(
				"Transfer",
				[{"item": self.item, "qty": 1}],
				from_location=self.warehouse,
				to_location=self.warehouse,
			)

	def test_status_change_moves_to_damaged(self):
		receive(self.item, self.warehouse, 6)
		make_stock_entry(
			"Status Change",
			[{"item": self.item, "qty": 2}],
			to_location=self.warehouse,
			from_status="Available",
			to_status="Damaged",
		)
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 4)
		self.assertEqual(balance(self.item, self.warehouse, "Damaged").actual_qty, 2)

	def test_stock_count_posts_the_difference(self):
		receive(self.item, self.warehouse, 10)
		entry = make_stock_entry(
			"Stock Count", [{"item": self.item, "counted_qty": 7}], to_location=self.warehouse
		)
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 7)
		entry.reload()
		self.assertEqual((entry.items[0].current_qty, entry.items[0].qty), (10, -3))

	def test_counting_a_disabled_item_is_refused(self):
		frappe.db.set_value("OMS Item", self.item, "disabled", 1)
		with self.assertRaisesRegex(frappe.ValidationError, "disabled"):
			make_stock_entry(
				"Stock Count", [{"item": self.item, "counted_qty": 1}], to_location=self.warehouse
			)

	def test_negative_receipt_is_refused_and_nothing_written(self):
		with self.assertRaisesRegex(frappe.ValidationError, "greater than"):
			make_stock_entry("Receipt", [{"item": self.item, "qty": -5}], to_location=self.warehouse)
		self.assertFalse(frappe.db.exists("OMS Stock Entry", {"to_location": self.warehouse}))

	def test_unknown_status_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Unknown stock status"):
			make_stock_entry(
				"Receipt", [{"item": self.item, "qty": 1}], to_location=self.warehouse, to_status="Lost"
			)

	def test_unknown_item_is_refused(self):
		with self.assertRaises(frappe.LinkValidationError):
			make_stock_entry("Receipt", [{"item": "NO-SUCH-SKU", "qty": 1}], to_location=self.warehouse)

	def test_cancelling_a_receipt_whose_stock_was_issued_is_refused(self):
		entry = receive(self.item, self.warehouse, 3)
		make_stock_entry("Issue", [{"item": self.item, "qty": 2}], from_location=self.warehouse)
		with self.assertRaisesRegex(frappe.ValidationError, "Not enough stock"):
			entry.cancel()
		self.assertEqual(balance(self.item, self.warehouse).actual_qty, 1)
