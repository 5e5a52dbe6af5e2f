"""The one service that moves stock: writes ledger rows and balances in the same transaction.

Ledger rows are only ever inserted. A cancelled voucher is undone by `reverse_voucher`, which
posts the opposite of each of its rows, marked as cancellations.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, now_datetime

from oms_omnichannel.core import stock as stock_core
from oms_omnichannel.inventory.locks import BalanceKey, lock_balances
from oms_omnichannel.utils import domain_errors, get_settings

FLOAT_PRECISION = 6


Movement = stock_core.StockMovement


def post_movements(
	movements: list[Movement],
	voucher_type: str,
	voucher_no: str,
	*,
	posting_datetime=None,
	is_cancellation: bool = False,
	allow_negative: bool | None = None,
	remarks: str | None = None,
) -> list[str]:
	"""Post movements under balance row locks; refuse taking more than is free (actual - reserved).

	Availability is checked *after* the locks are held, so two requests can never both take the
	last unit. Returns the names of the ledger rows written.
	"""
	movements = [m for m in movements if flt(m.qty_change, FLOAT_PRECISION)]
	if not movements:
		return []
	if allow_negative is None:
		allow_negative = bool(get_settings().allow_backorders)
	balances = lock_balances(m.key for m in movements)
	posting_datetime = posting_datetime or now_datetime()

	with domain_errors():
		stock_core.check_availability(
			movements,
			{
				key: stock_core.Balance(flt(row.actual_qty), flt(row.reserved_qty))
				for key, row in balances.items()
			},
			allow_negative=allow_negative,
		)
	totals = stock_core.movement_totals(movements)

	names = []
	running = {key: flt(balance.actual_qty) for key, balance in balances.items()}
	for movement in movements:
		running[movement.key] = flt(running[movement.key] + movement.qty_change, FLOAT_PRECISION)
		entry = frappe.get_doc(
			{
				"doctype": "OMS Stock Ledger Entry",
				"item": movement.item,
				"location": movement.location,
				"stock_status": movement.stock_status,
				"qty_change": movement.qty_change,
				"qty_after": running[movement.key],
				"valuation_rate": movement.valuation_rate,
				"voucher_type": voucher_type,
				"voucher_no": voucher_no,
				"voucher_detail_no": movement.line_id,
				"posting_datetime": posting_datetime,
				"is_cancellation": int(is_cancellation),
				"remarks": remarks,
			}
		)
		entry.flags.from_stock_service = True
		entry.flags.ignore_links = True  # values come from the validated voucher; saves a query per link
		# ignore-permissions: the ledger is read-only for every role; only this service posts it, for a voucher its caller was allowed to submit
		entry.insert(ignore_permissions=True)
		names.append(entry.name)

	update_balances({balances[key].name: (change, 0) for key, change in totals.items()})
	after_stock_change(list(totals))
	return names


def update_balance(name: str, *, actual_change: float = 0, reserved_change: float = 0) -> None:
	"""Apply deltas to one balance row (locked by the caller); see `update_balances`."""
	update_balances({name: (actual_change, reserved_change)})


def update_balances(changes: dict[str, tuple[float, float]]) -> None:
	"""Apply (actual, reserved) deltas to balance rows locked by the caller, in one statement, and
	keep available = actual - reserved."""
	if not changes:
		return
	names = sorted(changes)
	case_actual = "CASE `name` " + " ".join(["WHEN %s THEN %s"] * len(names)) + " END"
	actual = [value for name in names for value in (name, flt(changes[name][0]))]
	reserved = [value for name in names for value in (name, flt(changes[name][1]))]
	# available_qty is assigned first, from the old values: MariaDB applies SET clauses left to
	# right (each sees the ones before), so this order is right in both assignment modes.
	# safe-sql: case_actual is a constant CASE of %s placeholders, one per balance row; names and deltas are parameters
	frappe.db.sql(
		f"""UPDATE `tabOMS Stock Balance` SET
			`available_qty` = `actual_qty` + {case_actual} - `reserved_qty` - {case_actual},
			`actual_qty` = `actual_qty` + {case_actual},
			`reserved_qty` = `reserved_qty` + {case_actual},
			`modified` = %s
		WHERE `name` IN %s""",
		[*actual, *reserved, *actual, *reserved, now_datetime(), tuple(names)],
	)


def reverse_voucher(voucher_type: str, voucher_no: str, *, remarks: str | None = None) -> list[str]:
	"""Undo every ledger row of a voucher with opposite rows (append-only cancellation)."""
	rows = frappe.get_all(
		"OMS Stock Ledger Entry",
		filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "is_cancellation": 0},
		fields=["item", "location", "stock_status", "qty_change", "valuation_rate", "voucher_detail_no"],
		order_by="creation asc, name asc",
	)
	reversals = [
		Movement(
			r.item, r.location, r.stock_status, -flt(r.qty_change), flt(r.valuation_rate), r.voucher_detail_no
		)
		for r in rows
	]
	return post_movements(
		reversals,
		voucher_type,
		voucher_no,
		is_cancellation=True,
		remarks=remarks or _("Cancellation of {0}").format(voucher_no),
	)


def ledger_sum(item: str, location: str, stock_status: str) -> float:
	Ledger = frappe.qb.DocType("OMS Stock Ledger Entry")
	result = (
		frappe.qb.from_(Ledger)
		.select(Sum(Ledger.qty_change))
		.where((Ledger.item == item) & (Ledger.location == location) & (Ledger.stock_status == stock_status))
	).run()
	return flt(result[0][0]) if result else 0.0


def after_stock_change(keys: list[BalanceKey], *, queued: bool = True) -> None:
	"""Hooks that react to stock changes: the reorder check under the balance locks, then the
	work queued for after the commit (ATP events, backorders; `queue_after_stock_change`) unless
	the caller queued it already (`queued=False`)."""
	for hook in frappe.get_hooks("oms_after_stock_change"):
		frappe.get_attr(hook)(keys)
	if queued:
		queue_after_stock_change(keys)


def queue_after_stock_change(keys: list[BalanceKey]) -> None:
	"""Hooks that queue work for after the commit of a stock change; they need no lock."""
	for hook in frappe.get_hooks("oms_queue_after_stock_change"):
		frappe.get_attr(hook)(keys)
