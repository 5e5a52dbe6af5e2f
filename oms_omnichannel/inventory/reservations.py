"""Reservations: stock held for order lines, taken under balance row locks.

reserve   -> OMS Stock Reservation rows (Open) and balance.reserved_qty up
release   -> open quantity given back (cancel, hold, expiry); balance.reserved_qty down
consume   -> shipped quantity: the reservation is used up and the ledger issue is posted
"""

from __future__ import annotations

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from oms_omnichannel.bulk import insert_new_documents
from oms_omnichannel.core import stock as stock_core
from oms_omnichannel.inventory.ledger import (
	FLOAT_PRECISION,
	Movement,
	after_stock_change,
	post_movements,
	update_balance,
	update_balances,
)
from oms_omnichannel.inventory.locks import lock_balances
from oms_omnichannel.utils import domain_errors, get_settings

AVAILABLE = "Available"
OPEN_STATUSES = ("Open", "Partially Consumed")


@dataclass
class ReservationRequest:
	"""One order line to reserve, with the locations that may serve it, best first."""

	item: str
	qty: float
	voucher_detail_no: str
	locations: list[str]


@dataclass
class ReservationResult:
	reserved: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # line -> [(location, qty)]
	backorder: dict[str, float] = field(default_factory=dict)  # line -> qty not reserved

	@property
	def fully_reserved(self) -> bool:
		return not any(flt(qty, FLOAT_PRECISION) > 0 for qty in self.backorder.values())


def reserve(
	voucher_type: str,
	voucher_no: str,
	requests: list[ReservationRequest],
	*,
	sales_channel: str | None = None,
	allow_split: bool | None = None,
	allow_partial: bool = True,
	expires_at=None,
) -> ReservationResult:
	"""Reserve what is available now for one voucher; report the rest as backorder."""
	stock_items = set(
		frappe.get_all(
			"OMS Item", filters={"name": ("in", {r.item for r in requests}), "is_stock_item": 1}, pluck="name"
		)
	)
	requests = [r for r in requests if r.item in stock_items and flt(r.qty) > 0]
	if not requests:
		return ReservationResult()
	book = ReservationBook((r.item, location, AVAILABLE) for r in requests for location in r.locations)
	result = book.reserve(
		voucher_type,
		voucher_no,
		requests,
		sales_channel=sales_channel,
		allow_split=allow_split,
		allow_partial=allow_partial,
		expires_at=expires_at,
	)
	book.write()
	return result


