"""Tier-1 tests of the inventory arithmetic: stock entries, ATP, allocation, reorder, integrity, locks."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.stock import (
	ATP,
	AllocationLine,
	Balance,
	ChannelBuffer,
	Drift,
	EntryLine,
	StockMovement,
	allocate,
	atp,
	balance_drift,
	check_availability,
	fmt_qty,
	lock_order,
	movement_totals,
	plan_stock_entry,
	plan_transit_receipt,
	reorder_check,
	reversal,
)

A, D, Q, T = "Available", "Damaged", "Quarantine", "In Transit"


def moves(movements: list[StockMovement]) -> list[tuple[str, str, str, float]]:
	return [(m.item, m.location, m.stock_status, m.qty_change) for m in movements]


BALANCES = {
	("SKU-1", "WH-1", A): Balance(actual_qty=10, reserved_qty=4),
	("SKU-1", "WH-1", D): Balance(actual_qty=2),
	("SKU-2", "WH-1", A): Balance(actual_qty=3),
	("SKU-1", "ST-1", T): Balance(actual_qty=5),
}


# ---------------------------------------------------------------------------------------
# stock entries: what each type moves


@pytest.mark.parametrize(
	"entry_type, lines, kwargs, expected",
	[
		(
			"Receipt",
			[EntryLine("SKU-1", 5), EntryLine("SKU-2", 1.5)],
			{"to_location": "WH-1"},
			[("SKU-1", "WH-1", A, 5), ("SKU-2", "WH-1", A, 1.5)],
		),
		(
			"Receipt",
			[EntryLine("SKU-1", 5)],
			{"to_location": "WH-1", "to_status": Q},
			[("SKU-1", "WH-1", Q, 5)],
		),
		("Issue", [EntryLine("SKU-1", 6)], {"from_location": "WH-1"}, [("SKU-1", "WH-1", A, -6)]),
		(
			"Issue",
			[EntryLine("SKU-1", 2)],
			{"from_location": "WH-1", "from_status": D},
			[("SKU-1", "WH-1", D, -2)],
		),
		(
			"Transfer",
			[EntryLine("SKU-1", 4)],
			{"from_location": "WH-1", "to_location": "ST-1"},
			[("SKU-1", "WH-1", A, -4), ("SKU-1", "ST-1", A, 4)],
		),
		(
			"Transfer",
			[EntryLine("SKU-1", 4)],
			{"from_location": "WH-1", "to_location": "ST-1", "via_in_transit": True},
			[("SKU-1", "WH-1", A, -4), ("SKU-1", "ST-1", T, 4)],
		),
		(
			"Status Change",
			[EntryLine("SKU-1", 6)],
			{"to_location": "WH-1", "from_status": A, "to_status": D},
			[("SKU-1", "WH-1", A, -6), ("SKU-1", "WH-1", D, 6)],
		),
		(
			"Status Change",
			[EntryLine("SKU-1", 2)],
			{"to_location": "WH-1", "from_status": D, "to_status": Q},
			[("SKU-1", "WH-1", D, -2), ("SKU-1", "WH-1", Q, 2)],
		),
		(
			"Stock Count",
			[EntryLine("SKU-1", counted_qty=7), EntryLine("SKU-2", counted_qty=4.25)],
			{"to_location": "WH-1"},
			[("SKU-1", "WH-1", A, -3), ("SKU-2", "WH-1", A, 1.25)],
		),
		("Stock Count", [EntryLine("SKU-1", counted_qty=10)], {"to_location": "WH-1"}, []),
		(
			"Stock Count",
			[EntryLine("SKU-1", counted_qty=0)],
			{"to_location": "WH-1", "to_status": D},
			[("SKU-1", "WH-1", D, -2)],
		),
		(
			"Stock Count",
			[EntryLine("SKU-9", counted_qty=3)],
			{"to_location": "WH-1"},
			[("SKU-9", "WH-1", A, 3)],
		),
	],
)
def test_each_entry_type_implies_its_movements(entry_type, lines, kwargs, expected):
	assert moves(plan_stock_entry(entry_type, lines, BALANCES, **kwargs)) == expected


def test_movements_carry_line_id_and_valuation_rate():
	[movement] = plan_stock_entry(
		"Receipt", [EntryLine("SKU-1", 1, line_id="row-1", valuation_rate=9.5)], {}, to_location="WH-1"
	)
	assert (movement.line_id, movement.valuation_rate, movement.key) == ("row-1", 9.5, ("SKU-1", "WH-1", A))


def test_transit_receipt_moves_in_transit_stock_to_available_at_the_target():
	received = plan_transit_receipt([EntryLine("SKU-1", 5)], BALANCES, to_location="ST-1")
	assert moves(received) == [("SKU-1", "ST-1", T, -5), ("SKU-1", "ST-1", A, 5)]


def test_dispatch_then_receipt_nets_to_a_plain_transfer():
	dispatch = plan_stock_entry(
		"Transfer",
		[EntryLine("SKU-1", 4)],
		BALANCES,
		from_location="WH-1",
		to_location="ST-2",
		via_in_transit=True,
	)
	in_transit = {("SKU-1", "ST-2", T): Balance(actual_qty=4)}
	receipt = plan_transit_receipt([EntryLine("SKU-1", 4)], in_transit, to_location="ST-2")
	net = {key: qty for key, qty in movement_totals(dispatch + receipt).items() if qty}
	assert net == {("SKU-1", "WH-1", A): -4, ("SKU-1", "ST-2", A): 4}


def test_issue_may_overdraw_available_stock_when_backorders_are_allowed():
	planned = plan_stock_entry("Issue", [EntryLine("SKU-1", 9)], BALANCES, True, from_location="WH-1")
	assert moves(planned) == [("SKU-1", "WH-1", A, -9)]


def test_stock_count_difference_is_rounded():
	planned = plan_stock_entry(
		"Stock Count",
		[EntryLine("SKU-1", counted_qty=0.3)],
		{("SKU-1", "WH-1", A): Balance(actual_qty=0.1 + 0.2)},
		to_location="WH-1",
	)
	assert planned == []


# ---------------------------------------------------------------------------------------
# stock entries: every refusal


@pytest.mark.parametrize(
	"entry_type, lines, allow_negative, kwargs, field, message",
	[
		(
			"Issue",
			[EntryLine("SKU-1", 7)],
			False,
			{"from_location": "WH-1"},
			"qty",
			"Not enough stock of SKU-1 at WH-1 (Available): 6 available, 7 requested",
		),
		(
			"Issue",
			[EntryLine("SKU-1", 4), EntryLine("SKU-1", 3)],
			False,
			{"from_location": "WH-1"},
			"qty",
			"Not enough stock of SKU-1 at WH-1 (Available): 6 available, 7 requested",
		),
		(
			"Issue",
			[EntryLine("SKU-1", 3)],
			True,
			{"from_location": "WH-1", "from_status": D},
			"qty",
			"Not enough stock of SKU-1 at WH-1 (Damaged): 2 available, 3 requested",
		),
		(
			"Issue",
			[EntryLine("SKU-3", 1)],
			False,
			{"from_location": "WH-1"},
			"qty",
			"Not enough stock of SKU-3 at WH-1 (Available): 0 available, 1 requested",
		),
		(
			"Transfer",
			[EntryLine("SKU-1", 7)],
			True,
			{"from_location": "WH-1", "to_location": "ST-1"},
			"qty",
			"Not enough stock of SKU-1 at WH-1 (Available): 6 available, 7 requested",
		),
		(
			"Transfer",
			[EntryLine("SKU-1", 1)],
			False,
			{"from_location": "WH-1", "to_location": "WH-1"},
			"to_location",
			"From Location and To Location are both WH-1: a transfer needs two different locations",
		),
		(
			"Transfer",
			[EntryLine("SKU-1", 1)],
			False,
			{"from_location": "ST-1", "to_location": "WH-1", "from_status": T, "via_in_transit": True},
			"from_status",
			"Stock that is already In Transit cannot be sent via In Transit",
		),
		(
			"Status Change",
			[EntryLine("SKU-1", 1)],
			False,
			{"to_location": "WH-1", "from_status": D, "to_status": D},
			"to_status",
			"From Status and To Status are both Damaged: a status change needs two different statuses",
		),
		(
			"Status Change",
			[EntryLine("SKU-1", 3)],
			False,
			{"to_location": "WH-1", "from_status": D, "to_status": A},
			"qty",
			"Not enough stock of SKU-1 at WH-1 (Damaged): 2 available, 3 requested",
		),
		(
			"Receipt",
			[EntryLine("SKU-1", 0)],
			False,
			{"to_location": "WH-1"},
			"qty",
			"Quantity of SKU-1 must be greater than zero, not 0",
		),
		(
			"Issue",
			[EntryLine("SKU-1", -2)],
			False,
			{"from_location": "WH-1"},
			"qty",
			"Quantity of SKU-1 must be greater than zero, not -2",
		),
		(
			"Receipt",
			[EntryLine("SKU-1", math.nan)],
			False,
			{"to_location": "WH-1"},
			"qty",
			"Quantity of SKU-1 must be greater than zero, not nan",
		),
		(
			"Stock Count",
			[EntryLine("SKU-1", counted_qty=-1)],
			False,
			{"to_location": "WH-1"},
			"counted_qty",
			"Counted Quantity of SKU-1 must be zero or more, not -1",
		),
		(
			"Stock Count",
			[EntryLine("SKU-1")],
			False,
			{"to_location": "WH-1"},
			"counted_qty",
			"Counted Quantity of SKU-1 is missing",
		),
		(
			"Stock Count",
			[EntryLine("SKU-1", counted_qty=1), EntryLine("SKU-1", counted_qty=2)],
			False,
			{"to_location": "WH-1"},
			"item",
			"Item SKU-1 is counted twice at WH-1: enter one counted quantity per item",
		),
		(
			"Receipt",
			[EntryLine("SKU-1", 1, item_disabled=True)],
			False,
			{"to_location": "WH-1"},
			"item",
			"Item SKU-1 is disabled: stock of it cannot be moved",
		),
		(
			"Receipt",
			[EntryLine("", 1)],
			False,
			{"to_location": "WH-1"},
			"item",
			"Every row of the Receipt entry needs an item",
		),
		(
			"Receipt",
			[],
			False,
			{"to_location": "WH-1"},
			"items",
			"Add at least one item to the Receipt entry",
		),
		(
			"Receipt",
			[EntryLine("SKU-1", 1)],
			False,
			{},
			"to_location",
			"To Location is required for a stock entry of type Receipt",
		),
		(
			"Issue",
			[EntryLine("SKU-1", 1)],
			False,
			{},
			"from_location",
			"From Location is required for a stock entry of type Issue",
		),
		(
			"Transfer",
			[EntryLine("SKU-1", 1)],
			False,
			{"from_location": "WH-1"},
			"to_location",
			"To Location is required for a stock entry of type Transfer",
		),
		(
			"Stock Count",
			[EntryLine("SKU-1", counted_qty=1)],
			False,
			{"from_location": "WH-1"},
			"to_location",
			"To Location is required for a stock entry of type Stock Count",
		),
		(
			"Issue",
			[EntryLine("SKU-1", 1)],
			False,
			{"from_location": "WH-1", "from_status": "Lost"},
			"from_status",
			"Unknown stock status Lost (allowed: Available, Damaged, Quarantine, In Transit)",
		),
		(
			"Receipt",
			[EntryLine("SKU-1", 1)],
			False,
			{"to_location": "WH-1", "to_status": "Sold"},
			"to_status",
			"Unknown stock status Sold",
		),
		(
			"Scrap",
			[EntryLine("SKU-1", 1)],
			False,
			{},
			"entry_type",
			"Unknown stock entry type Scrap (allowed: Receipt, Issue, Transfer, Status Change, Stock Count)",
		),
	],
)
def test_stock_entry_refusals_name_the_field(entry_type, lines, allow_negative, kwargs, field, message):
	with pytest.raises(ValidationFailed) as raised:
		plan_stock_entry(entry_type, lines, BALANCES, allow_negative, **kwargs)
	assert raised.value.field == field
	assert message in str(raised.value)


@pytest.mark.parametrize(
	"lines, kwargs, field, message",
	[
		(
			[EntryLine("SKU-1", 6)],
			{"to_location": "ST-1"},
			"qty",
			"Not enough stock of SKU-1 at ST-1 (In Transit): 5 available, 6 requested",
		),
		([EntryLine("SKU-1", 1)], {"to_location": None}, "to_location", "To Location is required"),
		(
			[EntryLine("SKU-1", 1)],
			{"to_location": "ST-1", "to_status": T},
			"to_status",
			"cannot stay In Transit",
		),
		([], {"to_location": "ST-1"}, "items", "Add at least one item"),
		([EntryLine("SKU-1", 0)], {"to_location": "ST-1"}, "qty", "must be greater than zero"),
	],
)
def test_transit_receipt_refusals(lines, kwargs, field, message):
	with pytest.raises(ValidationFailed) as raised:
		plan_transit_receipt(lines, BALANCES, **kwargs)
	assert raised.value.field == field
	assert message in str(raised.value)


def test_check_availability_ignores_inflows_and_respects_reservations():
	check_availability([StockMovement("SKU-1", "WH-1", A, 100)], BALANCES, allow_negative=False)
	check_availability([StockMovement("SKU-1", "WH-1", A, -6)], BALANCES, allow_negative=False)
	with pytest.raises(ValidationFailed, match="6 available, 6.5 requested"):
		check_availability([StockMovement("SKU-1", "WH-1", A, -6.5)], BALANCES, allow_negative=False)


def test_fmt_qty():
	assert [fmt_qty(q) for q in (3.0, 2.5, 0.1 + 0.2, -0.0, 1e-9)] == ["3", "2.5", "0.3", "0", "0"]


# ---------------------------------------------------------------------------------------
# reversal

movement_strategy = st.builds(
	StockMovement,
	item=st.sampled_from(["SKU-1", "SKU-2"]),
	location=st.sampled_from(["WH-1", "ST-1"]),
	stock_status=st.sampled_from([A, D, Q, T]),
	qty_change=st.floats(-1000, 1000, allow_nan=False).map(lambda q: round(q, 3)),
)


@given(st.lists(movement_strategy, max_size=12))
def test_reversal_sums_to_zero_per_key(movements):
	totals = movement_totals(movements + reversal(movements))
	assert all(qty == 0 for qty in totals.values())
	assert reversal(reversal(movements)) == movements


def test_reversal_keeps_everything_but_the_sign():
	original = StockMovement("SKU-1", "WH-1", A, -4, "row-1", 2.5)
	assert reversal([original]) == [StockMovement("SKU-1", "WH-1", A, 4, "row-1", 2.5)]


# ---------------------------------------------------------------------------------------
# available to promise


@pytest.mark.parametrize(
	"balances, buffer, kwargs, total, per_location",
	[
		({"WH": Balance(10, 2), "ST": Balance(3, 5)}, None, {}, 8, {"WH": 8, "ST": 0}),
		(
			{"WH": Balance(10, 2), "ST": Balance(3, 5)},
			None,
			{"allow_backorders": True},
			6,
			{"WH": 6, "ST": -2},
		),
		({"WH": Balance(10, 2), "ST": Balance(3, 1)}, ChannelBuffer(units=4), {}, 6, {"WH": 6, "ST": 2}),
		({"WH": Balance(10, 2)}, ChannelBuffer(percent=50), {}, 4, {"WH": 4}),
		({"WH": Balance(10, 2)}, ChannelBuffer(units=2, percent=50), {}, 3, {"WH": 3}),
		({"WH": Balance(7)}, ChannelBuffer(percent=50), {}, 3, {"WH": 3}),
		({"WH": Balance(7)}, ChannelBuffer(percent=50), {"whole_units": False}, 3.5, {"WH": 3.5}),
		({"WH": Balance(2.5), "ST": Balance(1.5)}, None, {"whole_units": False}, 4, {"WH": 2.5, "ST": 1.5}),
		({"WH": Balance(3)}, ChannelBuffer(units=5), {}, 0, {"WH": 0}),
		({"WH": Balance(3)}, ChannelBuffer(units=5), {"allow_backorders": True}, -2, {"WH": -2}),
		({}, ChannelBuffer(units=1), {}, 0, {}),
	],
)
def test_atp(balances, buffer, kwargs, total, per_location):
	result = atp(balances, buffer, **kwargs)
	assert (result.total, result.per_location) == (total, per_location)


def test_atp_reports_the_unbuffered_total():
	assert atp({"WH": Balance(10, 2)}, ChannelBuffer(units=3)) == ATP(5, {"WH": 5}, 8)


@pytest.mark.parametrize(
	"buffer, field, message",
	[
		(ChannelBuffer(units=-1), "buffer_units", "Channel buffer units must be zero or more, not -1"),
		(ChannelBuffer(percent=120), "allocation_percent", "between 0 and 100, not 120"),
		(ChannelBuffer(percent=-5), "allocation_percent", "between 0 and 100, not -5"),
		(ChannelBuffer(units=math.inf), "buffer_units", "must be zero or more"),
	],
)
def test_atp_refuses_impossible_buffers(buffer, field, message):
	with pytest.raises(ValidationFailed) as raised:
		atp({"WH": Balance(1)}, buffer)
	assert raised.value.field == field
	assert message in str(raised.value)


qty_strategy = st.floats(0, 500, allow_nan=False).map(lambda q: round(q, 2))


@given(
	st.dictionaries(st.sampled_from(["WH", "ST-1", "ST-2", "ST-3"]), st.tuples(qty_strategy, qty_strategy)),
	st.floats(0, 100),
	st.floats(0, 100),
	st.booleans(),
)
def test_atp_is_never_negative_and_no_location_promises_more_than_the_channel(
	raw, units, percent, whole_units
):
	balances = {loc: Balance(actual, reserved) for loc, (actual, reserved) in raw.items()}
	result = atp(balances, ChannelBuffer(units, percent), whole_units=whole_units)
	assert result.total >= 0
	assert result.total <= result.unbuffered_total + 1e-9
	for location, qty in result.per_location.items():
		assert 0 <= qty <= result.total
		assert qty <= max(balances[location].free_qty, 0) + 1e-9
	if whole_units:
		assert result.total == int(result.total)


# ---------------------------------------------------------------------------------------
# reservation allocation


def test_allocation_splits_in_priority_order_and_shares_stock_between_lines():
	available = {("SKU-1", "WH"): 3, ("SKU-1", "ST"): 4, ("SKU-2", "ST"): 1}
	plan = allocate(
		[
			AllocationLine("L1", "SKU-1", 5, ["WH", "ST"]),
			AllocationLine("L2", "SKU-1", 4, ["WH", "ST"]),
			AllocationLine("L3", "SKU-2", 2),
		],
		available,
		locations=["WH", "ST"],
	)
	assert plan.allocations == {"L1": [("WH", 3), ("ST", 2)], "L2": [("ST", 2)], "L3": [("ST", 1)]}
	assert plan.remainder == {"L1": 0, "L2": 2, "L3": 1}
	assert plan.backorder == {"L2": 2, "L3": 1}


def test_without_split_a_line_goes_whole_to_the_first_location_that_can_take_it():
	available = {("SKU-1", "WH"): 3, ("SKU-1", "ST"): 5}
	plan = allocate([AllocationLine("L1", "SKU-1", 4, ["WH", "ST"])], available, allow_split=False)
	assert plan.allocations == {"L1": [("ST", 4)]}
	assert plan.remainder == {"L1": 0}


def test_without_split_a_line_no_location_can_take_whole_reserves_nothing():
	available = {("SKU-1", "WH"): 3, ("SKU-1", "ST"): 3}
	plan = allocate([AllocationLine("L1", "SKU-1", 4, ["WH", "ST"])], available, allow_split=False)
	assert plan.allocations == {"L1": []}
	assert plan.backorder == {"L1": 4}


def test_allocation_ignores_negative_availability_and_duplicate_candidates():
	available = {("SKU-1", "WH"): -2, ("SKU-1", "ST"): 1}
	plan = allocate([AllocationLine("L1", "SKU-1", 2, ["WH", "ST", "ST"])], available)
	assert plan.allocations == {"L1": [("ST", 1)]}
	assert plan.remainder == {"L1": 1}


def test_allocation_without_candidates_backorders_everything():
	plan = allocate([AllocationLine("L1", "SKU-1", 2)], {("SKU-1", "WH"): 5})
	assert plan.allocations == {"L1": []}
	assert plan.remainder == {"L1": 2}


@pytest.mark.parametrize(
	"lines, field, message",
	[
		(
			[AllocationLine("L1", "SKU-1", 1), AllocationLine("L1", "SKU-2", 1)],
			"line_id",
			"Order line L1 appears twice",
		),
		(
			[AllocationLine("L1", "SKU-1", 0)],
			"qty",
			"Quantity of SKU-1 on line L1 must be greater than zero, not 0",
		),
		([AllocationLine("L1", "SKU-1", -3)], "qty", "must be greater than zero, not -3"),
	],
)
def test_allocation_refusals(lines, field, message):
	with pytest.raises(ValidationFailed) as raised:
		allocate(lines, {}, locations=["WH"])
	assert raised.value.field == field
	assert message in str(raised.value)


LOCATIONS = ["WH", "ST-1", "ST-2"]
ITEMS = ["SKU-1", "SKU-2"]


@settings(max_examples=200)
@given(
	st.lists(
		st.tuples(
			st.sampled_from(ITEMS),
			st.integers(1, 20),
			st.lists(st.sampled_from(LOCATIONS), unique=True),
		),
		min_size=1,
		max_size=6,
	),
	st.dictionaries(st.tuples(st.sampled_from(ITEMS), st.sampled_from(LOCATIONS)), st.integers(-5, 20)),
	st.booleans(),
)
def test_allocation_properties(raw_lines, available, allow_split):
	lines = [AllocationLine(f"L{i}", item, qty, locs) for i, (item, qty, locs) in enumerate(raw_lines)]
	plan = allocate(lines, available, allow_split=allow_split)
	taken: dict[tuple[str, str], float] = {}
	for line in lines:
		parts = plan.allocations[line.line_id]
		allocated = sum(qty for _, qty in parts)
		assert allocated <= line.qty  # never more than ordered
		assert allocated + plan.remainder[line.line_id] == line.qty  # every unit accounted for
		assert all(qty > 0 and location in line.locations for location, qty in parts)
		if not allow_split:
			assert len(parts) <= 1
		for location, qty in parts:
			taken[(line.item, location)] = taken.get((line.item, location), 0) + qty
	for key, qty in taken.items():
		assert qty <= max(available.get(key, 0), 0)  # never more than available


# ---------------------------------------------------------------------------------------
# reorder


@pytest.mark.parametrize(
	"available, safety, level, reorder_qty, open_exists, breached, raise_it, suggested, close",
	[
		(12, 5, 10, 20, False, False, False, 0, False),  # above the level: nothing
		(10, 5, 10, 20, False, True, True, 20, False),  # at the level is a breach; reorder qty rules
		(3, 5, 10, 5, False, True, True, 8, False),  # 3 + 8 = 11 > 10: shortfall beats reorder qty
		(3, 5, 10, 5, True, True, False, 8, False),  # once per breach: one is already open
		(11, 5, 10, 5, True, False, False, 0, True),  # restored: close the open one
		(5, 5, 0, 0, False, True, True, 1, False),  # no reorder level: safety stock is the level
		(6, 5, 0, 0, True, False, False, 0, True),
		(-3, 0, 10, 0, False, True, True, 14, False),  # backordered stock
		(9.5, 0, 10, 0, False, True, True, 1, False),  # fractional stock: whole units
		(0, 0, 0, 0, False, False, False, 0, False),  # reordering not configured
		(0, 0, 0, 0, True, False, False, 0, False),
		(0, 0, 0, 12, False, True, True, 12, False),  # only a reorder qty: reorder when out
	],
)
def test_reorder_check(
	available, safety, level, reorder_qty, open_exists, breached, raise_it, suggested, close
):
	decision = reorder_check(available, safety, level, reorder_qty, open_exists)
	assert (
		decision.breached,
		decision.raise_suggestion,
		decision.suggested_qty,
		decision.close_open_suggestion,
	) == (breached, raise_it, suggested, close)
	if decision.breached:
		assert available + decision.suggested_qty > decision.reorder_level


@pytest.mark.parametrize(
	"args, field, message",
	[
		((1, -1, 0, 0), "safety_stock", "Safety Stock must be zero or more, not -1"),
		((1, 0, -2, 0), "reorder_level", "Reorder Level must be zero or more, not -2"),
		((1, 0, 0, -3), "reorder_qty", "Reorder Quantity must be zero or more, not -3"),
	],
)
def test_reorder_refusals(args, field, message):
	with pytest.raises(ValidationFailed) as raised:
		reorder_check(*args, False)
	assert raised.value.field == field
	assert str(raised.value) == message


# ---------------------------------------------------------------------------------------
# integrity


def test_consistent_balances_have_no_drift():
	key = ("SKU-1", "WH", A)
	assert balance_drift({key: Balance(10, 4, 6)}, {key: 10}, {key: 4}) == []
	assert balance_drift({key: Balance(0, 0)}, {}, {}) == []


def test_drift_names_item_location_status_field_recorded_and_expected():
	k1, k2, k3 = ("SKU-2", "WH", A), ("SKU-1", "WH", A), ("SKU-1", "ST", D)
	drifts = balance_drift(
		{k1: Balance(10, 4, 6), k2: Balance(5, 1, 3)},
		{k1: 9, k2: 5, k3: 2},
		{k1: 4, k2: 2},
	)
	assert drifts == [
		Drift("SKU-1", "ST", D, "actual_qty", 0, 2),  # ledger rows but no balance row
		Drift("SKU-1", "WH", A, "reserved_qty", 1, 2),  # available 3 = 5 - 2 is right
		Drift("SKU-2", "WH", A, "actual_qty", 10, 9),
		Drift("SKU-2", "WH", A, "available_qty", 6, 5),  # from the expected values
	]


def test_drift_tolerates_float_noise():
	key = ("SKU-1", "WH", A)
	assert balance_drift({key: Balance(0.1 + 0.2, 0, 0.3)}, {key: 0.3}, {}) == []


# ---------------------------------------------------------------------------------------
# lock order


def test_lock_order_is_sorted_and_unique():
	keys = [("SKU-2", "WH", A), ("SKU-1", "ST", A), ("SKU-2", "WH", A), ("SKU-1", "ST", D)]
	assert lock_order(keys) == [("SKU-1", "ST", A), ("SKU-1", "ST", D), ("SKU-2", "WH", A)]
	assert lock_order(iter([["SKU-1", "ST", A]])) == [("SKU-1", "ST", A)]
	assert lock_order([]) == []


@pytest.mark.parametrize("key", [("SKU-1", "WH"), ("SKU-1", None, A), ("", "WH", A)])
def test_lock_order_refuses_incomplete_keys(key):
	with pytest.raises(ValidationFailed, match="needs item, location and stock status"):
		lock_order([key])


key_strategy = st.tuples(st.sampled_from(ITEMS), st.sampled_from(LOCATIONS), st.sampled_from([A, D]))


@given(st.lists(key_strategy), st.randoms())
def test_lock_order_is_the_same_whatever_order_keys_come_in(keys, rnd):
	shuffled = list(keys)
	rnd.shuffle(shuffled)
	ordered = lock_order(keys)
	assert ordered == lock_order(shuffled) == sorted(set(keys))


# Exact fits: stock that equals the need fills it, whether lines may split or not (a `>` where `>=`
# belongs would reserve nothing here).
@pytest.mark.parametrize("allow_split", [True, False])
def test_stock_exactly_equal_to_the_need_fills_the_line(allow_split):
	plan = allocate(
		[AllocationLine("L1", "SKU-1", 4, ["WH", "ST"])],
		{("SKU-1", "WH"): 4, ("SKU-1", "ST"): 0},
		allow_split=allow_split,
	)
	assert plan.allocations == {"L1": [("WH", 4)]}
	assert plan.remainder == {"L1": 0}


def test_without_splitting_an_exact_fit_at_the_second_location_is_taken_whole():
	plan = allocate(
		[AllocationLine("L1", "SKU-1", 4, ["WH", "ST"])],
		{("SKU-1", "WH"): 3.999, ("SKU-1", "ST"): 4},
		allow_split=False,
	)
	assert plan.allocations == {"L1": [("ST", 4)]}
	assert plan.remainder == {"L1": 0}
