"""Integrity check: every balance recomputed from the ledger and the open reservations.

    bench --site <site> execute oms_omnichannel.inventory.integrity.check_stock_integrity

Prints and returns every drift; an empty list means invariant 1 of DESIGN.md holds.
"""

from __future__ import annotations

import frappe
from frappe.query_builder.functions import Sum
from frappe.utils import flt

from oms_omnichannel.core import stock as stock_core
from oms_omnichannel.inventory.reservations import OPEN_STATUSES


def collect(item: str | None = None) -> tuple[dict, dict, dict]:
	Balance = frappe.qb.DocType("OMS Stock Balance")
	Ledger = frappe.qb.DocType("OMS Stock Ledger Entry")
	Reservation = frappe.qb.DocType("OMS Stock Reservation")
	balance_query = frappe.qb.from_(Balance).select(
		Balance.item,
		Balance.location,
		Balance.stock_status,
		Balance.actual_qty,
		Balance.reserved_qty,
		Balance.available_qty,
	)
	ledger_query = (
		frappe.qb.from_(Ledger)
		.select(Ledger.item, Ledger.location, Ledger.stock_status, Sum(Ledger.qty_change))
		.groupby(Ledger.item, Ledger.location, Ledger.stock_status)
	)
	reservation_query = (
		frappe.qb.from_(Reservation)
		.select(Reservation.item, Reservation.location, Reservation.stock_status, Sum(Reservation.open_qty))
		.where(Reservation.status.isin(OPEN_STATUSES))
		.groupby(Reservation.item, Reservation.location, Reservation.stock_status)
	)
	if item:
		balance_query = balance_query.where(Balance.item == item)
		ledger_query = ledger_query.where(Ledger.item == item)
		reservation_query = reservation_query.where(Reservation.item == item)
	balances = {
		(r[0], r[1], r[2]): stock_core.Balance(flt(r[3]), flt(r[4]), flt(r[5])) for r in balance_query.run()
	}
	ledger_sums = {(r[0], r[1], r[2]): flt(r[3]) for r in ledger_query.run()}
	reservation_sums = {(r[0], r[1], r[2]): flt(r[3]) for r in reservation_query.run()}
	return balances, ledger_sums, reservation_sums


def find_drift(item: str | None = None) -> list[stock_core.Drift]:
	return stock_core.balance_drift(*collect(item))


def check_stock_integrity(item: str | None = None) -> list[dict]:
	"""Report (not repair) every drift between balances and their sources."""
	frappe.only_for(("System Manager", "OMS Manager", "Inventory Manager"))
	drifts = find_drift(item)
	for drift in drifts:
		print(
			f"DRIFT {drift.item} @ {drift.location} ({drift.stock_status}) {drift.field}: "
			f"recorded {drift.recorded}, expected {drift.expected}"
		)
	print(f"stock integrity: {len(drifts)} drift(s)")
	return [drift.__dict__ for drift in drifts]
