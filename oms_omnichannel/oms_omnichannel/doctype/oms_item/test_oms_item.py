# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_category, make_item, unique


class TestOMSItem(OMSTestCase):
	def test_item_is_named_by_sku(self):
		item = make_item(sku=unique("TEE"), category=make_category())
		self.assertEqual(item.name, item.sku)

	def test_duplicate_sku_is_refused_with_clear_message(self):
		item = make_item()
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "SKU .*already used"):
			make_item(sku=item.sku)
		self.assertEqual(frappe.db.count("OMS Item", {"sku": item.sku}), 1)

	def test_sku_with_spaces_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "must not contain spaces"):
			make_item(sku="BAD SKU")

	def test_sku_is_trimmed(self):
		sku = unique("TRIM")
		item = make_item(sku=f"  {sku} ")
		self.assertEqual(item.name, sku)

	def test_duplicate_barcode_is_refused_but_empty_barcodes_are_many(self):
		barcode = unique("400")
		item = make_item(barcode=barcode)
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "Barcode .* already used by item"):
			make_item(barcode=barcode)
		first, second = make_item(barcode=""), make_item(barcode="  ")
		self.assertIsNone(frappe.db.get_value("OMS Item", first.name, "barcode"))
		self.assertIsNone(frappe.db.get_value("OMS Item", second.name, "barcode"))
		self.assertEqual(frappe.db.get_value("OMS Item", item.name, "barcode"), barcode)

	def test_reorder_level_defaults_to_safety_stock(self):
		item = make_item(safety_stock=5)
		self.assertEqual(item.reorder_level, 5)

	def test_reorder_level_below_safety_stock_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Reorder Level"):
			make_item(safety_stock=10, reorder_level=3)

	def test_negative_price_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_item(standard_price=-1)

	def test_missing_item_name_is_refused(self):
		with self.assertRaises(frappe.MandatoryError):
			frappe.get_doc({"doctype": "OMS Item", "sku": unique("X")}).insert()

	def test_unknown_category_is_refused(self):
		with self.assertRaises(frappe.LinkValidationError):
			make_item(category="No Such Category")
