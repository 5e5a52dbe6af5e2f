# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class OMSItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		barcode: DF.Data | None
		category: DF.Link | None
		currency: DF.Link | None
		description: DF.TextEditor | None
		disabled: DF.Check
		height_cm: DF.Float
		image: DF.AttachImage | None
		is_stock_item: DF.Check
		item_name: DF.Data
		length_cm: DF.Float
		reorder_level: DF.Float
		reorder_qty: DF.Float
		safety_stock: DF.Float
		sku: DF.Data
		standard_price: DF.Currency
		uom: DF.Data
		weight_kg: DF.Float
		width_cm: DF.Float

	# end: auto-generated types
	def validate(self):
		self.clean_identifiers()
		self.validate_unique_identifiers()
		self.set_reorder_defaults()

	def clean_identifiers(self):
		self.sku = (self.sku or "").strip()
		if not self.sku:
			frappe.throw(_("SKU is required"), frappe.MandatoryError, title=_("Missing SKU"))
		if any(ch.isspace() for ch in self.sku):
			frappe.throw(
				_("SKU {0} must not contain spaces").format(frappe.bold(self.sku)), title=_("Invalid SKU")
			)
		# Empty barcodes stay NULL so the unique index allows many items without one.
		self.barcode = (self.barcode or "").strip() or None

	def validate_unique_identifiers(self):
		"""Friendly messages before the unique indexes (which still guard against races) refuse."""
		if self.is_new() and frappe.db.exists("OMS Item", self.sku):
			frappe.throw(
				_("SKU {0} is already used by another item").format(frappe.bold(self.sku)),
				frappe.DuplicateEntryError,
				title=_("Duplicate SKU"),
			)
		if self.barcode:
			other = frappe.db.get_value("OMS Item", {"barcode": self.barcode, "name": ("!=", self.name)})
			if other:
				frappe.throw(
					_("Barcode {0} is already used by item {1}").format(
						frappe.bold(self.barcode), frappe.bold(other)
					),
					frappe.DuplicateEntryError,
					title=_("Duplicate Barcode"),
				)

	def set_reorder_defaults(self):
		if not self.reorder_level and self.safety_stock:
			self.reorder_level = self.safety_stock
		if self.reorder_level and self.safety_stock and self.reorder_level < self.safety_stock:
			frappe.throw(
				_("Reorder Level ({0}) cannot be below Safety Stock ({1})").format(
					self.reorder_level, self.safety_stock
				),
				title=_("Invalid Reorder Level"),
			)