class ReservationBook:
	"""Reservations of one or many vouchers under one set of balance locks, written together.

	Every balance the vouchers may take from is locked first (fixed order), so the availability
	the allocation sees cannot change before the rows are written. Vouchers are served in the
	order `reserve` is called, each seeing what the ones before it took. `write` then inserts
	the reservation rows in one statement and moves each balance once.

	Given the balances read without locks, the book makes a plan only: the caller must lock them
	later and check that the plan still holds before it moves them (see
	`orders.fulfilment.PlannedReservations`).
	"""

	def __init__(self, keys, balances: dict | None = None):
		"""`balances`: the rows as read by the caller (locked or not); else they are locked now."""
		keys = list(keys)
		self.balances = lock_balances(keys) if balances is None else balances
		self.free = {
			(item, location): flt(row.actual_qty) - flt(row.reserved_qty)
			for (item, location, _status), row in self.balances.items()
		}
		for item, location, _status in keys:  # a balance not read (no row yet) has nothing free
			self.free.setdefault((item, location), 0.0)
		self.reservations: list = []
		self.taken: dict[tuple[str, str], float] = {}

	def reserve(
		self,
		voucher_type: str,
		voucher_no: str,
		requests: list[ReservationRequest],
		*,
		sales_channel: str | None = None,
		allow_split: bool | None = None,
		allow_partial: bool = True,
		expires_at=None,
	) -> ReservationResult:
		"""Allocate stock lines of one voucher against what is still free; nothing is written yet."""
		if allow_split is None:
			allow_split = bool(get_settings().allow_split_across_locations)
		requests = [r for r in requests if flt(r.qty) > 0]
		missing = {(r.item, loc) for r in requests for loc in r.locations} - set(self.free)
		if missing:
			frappe.throw(_("Balances {0} were not locked for this reservation").format(sorted(missing)))
		with domain_errors():
			plan = stock_core.allocate(
				[
					stock_core.AllocationLine(
						line_id=r.voucher_detail_no, item=r.item, qty=flt(r.qty), locations=r.locations
					)
					for r in requests
				],
				{key: qty for key, qty in self.free.items() if key[0] in {r.item for r in requests}},
				allow_split=allow_split,
			)
		if not allow_partial and any(flt(q, FLOAT_PRECISION) > 0 for q in plan.remainder.values()):
			return ReservationResult(backorder=dict(plan.remainder))
		result = ReservationResult()
		by_line = {r.voucher_detail_no: r for r in requests}
		for line_id, allocations in plan.allocations.items():
			request = by_line[line_id]
			for location, qty in allocations:
				if flt(qty, FLOAT_PRECISION) <= 0:
					continue
				self.reservations.append(
					new_reservation(
						voucher_type, voucher_no, request, location, qty, sales_channel, expires_at
					)
				)
				key = (request.item, location)
				self.free[key] = flt(self.free[key] - qty, FLOAT_PRECISION)
				self.taken[key] = flt(self.taken.get(key, 0) + qty, FLOAT_PRECISION)
				result.reserved.setdefault(line_id, []).append((location, qty))
		result.backorder = {
			line_id: qty for line_id, qty in plan.remainder.items() if flt(qty, FLOAT_PRECISION) > 0
		}
		return result

	def write(self) -> None:
		self.insert_reservations()
		self.move_balances(self.balances)
		after_stock_change(list(self.balances))
		self.taken = {}

	def insert_reservations(self) -> None:
		"""The reservation rows allocated so far (new rows: no lock is needed to write them)."""
		insert_new_documents(self.reservations)
		self.reservations = []

	def taken_keys(self) -> list[tuple[str, str, str]]:
		"""The balances the allocations take from."""
		return sorted((item, location, AVAILABLE) for (item, location), qty in self.taken.items() if qty)

	def move_balances(self, locked: dict) -> None:
		"""Each balance's reserved quantity up by what was taken from it (`locked`: its rows,
		locked by this transaction)."""
		update_balances(
			{
				locked[(item, location, AVAILABLE)].name: (0, qty)
				for (item, location), qty in self.taken.items()
			}
		)


def new_reservation(voucher_type, voucher_no, request, location, qty, sales_channel, expires_at):
	return frappe.get_doc(
		{
			"doctype": "OMS Stock Reservation",
			"item": request.item,
			"location": location,
			"stock_status": AVAILABLE,
			"status": "Open",
			"voucher_type": voucher_type,
			"voucher_no": voucher_no,
			"voucher_detail_no": request.voucher_detail_no,
			"sales_channel": sales_channel,
			"reserved_qty": qty,
			"open_qty": qty,
			"consumed_qty": 0,
			"released_qty": 0,
			"expires_at": expires_at,
		}
	)


def open_reservations(
	voucher_type: str, voucher_no: str, voucher_detail_no: str | None = None, location=None
):
	filters = {"voucher_type": voucher_type, "voucher_no": voucher_no, "status": ("in", OPEN_STATUSES)}
	if voucher_detail_no:
		filters["voucher_detail_no"] = voucher_detail_no
	if location:
		filters["location"] = location
	return frappe.get_all(
		"OMS Stock Reservation",
		filters=filters,
		fields=[
			"name",
			"item",
			"location",
			"stock_status",
			"voucher_detail_no",
			"reserved_qty",
			"consumed_qty",
			"released_qty",
			"open_qty",
		],
		order_by="name asc",
	)


