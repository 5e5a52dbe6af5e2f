# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class AppendOnlyLedgerError(frappe.PermissionError):
	pass


class OMSStockLedgerEntry(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		is_cancellation: DF.Check
		item: DF.Link
		location: DF.Link
		name: DF.Int | None
		posting_datetime: DF.Datetime
		qty_after: DF.Float
		qty_change: DF.Float
		remarks: DF.SmallText | None
		stock_status: DF.Literal["Available", "Damaged", "Quarantine", "In Transit"]
		valuation_rate: DF.Currency
		voucher_detail_no: DF.Data | None
		voucher_no: DF.DynamicLink | None
		voucher_type: DF.Link | None
	# end: auto-generated types
	"""Append-only: rows are inserted by the stock service and never changed or deleted."""

	def validate(self):
		if not self.is_new():
			refuse(_("Stock ledger entries cannot be edited; cancel the voucher to reverse them."))
		if not self.flags.from_stock_service:
			refuse(_("Stock ledger entries are written only by submitting stock documents."))

	def on_update(self):
		if not self.flags.from_stock_service:
			refuse(_("Stock ledger entries cannot be edited; cancel the voucher to reverse them."))

	def on_trash(self):
		refuse(_("Stock ledger entries cannot be deleted; cancel the voucher to reverse them."))


def refuse(message: str) -> None:
	frappe.throw(message, AppendOnlyLedgerError, title=_("Append-Only Ledger"))


def on_doctype_update():
	frappe.db.add_index("OMS Stock Ledger Entry", ["item", "location", "stock_status", "posting_datetime"])
	frappe.db.add_index("OMS Stock Ledger Entry", ["voucher_type", "voucher_no"])
	frappe.db.add_index("OMS Stock Ledger Entry", ["location", "posting_datetime"])
	# valuation rates (analytics.stock.VALUATION_RATE): an item's receipts, read from the index alone
	from oms_omnichannel.analytics.stock import (
		RATED_COLUMNS,
		RATED_INDEX,
		VALUATION_COLUMNS,
		VALUATION_INDEX,
	)

	frappe.db.add_index("OMS Stock Ledger Entry", list(VALUATION_COLUMNS), index_name=VALUATION_INDEX)
	# every item's rate at once (analytics.stock.VALUATION_RATES): the rated rows alone
	frappe.db.add_index("OMS Stock Ledger Entry", list(RATED_COLUMNS), index_name=RATED_INDEX)
