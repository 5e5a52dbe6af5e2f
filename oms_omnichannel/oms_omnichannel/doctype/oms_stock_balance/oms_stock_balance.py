# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from oms_omnichannel.inventory.reservations import OPEN_STATUSES

QUANTITY_FIELDS = ("actual_qty", "reserved_qty", "available_qty", "incoming_qty")


class OMSStockBalance(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		actual_qty: DF.Float
		available_qty: DF.Float
		incoming_qty: DF.Float
		item: DF.Link
		item_name: DF.Data | None
		location: DF.Link
		reorder_level: DF.Float
		reorder_qty: DF.Float
		reserved_qty: DF.Float
		safety_stock: DF.Float
		stock_status: DF.Literal["Available", "Damaged", "Quarantine", "In Transit"]
	# end: auto-generated types
	"""Quantities move only through the stock and reservation services; users may tune the
	per-location replenishment levels."""

	def onload(self):
		"""The form's Reservations button lists the open ones: the statuses come from the one definition."""
		self.set_onload("open_reservation_statuses", list(OPEN_STATUSES))

	def validate(self):
		self.validate_quantities_unchanged()
		self.validate_reorder_level()

	def validate_quantities_unchanged(self):
		if self.flags.from_stock_service:
			return
		if self.is_new():
			frappe.throw(
				_("Stock balances are created by stock movements, not by hand. Use an OMS Stock Entry."),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)
		before = self.get_doc_before_save()
		changed = [f for f in QUANTITY_FIELDS if before and flt(before.get(f)) != flt(self.get(f))]
		if changed:
			frappe.throw(
				_("{0} can only change through stock documents and orders.").format(
					", ".join(_(self.meta.get_label(f)) for f in changed)
				),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def validate_reorder_level(self):
		if self.reorder_level and self.safety_stock and self.reorder_level < self.safety_stock:
			frappe.throw(
				_("Reorder Level ({0}) cannot be below Safety Stock ({1})").format(
					self.reorder_level, self.safety_stock
				),
				title=_("Invalid Reorder Level"),
			)

	def on_trash(self):
		if flt(self.actual_qty) or flt(self.reserved_qty):
			frappe.throw(
				_("A balance that holds stock or reservations cannot be deleted."), title=_("Not Allowed")
			)


def on_doctype_update():
	frappe.db.add_unique(
		"OMS Stock Balance",
		["item", "location", "stock_status"],
		constraint_name="unique_item_location_status",
	)
	frappe.db.add_index("OMS Stock Balance", ["location", "stock_status"])
