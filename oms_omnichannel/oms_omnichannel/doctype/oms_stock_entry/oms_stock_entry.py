# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from oms_omnichannel.core import stock as stock_core
from oms_omnichannel.inventory.ledger import post_movements, reverse_voucher
from oms_omnichannel.inventory.locks import lock_balances
from oms_omnichannel.utils import domain_errors, get_settings, validate_links_exist


class OMSStockEntry(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from oms_omnichannel.oms_omnichannel.doctype.oms_stock_entry_item.oms_stock_entry_item import (
			OMSStockEntryItem,
		)

		amended_from: DF.Link | None
		entry_type: DF.Literal["Receipt", "Issue", "Transfer", "Status Change", "Stock Count"]
		from_location: DF.Link | None
		from_status: DF.Literal["Available", "Damaged", "Quarantine", "In Transit"]
		items: DF.Table[OMSStockEntryItem]
		naming_series: DF.Literal["STE-.YYYY.-"]
		posting_datetime: DF.Datetime
		reason: DF.Data | None
		received: DF.Check
		remarks: DF.SmallText | None
		to_location: DF.Link | None
		to_status: DF.Literal["Available", "Damaged", "Quarantine", "In Transit"]
		via_in_transit: DF.Check
		voucher_no: DF.DynamicLink | None
		voucher_type: DF.Link | None
	# end: auto-generated types

	def validate(self):
		validate_links_exist(self, ["item"], table_field="items")
		self.clear_fields_the_type_does_not_use()
		self.plan()  # refuses bad input now, before anything is saved

	def on_submit(self):
		self.post_to_ledger()

	def on_cancel(self):
		self.ignore_linked_doctypes = ("OMS Stock Ledger Entry",)
		if self.via_in_transit and self.received:
			frappe.throw(
				_("The in-transit stock of {0} was already received; cancel the receipt first.").format(
					self.name
				),
				title=_("Cannot Cancel"),
			)
		reverse_voucher(self.doctype, self.name)

	def clear_fields_the_type_does_not_use(self):
		kind = stock_core.as_entry_type(self.entry_type) if self.entry_type else None
		if kind in (
			stock_core.EntryType.RECEIPT,
			stock_core.EntryType.STATUS_CHANGE,
			stock_core.EntryType.STOCK_COUNT,
		):
			self.from_location = None
		if kind is stock_core.EntryType.ISSUE:
			self.to_location = None
		if kind is not stock_core.EntryType.TRANSFER:
			self.via_in_transit = 0

	def entry_lines(self) -> list[stock_core.EntryLine]:
		disabled = set(
			frappe.get_all(
				"OMS Item",
				filters={"name": ("in", [row.item for row in self.items]), "disabled": 1},
				pluck="name",
			)
		)
		return [
			stock_core.EntryLine(
				item=row.item,
				qty=flt(row.qty),
				counted_qty=None if row.counted_qty is None else flt(row.counted_qty),
				item_disabled=row.item in disabled,
				line_id=row.name,
				valuation_rate=flt(row.valuation_rate),
			)
			for row in self.items
		]

	def balance_keys(self) -> list[tuple[str, str, str]]:
		location = self.from_location or self.to_location
		statuses = {self.from_status or "Available", self.to_status or "Available"}
		return [(row.item, location, status) for row in self.items for status in statuses if location]

	def read_balances(self, lock: bool) -> dict:
		keys = self.balance_keys()
		if lock:
			rows = lock_balances(keys)
		else:
			rows = {}
			for item, location, status in keys:
				row = frappe.db.get_value(
					"OMS Stock Balance",
					{"item": item, "location": location, "stock_status": status},
					["actual_qty", "reserved_qty"],
					as_dict=True,
				)
				if row:
					rows[(item, location, status)] = row
		return {key: stock_core.Balance(flt(r.actual_qty), flt(r.reserved_qty)) for key, r in rows.items()}

	def plan(self, lock: bool = False) -> list[stock_core.StockMovement]:
		if self.entry_type == "Stock Count":
			for row in self.items:
				if row.counted_qty is None or row.counted_qty == "":
					frappe.throw(
						_("Row {0}: Counted Quantity is required for a Stock Count").format(row.idx),
						frappe.MandatoryError,
						title=_("Missing Count"),
					)
		with domain_errors():
			return stock_core.plan_stock_entry(
				self.entry_type,
				self.entry_lines(),
				self.read_balances(lock),
				allow_negative=bool(get_settings().allow_backorders),
				from_location=self.from_location,
				to_location=self.to_location,
				from_status=self.from_status or "Available",
				to_status=self.to_status or "Available",
				via_in_transit=bool(self.via_in_transit),
			)

	def post_to_ledger(self):
		"""Plan again under the balance locks: the stock seen at validate time may have moved."""
		movements = self.plan(lock=True)
		if self.entry_type == "Stock Count":
			self.record_count_differences(movements)
		post_movements(
			movements, self.doctype, self.name, posting_datetime=self.posting_datetime, remarks=self.reason
		)

	def record_count_differences(self, movements):
		difference = {m.line_id: m.qty_change for m in movements}
		balances = self.read_balances(lock=False)
		for row in self.items:
			before = balances.get((row.item, self.to_location, self.to_status or "Available"))
			row.db_set(
				{"current_qty": before.actual_qty if before else 0, "qty": difference.get(row.name, 0)}
			)

	@frappe.whitelist(methods=["POST"])
	def receive_in_transit(self) -> None:
		"""Second step of a transfer via In Transit: the target location receives the stock."""
		self.check_permission("submit")
		if self.docstatus != 1 or not self.via_in_transit or self.received:
			frappe.throw(
				_("Only a submitted transfer via In Transit that was not yet received can be received.")
			)
		lines = self.entry_lines()
		keys = [(row.item, self.to_location, s) for row in self.items for s in ("In Transit", "Available")]
		balances = {
			key: stock_core.Balance(flt(r.actual_qty), flt(r.reserved_qty))
			for key, r in lock_balances(keys).items()
		}
		with domain_errors():
			movements = stock_core.plan_transit_receipt(lines, balances, to_location=self.to_location)
		post_movements(movements, self.doctype, self.name, remarks=_("Received in-transit stock"))
		self.db_set("received", 1)
		self.add_comment("Info", _("In-transit stock received at {0}").format(self.to_location))