def release(
	voucher_type: str,
	voucher_no: str,
	*,
	voucher_detail_no: str | None = None,
	qty: float | None = None,
	final_status: str = "Released",
	location: str | None = None,
) -> float:
	"""Give back open reservations of a voucher (or of one line, at one location; or only `qty`)."""
	rows = open_reservations(voucher_type, voucher_no, voucher_detail_no, location)
	if not rows:
		return 0.0
	locked = lock_balances((r.item, r.location, r.stock_status) for r in rows)
	# Re-read under the locks: every change to these reservations happens while holding them.
	rows = open_reservations(voucher_type, voucher_no, voucher_detail_no, location)
	remaining = flt(qty) if qty is not None else None
	released = 0.0
	for row in sorted(rows, key=lambda r: -int(r.name)):  # newest first: keeps the best location's stock held
		take = flt(row.open_qty) if remaining is None else min(flt(row.open_qty), remaining)
		if take <= 0:
			continue
		_close(row, released=take, final_status=final_status)
		update_balance(locked[(row.item, row.location, row.stock_status)].name, reserved_change=-take)
		released += take
		if remaining is not None:
			remaining = flt(remaining - take, FLOAT_PRECISION)
			if remaining <= 0:
				break
	after_stock_change(list(locked))
	return released


def consume(
	voucher_type: str,
	voucher_no: str,
	voucher_detail_no: str,
	location: str,
	qty: float,
	*,
	issue_voucher: tuple[str, str],
	valuation_rate: float = 0,
) -> None:
	"""Ship `qty` of a line from `location`: use up its reservation there and post the ledger issue.

	Refuses shipping more than is reserved at that location for the line.
	"""
	rows = open_reservations(voucher_type, voucher_no, voucher_detail_no, location)
	if rows:
		lock_balances([(rows[0].item, location, AVAILABLE)])
		rows = open_reservations(voucher_type, voucher_no, voucher_detail_no, location)  # re-read under lock
	reserved_here = sum(flt(r.open_qty) for r in rows)
	if flt(qty - reserved_here, FLOAT_PRECISION) > 0:
		frappe.throw(
			_("Cannot ship {0} of line {1} from {2}: only {3} reserved there").format(
				stock_core.fmt_qty(qty),
				voucher_detail_no,
				frappe.bold(location),
				stock_core.fmt_qty(reserved_here),
			),
			title=_("More Than Reserved"),
		)
	if not rows:
		return
	item = rows[0].item
	locked = lock_balances([(item, location, AVAILABLE)])  # already held: returns the row
	remaining = flt(qty)
	for row in rows:
		take = min(flt(row.open_qty), remaining)
		if take <= 0:
			break
		_close(row, consumed=take)
		remaining = flt(remaining - take, FLOAT_PRECISION)
	update_balance(locked[(item, location, AVAILABLE)].name, reserved_change=-flt(qty))
	post_movements(
		[Movement(item, location, AVAILABLE, -flt(qty), voucher_detail_no, valuation_rate)],
		*issue_voucher,
	)


def _close(row, *, released: float = 0, consumed: float = 0, final_status: str = "Released") -> None:
	Reservation = frappe.qb.DocType("OMS Stock Reservation")
	consumed_qty = flt(row.consumed_qty) + consumed
	released_qty = flt(row.released_qty) + released
	open_qty = flt(flt(row.reserved_qty) - consumed_qty - released_qty, FLOAT_PRECISION)
	if open_qty > 0:
		status = "Partially Consumed" if consumed_qty else "Open"
	elif consumed_qty and not released_qty:
		status = "Consumed"
	elif consumed_qty:
		status = "Consumed" if consumed_qty >= released_qty else final_status
	else:
		status = final_status
	(
		frappe.qb.update(Reservation)
		.set(Reservation.consumed_qty, consumed_qty)
		.set(Reservation.released_qty, released_qty)
		.set(Reservation.open_qty, open_qty)
		.set(Reservation.status, status)
		.set(Reservation.modified, now_datetime())
		.where(Reservation.name == row.name)
	).run()
	row.consumed_qty, row.released_qty, row.open_qty = consumed_qty, released_qty, open_qty


def reserved_qty_by_line(voucher_type: str, voucher_no: str) -> dict[str, float]:
	rows = frappe.get_all(
		"OMS Stock Reservation",
		filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "status": ("in", OPEN_STATUSES)},
		fields=["voucher_detail_no", "open_qty"],
	)
	totals: dict[str, float] = {}
	for row in rows:
		totals[row.voucher_detail_no] = totals.get(row.voucher_detail_no, 0) + flt(row.open_qty)
	return totals
