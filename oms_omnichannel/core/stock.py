"""Inventory arithmetic: what a stock entry moves, what may be promised, where reservations go.

Everything here works on plain numbers keyed by (item, location, stock status); the Frappe side
loads balances under row locks, calls these functions and writes what they return. Quantities
are floats (items may be sold by the kg) compared after rounding to PRECISION decimals, the
precision the ledger service uses.

Stock entries and the In Transit model
--------------------------------------
Receipt        + qty at the target location, in the target status (default Available).
Issue          - qty at the source location, from the source status. Only an Issue of Available
               stock may take more than is available, and only when backorders are allowed:
               that is selling ahead of stock. Nothing else may move stock that is not there.
Transfer       - qty at the source, + qty at the target, the stock keeping its status.
               Via In Transit it is two steps: dispatch (- source, + In Transit *at the target*)
               and receipt (`plan_transit_receipt`: - In Transit, + Available at the target).
               Holding transit stock at the target makes it the target's incoming quantity,
               keeps it out of every location's available stock, and lets the receiving store
               confirm arrival with a purely local status change.
Status Change  - from status, + to status, at one location.
Stock Count    counted qty replaces the recorded one: one movement of the difference (none when
               it matches). Status Change and Stock Count name their location in `to_location`,
               as the OMS Stock Entry form does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import _lt
from oms_omnichannel.core.text_enum import TextEnum

PRECISION = 6
TOLERANCE = 10**-PRECISION

BalanceKey = tuple[str, str, str]  # item, location, stock status


class StockStatus(TextEnum):
	AVAILABLE = "Available"
	DAMAGED = "Damaged"
	QUARANTINE = "Quarantine"
	IN_TRANSIT = "In Transit"


class EntryType(TextEnum):
	RECEIPT = "Receipt"
	ISSUE = "Issue"
	TRANSFER = "Transfer"
	STATUS_CHANGE = "Status Change"
	STOCK_COUNT = "Stock Count"


def qty_round(qty: float) -> float:
	"""Round away float noise (0.1 + 0.2) so that comparisons and sums stay exact enough."""
	return round(qty, PRECISION) + 0.0  # + 0.0 turns -0.0 into 0.0


def fmt_qty(qty: float) -> str:
	"""A quantity for messages: '3' rather than '3.0', '2.5' rather than '2.500000'."""
	qty = qty_round(qty)
	return str(int(qty)) if qty == int(qty) else f"{qty:.6f}".rstrip("0")


def as_stock_status(value: str | StockStatus, field: str = "stock_status") -> StockStatus:
	return StockStatus.parse(value, _lt("stock status"), field=field)


def as_entry_type(value: str | EntryType) -> EntryType:
	return EntryType.parse(value, _lt("stock entry type"), field="entry_type")


@dataclass(frozen=True)
class Balance:
	"""One OMS Stock Balance row as the core needs it. `available_qty` is the recorded value, if read."""

	actual_qty: float = 0.0
	reserved_qty: float = 0.0
	available_qty: float | None = None

	@property
	def free_qty(self) -> float:
		"""What may be taken: actual minus reserved (the recorded available is not trusted here)."""
		return qty_round(self.actual_qty - self.reserved_qty)


@dataclass(frozen=True)
class EntryLine:
	"""One row of a stock entry. `counted_qty` is read for Stock Count only."""

	item: str
	qty: float = 0.0
	counted_qty: float | None = None
	item_disabled: bool = False
	line_id: str | None = None
	valuation_rate: float = 0.0


@dataclass(frozen=True)
class StockMovement:
	"""One ledger row to write: `qty_change` is signed."""

	item: str
	location: str
	stock_status: str
	qty_change: float
	line_id: str | None = None
	valuation_rate: float = 0.0

	@property
	def key(self) -> BalanceKey:
		return (self.item, self.location, self.stock_status)


# ---------------------------------------------------------------------------------------
# stock entries


def plan_stock_entry(
	entry_type: str | EntryType,
	lines: Sequence[EntryLine],
	balances: Mapping[BalanceKey, Balance],
	allow_negative: bool = False,
	*,
	from_location: str | None = None,
	to_location: str | None = None,
	from_status: str | StockStatus = StockStatus.AVAILABLE,
	to_status: str | StockStatus = StockStatus.AVAILABLE,
	via_in_transit: bool = False,
) -> list[StockMovement]:
	"""The ledger movements a stock entry implies (see the module docstring), or a refusal.

	`balances` must hold every (item, location, status) the entry takes from or counts; a missing
	key counts as an empty balance. `allow_negative` is the backorder setting: it lets an Issue of
	Available stock go below zero and nothing else.
	"""
	kind = as_entry_type(entry_type)
	source_status = as_stock_status(from_status, "from_status")
	target_status = as_stock_status(to_status, "to_status")
	if not lines:
		raise ValidationFailed("Add at least one item to the {0} entry", kind.value, field="items")
	for line in lines:
		_check_line(line, kind)

	movements: list[StockMovement] = []
	if kind is EntryType.RECEIPT:
		target = _require_location(to_location, "to_location", kind)
		movements = [_move(line, target, target_status, line.qty) for line in lines]
	elif kind is EntryType.ISSUE:
		source = _require_location(from_location, "from_location", kind)
		movements = [_move(line, source, source_status, -line.qty) for line in lines]
		check_availability(movements, balances, allow_negative=allow_negative)
	elif kind is EntryType.TRANSFER:
		source = _require_location(from_location, "from_location", kind)
		target = _require_location(to_location, "to_location", kind)
		if source == target:
			raise ValidationFailed(
				"From Location and To Location are both {0}: a transfer needs two different locations",
				source,
				field="to_location",
			)
		if via_in_transit and source_status is StockStatus.IN_TRANSIT:
			raise ValidationFailed(
				"Stock that is already In Transit cannot be sent via In Transit", field="from_status"
			)
		arrival_status = StockStatus.IN_TRANSIT if via_in_transit else source_status
		for line in lines:
			movements.append(_move(line, source, source_status, -line.qty))
			movements.append(_move(line, target, arrival_status, line.qty))
		check_availability(movements, balances, allow_negative=False)
	elif kind is EntryType.STATUS_CHANGE:
		location = _require_location(to_location, "to_location", kind)
		if source_status is target_status:
			raise ValidationFailed(
				"From Status and To Status are both {0}: a status change needs two different statuses",
				source_status.value,
				field="to_status",
			)
		for line in lines:
			movements.append(_move(line, location, source_status, -line.qty))
			movements.append(_move(line, location, target_status, line.qty))
		check_availability(movements, balances, allow_negative=False)
	else:
		location = _require_location(to_location, "to_location", kind)
		seen: set[str] = set()
		for line in lines:
			if line.item in seen:
				raise ValidationFailed(
					"Item {0} is counted twice at {1}: enter one counted quantity per item",
					line.item,
					location,
					field="item",
				)
			seen.add(line.item)
			recorded = balances.get((line.item, location, target_status.value), Balance()).actual_qty
			difference = qty_round(line.counted_qty - recorded)  # type: ignore[operator]
			if difference:
				movements.append(_move(line, location, target_status, difference))
	return movements


def plan_transit_receipt(
	lines: Sequence[EntryLine],
	balances: Mapping[BalanceKey, Balance],
	*,
	to_location: str | None,
	to_status: str | StockStatus = StockStatus.AVAILABLE,
) -> list[StockMovement]:
	"""Second step of a transfer via In Transit: the target receives what is held In Transit there."""
	target_status = as_stock_status(to_status, "to_status")
	if target_status is StockStatus.IN_TRANSIT:
		raise ValidationFailed("Received stock cannot stay In Transit", field="to_status")
	target = _require_location(to_location, "to_location", EntryType.TRANSFER)
	if not lines:
		raise ValidationFailed(
			"Add at least one item to the {0} entry", EntryType.TRANSFER.value, field="items"
		)
	movements: list[StockMovement] = []
	for line in lines:
		_check_line(line, EntryType.TRANSFER)
		movements.append(_move(line, target, StockStatus.IN_TRANSIT, -line.qty))
		movements.append(_move(line, target, target_status, line.qty))
	check_availability(movements, balances, allow_negative=False)
	return movements


def check_availability(
	movements: Iterable[StockMovement], balances: Mapping[BalanceKey, Balance], *, allow_negative: bool
) -> None:
	"""Refuse taking more than a balance has free (actual - reserved), summed per key.

	`allow_negative` applies to Available stock only: Damaged, Quarantine or In Transit stock can
	never be overdrawn, backorders or not.
	"""
	for key, change in movement_totals(movements).items():
		if change >= 0:
			continue
		item, location, status = key
		if allow_negative and status == StockStatus.AVAILABLE.value:
			continue
		free = balances.get(key, Balance()).free_qty
		if qty_round(free + change) < 0:
			raise ValidationFailed(
				"Not enough stock of {0} at {1} ({2}): {3} available, {4} requested",
				item,
				location,
				status,
				fmt_qty(max(free, 0.0)),
				fmt_qty(-change),
				field="qty",
			)


def movement_totals(movements: Iterable[StockMovement]) -> dict[BalanceKey, float]:
	"""Net change per (item, location, status), in first-seen order."""
	totals: dict[BalanceKey, float] = {}
	for movement in movements:
		totals[movement.key] = qty_round(totals.get(movement.key, 0.0) + movement.qty_change)
	return totals


def reversal(movements: Iterable[StockMovement]) -> list[StockMovement]:
	"""The movements that undo `movements`: ledgers are append-only, so cancelling adds opposites."""
	return [replace(m, qty_change=-m.qty_change + 0.0) for m in movements]


def _check_line(line: EntryLine, kind: EntryType) -> None:
	if not line.item:
		raise ValidationFailed("Every row of the {0} entry needs an item", kind.value, field="item")
	if line.item_disabled:
		raise ValidationFailed("Item {0} is disabled: stock of it cannot be moved", line.item, field="item")
	if kind is EntryType.STOCK_COUNT:
		if line.counted_qty is None:
			raise ValidationFailed("Counted Quantity of {0} is missing", line.item, field="counted_qty")
		if not math.isfinite(line.counted_qty) or line.counted_qty < 0:
			raise ValidationFailed(
				"Counted Quantity of {0} must be zero or more, not {1}",
				line.item,
				line.counted_qty,
				field="counted_qty",
			)
		return
	if not math.isfinite(line.qty) or qty_round(line.qty) <= 0:
		raise ValidationFailed(
			"Quantity of {0} must be greater than zero, not {1}", line.item, line.qty, field="qty"
		)


def _require_location(location: str | None, fieldname: str, kind: EntryType) -> str:
	if not location:
		label = "From Location" if fieldname == "from_location" else "To Location"
		raise ValidationFailed(
			"{0} is required for a stock entry of type {1}", label, kind.value, field=fieldname
		)
	return location


def _move(line: EntryLine, location: str, status: StockStatus, qty: float) -> StockMovement:
	return StockMovement(line.item, location, status.value, qty_round(qty), line.line_id, line.valuation_rate)


# ---------------------------------------------------------------------------------------
# available to promise


@dataclass(frozen=True)
class ChannelBuffer:
	"""What a channel is *not* offered: `units` kept back, then only `percent` of the rest listed."""

	units: float = 0.0
	percent: float = 100.0


@dataclass(frozen=True)
class ATP:
	"""Available to promise for one item on one channel.

	`per_location[loc]` answers "how much can this location promise through this channel": its own
	available stock, capped at `total`. The figures are not shares of `total` and need not add up
	to it when a buffer applies.
	"""

	total: float
	per_location: dict[str, float]
	unbuffered_total: float


def atp(
	balances_by_location: Mapping[str, Balance],
	channel_buffer: ChannelBuffer | None = None,
	*,
	allow_backorders: bool = False,
	whole_units: bool = True,
) -> ATP:
	"""Available to promise for one item (Available status) across locations, for one channel.

	Each location offers actual - reserved, floored at zero unless backorders are allowed (a
	location oversold by 3 must not eat another location's stock). The buffer is applied to the
	total, not per location: first `units` are kept back, then `percent` of what remains is the
	channel's allocation. With `whole_units` (marketplaces take integers) the result is rounded
	down. Every per-location figure is then capped at the channel total, so no location promises
	more than the channel may sell.
	"""
	buffer = channel_buffer or ChannelBuffer()
	if not math.isfinite(buffer.units) or buffer.units < 0:
		raise ValidationFailed(
			"Channel buffer units must be zero or more, not {0}", buffer.units, field="buffer_units"
		)
	if not math.isfinite(buffer.percent) or not 0 <= buffer.percent <= 100:
		raise ValidationFailed(
			"Channel allocation percentage must be between 0 and 100, not {0}",
			buffer.percent,
			field="allocation_percent",
		)
	own = {}
	for location, balance in balances_by_location.items():
		free = balance.free_qty
		own[location] = free if allow_backorders else max(free, 0.0)
	unbuffered = qty_round(sum(own.values()))
	total = unbuffered - buffer.units
	if total > 0:
		total = total * buffer.percent / 100
	if not allow_backorders:
		total = max(total, 0.0)
	if whole_units:
		total = float(math.floor(total + TOLERANCE))
	total = qty_round(total)
	per_location = {}
	for location, qty in own.items():
		capped = min(qty, total)
		per_location[location] = qty_round(float(math.floor(capped + TOLERANCE)) if whole_units else capped)
	return ATP(total=total, per_location=per_location, unbuffered_total=unbuffered)


# ---------------------------------------------------------------------------------------
# reservation allocation


@dataclass(frozen=True)
class AllocationLine:
	"""An order line to reserve; `locations` are the ones that may serve it, best first."""

	line_id: str
	item: str
	qty: float
	locations: Sequence[str] = ()


@dataclass
class Allocation:
	"""Per line: [(location, qty)] to reserve, and the remainder left as backorder (0 when filled)."""

	allocations: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
	remainder: dict[str, float] = field(default_factory=dict)

	@property
	def backorder(self) -> dict[str, float]:
		return {line_id: qty for line_id, qty in self.remainder.items() if qty > 0}


def validate_order_lines(lines: Iterable) -> None:
	"""Order lines (anything with line_id, item, qty): each once, with an item and a quantity > 0."""
	seen: set[str] = set()
	for line in lines:
		if line.line_id in seen:
			raise ValidationFailed("Order line {0} appears twice", line.line_id, field="line_id")
		seen.add(line.line_id)
		if not line.item:
			raise ValidationFailed("Order line {0} has no item", line.line_id, field="item")
		if not math.isfinite(line.qty) or qty_round(line.qty) <= 0:
			raise ValidationFailed(
				"Quantity of {0} on line {1} must be greater than zero, not {2}",
				line.item,
				line.line_id,
				line.qty,
				field="qty",
			)


def allocate(
	lines: Sequence[AllocationLine],
	available: Mapping[tuple[str, str], float],
	*,
	allow_split: bool = True,
	locations: Sequence[str] = (),
) -> Allocation:
	"""Decide which location reserves how much of each line.

	`available` is keyed by (item, location) and shared by all lines: two lines of one item draw
	on the same stock, in line order. A line tries its own `locations` (or the shared
	`locations` when it has none) in priority order. With `allow_split` it takes what each can
	give until filled; without, it goes whole to the first location that can take all of it, and
	when none can it reserves nothing (holding part of a line at a location that may never get
	the rest would block stock other orders could ship). What is not reserved is the remainder.
	"""
	validate_order_lines(lines)
	left = {key: max(qty_round(qty), 0.0) for key, qty in available.items()}
	result = Allocation()
	for line in lines:
		candidates = list(dict.fromkeys(line.locations or locations))
		need = qty_round(line.qty)
		taken: list[tuple[str, float]] = []
		if allow_split:
			for location in candidates:
				if need <= 0:
					break
				take = min(need, left.get((line.item, location), 0.0))
				if take > 0:
					taken.append((location, take))
					left[(line.item, location)] = qty_round(left[(line.item, location)] - take)
					need = qty_round(need - take)
		else:
			for location in candidates:
				if left.get((line.item, location), 0.0) >= need:
					taken.append((location, need))
					left[(line.item, location)] = qty_round(left[(line.item, location)] - need)
					need = 0.0
					break
		result.allocations[line.line_id] = taken
		result.remainder[line.line_id] = need
	return result


# ---------------------------------------------------------------------------------------
# reorder


@dataclass(frozen=True)
class ReorderDecision:
	breached: bool  # available is at or below the reorder level
	raise_suggestion: bool  # create a Reorder Suggestion now
	suggested_qty: float  # what to order (set whenever breached)
	close_open_suggestion: bool  # stock is back above the level: close the open suggestion
	reorder_level: float  # the level used (the safety stock when no reorder level is set)


def reorder_check(
	available: float,
	safety_stock: float,
	reorder_level: float,
	reorder_qty: float,
	open_suggestion_exists: bool,
) -> ReorderDecision:
	"""Whether a breach of the reorder level raises a suggestion, and for how much.

	One suggestion per breach: none is raised while one is open, and the open one is closed once
	available is back above the level, so the next breach raises a new one. The suggested
	quantity is the smallest whole number that lifts available above the level, and at least the
	reorder quantity. With no reorder level, safety stock or reorder quantity set, reordering is
	not configured and nothing is raised.
	"""
	for name, value in (
		("safety_stock", safety_stock),
		("reorder_level", reorder_level),
		("reorder_qty", reorder_qty),
	):
		if not math.isfinite(value) or value < 0:
			label = name.replace("_", " ").title().replace("Qty", "Quantity")
			raise ValidationFailed("{0} must be zero or more, not {1}", label, value, field=name)
	level = reorder_level or safety_stock
	if level <= 0 and reorder_qty <= 0:
		return ReorderDecision(False, False, 0.0, False, 0.0)
	breached = qty_round(available) <= qty_round(level)
	suggested = 0.0
	if breached:
		shortfall = qty_round(level - available)
		suggested = max(float(reorder_qty), float(math.floor(shortfall + TOLERANCE) + 1))
	return ReorderDecision(
		breached=breached,
		raise_suggestion=breached and not open_suggestion_exists,
		suggested_qty=qty_round(suggested),
		close_open_suggestion=open_suggestion_exists and not breached,
		reorder_level=float(level),
	)


# ---------------------------------------------------------------------------------------
# integrity


@dataclass(frozen=True)
class Drift:
	"""A balance field that disagrees with what the ledger and reservations say it must be."""

	item: str
	location: str
	stock_status: str
	field: str  # actual_qty, reserved_qty or available_qty
	recorded: float
	expected: float


def balance_drift(
	balances: Mapping[BalanceKey, Balance],
	ledger_sums: Mapping[BalanceKey, float],
	open_reservation_sums: Mapping[BalanceKey, float],
) -> list[Drift]:
	"""Compare every balance with invariant 1 of DESIGN.md; sorted by key, then field.

	actual = sum of ledger; reserved = sum of open reservations; available = actual - reserved,
	all from the expected values, so a wrong actual also shows as a wrong available. A ledger or
	reservation sum without a balance row is drift against a recorded 0.
	"""
	drifts: list[Drift] = []
	for key in lock_order([*balances, *ledger_sums, *open_reservation_sums]):
		balance = balances.get(key)
		recorded = balance or Balance()
		expected_actual = qty_round(ledger_sums.get(key, 0.0))
		expected_reserved = qty_round(open_reservation_sums.get(key, 0.0))
		checks = [("actual_qty", recorded.actual_qty, expected_actual)]
		checks.append(("reserved_qty", recorded.reserved_qty, expected_reserved))
		if balance is not None and balance.available_qty is not None:
			checks.append(
				("available_qty", balance.available_qty, qty_round(expected_actual - expected_reserved))
			)
		for fieldname, have, want in checks:
			if abs(have - want) > TOLERANCE:
				drifts.append(Drift(*key, fieldname, have, want))
	return drifts


# ---------------------------------------------------------------------------------------
# locking


def lock_order(keys: Iterable[BalanceKey]) -> list[BalanceKey]:
	"""The order balance rows are locked in: sorted, each once. One global order means two
	transactions wanting the same rows queue instead of each holding one the other needs."""
	unique: set[BalanceKey] = set()
	for key in keys:
		key = tuple(key)
		if len(key) != 3 or not all(isinstance(part, str) and part for part in key):
			raise ValidationFailed(
				"A stock balance key needs item, location and stock status, not {0}", key, field="item"
			)
		unique.add(key)  # type: ignore[arg-type]
	return sorted(unique)
