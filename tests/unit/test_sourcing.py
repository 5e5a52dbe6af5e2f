"""Tier-1 tests of sourcing: which location ships which line, the explanations, re-sourcing."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.sourcing import (
	CandidateLocation,
	Delivery,
	OrderLine,
	Shipment,
	SourcingRule,
	resource_after_rejection,
	source,
)

# Destination: Berlin Mitte. Distances by haversine: Store North 4.0 km, Store South 7.8 km,
# Central Warehouse 14.8 km, Pickup Point 0.3 km.
DEST = Delivery(
	latitude=52.52, longitude=13.405, postcode="10115", region="Berlin", order_value=120, channel="Web"
)
PICKUP = Delivery("Self Pickup", pickup_location="ST-P")


def loc(name, label, lat, lon, stock, **kwargs) -> CandidateLocation:
	return CandidateLocation(name, label, lat, lon, available=stock, **kwargs)


WH = loc("WH-C", "Central Warehouse", 52.40, 13.50, {"A": 10, "B": 10, "C": 10}, priority=1)
NORTH = loc("ST-N", "Store North", 52.555, 13.42, {"A": 2, "B": 1, "C": 5})
SOUTH = loc("ST-S", "Store South", 52.45, 13.40, {"A": 5, "B": 5, "D": 1})
PICKUP_POINT = loc("ST-P", "Pickup Point", 52.52, 13.40, {"A": 5}, can_ship=False, can_pickup=True)
TWIN = loc("ST-T", "Store Twin", 52.555, 13.42, {"A": 2, "B": 1, "C": 5}, priority=5)
NOWHERE = loc("NC", "Nowhere Store", None, None, {"A": 50, "B": 50, "C": 50})
NORTH4 = loc("ST-N", "Store North", 52.555, 13.42, {"A": 4})
SOUTH4 = loc("ST-S", "Store South", 52.45, 13.40, {"A": 4})

ABC = [OrderLine("L1", "A", 2), OrderLine("L2", "B", 1), OrderLine("L3", "C", 1)]


# ---------------------------------------------------------------------------------------
# decisions and their explanations

CASES = [
	pytest.param(
		ABC,
		DEST,
		[NORTH, SOUTH, WH, PICKUP_POINT, loc("ST-E", "Empty Store", 52.52, 13.41, {})],
		[],
		{"L1": [("ST-N", 2)], "L2": [("ST-N", 1)], "L3": [("ST-N", 1)]},
		["Shipped from Store North: nearest location with all 3 lines in stock, 4.0 km"],
		[
			"Store South: has only 2 of 3 lines in stock",
			"Central Warehouse: 14.8 km, farther than Store North (4.0 km)",
			"Pickup Point: does not ship orders",
			"Empty Store: no stock of A, B, C",
		],
		id="nearest-single-location",
	),
	pytest.param(
		[OrderLine("L1", "A", 7), OrderLine("L2", "C", 5)],
		DEST,
		[NORTH, SOUTH, WH],
		[],
		{"L1": [("WH-C", 7)], "L2": [("WH-C", 5)]},
		["Shipped from Central Warehouse: only location with both lines in stock, 14.8 km"],
		["Store North: has only 1 of 2 lines in stock", "Store South: has too little stock to fill any line"],
		id="one-far-shipment-beats-two-near-ones",
	),
	pytest.param(
		[OrderLine("L1", "C", 3), OrderLine("L2", "D", 1)],
		DEST,
		[NORTH, SOUTH, WH],
		[],
		{"L1": [("ST-N", 3)], "L2": [("ST-S", 1)]},
		[
			"No single location has both lines in stock: 2 shipments, the fewest possible",
			"Shipped from Store North: C × 3; 4.0 km",
			"Shipped from Store South: D × 1; 7.8 km",
		],
		[
			"Central Warehouse: in place of Store North, the shipments would travel 22.6 km "
			"instead of 11.8 km"
		],
		id="two-shipments-shortest-total-distance",
	),
	pytest.param(
		[OrderLine("L1", "A", 6)],
		DEST,
		[NORTH4, SOUTH4],
		[],
		{"L1": [("ST-N", 4), ("ST-S", 2)]},
		[
			"No single location has all 6 of A in stock: 2 shipments, the fewest possible",
			"Shipped from Store North: A × 4; 4.0 km",
			"Shipped from Store South: A × 2; 7.8 km",
			"Line L1 (A) split: 4 from Store North, 2 from Store South",
		],
		[],
		id="line-split-nearest-first",
	),
	pytest.param(
		[OrderLine("L1", "A", 6)],
		DEST,
		[NORTH4, SOUTH4],
		[SourcingRule("Whole lines", never_split=True)],
		{"L1": []},
		["Cannot fill 6 of A (line L1): it may not be split and no location has all 6"],
		["Store North: has only 4 of 6 in stock", "Store South: has only 4 of 6 in stock"],
		id="never-split-rule",
	),
	pytest.param(
		ABC,
		DEST,
		[TWIN, NORTH, WH],
		[],
		{"L1": [("ST-N", 2)], "L2": [("ST-N", 1)], "L3": [("ST-N", 1)]},
		[
			"Shipped from Store North: highest-priority location at this distance with all 3 lines "
			"in stock, 4.0 km"
		],
		[
			"Store Twin: as near as Store North but lower priority",
			"Central Warehouse: 14.8 km, farther than Store North (4.0 km)",
		],
		id="priority-breaks-a-distance-tie",
	),
	pytest.param(
		ABC,
		DEST,
		[NOWHERE, WH],
		[],
		{"L1": [("WH-C", 2)], "L2": [("WH-C", 1)], "L3": [("WH-C", 1)]},
		[
			"Shipped from Central Warehouse: only location of known distance with all 3 lines in stock, 14.8 km"
		],
		["Nowhere Store: distance unknown: it has no coordinates"],
		id="known-distance-beats-unknown",
	),
	pytest.param(
		ABC[:2],
		DEST,
		[NORTH, SOUTH, WH],
		[SourcingRule("Web prefers South", channel="Web", preferred_locations=["ST-S"])],
		{"L1": [("ST-S", 2)], "L2": [("ST-S", 1)]},
		["Shipped from Store South: preferred location with both lines in stock, 7.8 km"],
		[
			"Store North: not a preferred location of the sourcing rules",
			"Central Warehouse: not a preferred location of the sourcing rules",
		],
		id="preferred-location-beats-distance",
	),
	pytest.param(
		ABC[:2],
		DEST,
		[NORTH, SOUTH, WH],
		[SourcingRule("Shop prefers South", channel="Shop", preferred_locations=["ST-S"])],
		{"L1": [("ST-N", 2)], "L2": [("ST-N", 1)]},
		["Shipped from Store North: nearest location with both lines in stock, 4.0 km"],
		[
			"Store South: 7.8 km, farther than Store North (4.0 km)",
			"Central Warehouse: 14.8 km, farther than Store North (4.0 km)",
		],
		id="rule-for-another-channel-does-not-apply",
	),
	pytest.param(
		[OrderLine("L1", "A", 1, "Fragile")],
		DEST,
		[NORTH, SOUTH, WH],
		[SourcingRule("Fragile from warehouse", item_category="Fragile", allowed_locations=["WH-C"])],
		{"L1": [("WH-C", 1)]},
		["Shipped from Central Warehouse: only location with the line in stock, 14.8 km"],
		[
			"Store North: not allowed by sourcing rule Fragile from warehouse",
			"Store South: not allowed by sourcing rule Fragile from warehouse",
		],
		id="allowed-locations-by-category",
	),
	pytest.param(
		[OrderLine("L1", "A", 1, "Fragile"), OrderLine("L2", "B", 1, "Books")],
		DEST,
		[NORTH, WH],
		[SourcingRule("Fragile from warehouse", item_category="Fragile", allowed_locations=["WH-C"])],
		{"L1": [("WH-C", 1)], "L2": [("WH-C", 1)]},
		["Shipped from Central Warehouse: only location with both lines in stock, 14.8 km"],
		[
			"Store North: can fill only 1 of 2 lines: sourcing rule Fragile from warehouse does not allow it for A"
		],
		id="category-rule-leaves-other-lines-free",
	),
	pytest.param(
		[OrderLine("L1", "A", 1)],
		DEST,
		[NORTH, SOUTH, WH],
		[SourcingRule("R1", allowed_locations=["ST-N"]), SourcingRule("R2", allowed_locations=["ST-S"])],
		{"L1": []},
		["Cannot fill 1 of A (line L1): sourcing rules R1, R2 leave no location allowed"],
		[
			"Store North: not allowed by sourcing rules R1, R2",
			"Store South: not allowed by sourcing rules R1, R2",
			"Central Warehouse: not allowed by sourcing rules R1, R2",
		],
		id="allowed-lists-intersect",
	),
	pytest.param(
		[OrderLine("L1", "Z", 1), OrderLine("L2", "A", 20)],
		DEST,
		[NORTH, SOUTH],
		[],
		{"L1": [], "L2": [("ST-N", 2), ("ST-S", 5)]},
		[
			"No single location has both lines in stock: 2 shipments, the fewest possible",
			"Shipped from Store North: A × 2; 4.0 km",
			"Shipped from Store South: A × 5; 7.8 km",
			"Line L2 (A) split: 2 from Store North, 5 from Store South",
			"Cannot fill 1 of Z (line L1): no location that may ship it has it in stock",
			"Cannot fill 13 of A (line L2): only 7 of 20 in stock at the locations that may ship it",
		],
		[],
		id="unfillable-remainders",
	),
	pytest.param(
		[OrderLine("L1", "A", 3)],
		PICKUP,
		[NORTH, SOUTH, WH, PICKUP_POINT],
		[],
		{"L1": [("ST-P", 3)]},
		["Picked up at Pickup Point: the pickup location chosen for this order, with the line in stock"],
		[
			"Store North: not the pickup location chosen for this order",
			"Store South: not the pickup location chosen for this order",
			"Central Warehouse: not the pickup location chosen for this order",
		],
		id="self-pickup",
	),
	pytest.param(
		[OrderLine("L1", "A", 7)],
		PICKUP,
		[WH, PICKUP_POINT],
		[],
		{"L1": [("ST-P", 5)]},
		[
			"Picked up at Pickup Point: the pickup location chosen for this order, with 5 of 7 in stock",
			"Cannot fill 2 of A (line L1): Pickup Point has only 5 for pickup",
		],
		["Central Warehouse: not the pickup location chosen for this order"],
		id="self-pickup-never-ships-from-elsewhere",
	),
]


@pytest.mark.parametrize("lines, delivery, locations, rules, assignments, explanation, passed_over", CASES)
def test_sourcing_decisions_and_explanations(
	lines, delivery, locations, rules, assignments, explanation, passed_over
):
	plan = source(lines, delivery, locations, rules)
	assert plan.assignments == assignments
	assert plan.explanation == explanation
	assert list(plan.passed_over.values()) == passed_over
	for line in lines:
		assert sum(q for _, q in assignments[line.line_id]) + plan.remainder[line.line_id] == line.qty


def test_plan_lists_shipments_and_reads_as_text():
	plan = source(ABC, DEST, [NORTH, SOUTH])
	assert plan.shipments == [
		Shipment("ST-N", "Store North", {"L1": 2, "L2": 1, "L3": 1}, pytest.approx(4.02, abs=0.01))
	]
	assert plan.fully_sourced
	assert plan.search == "exact"
	assert plan.text() == (
		"Shipped from Store North: only location with all 3 lines in stock, 4.0 km\n"
		"Store South: has only 2 of 3 lines in stock"
	)


def test_without_destination_coordinates_priority_decides():
	plan = source(ABC[:2], Delivery(), [SOUTH, WH])
	assert plan.explanation == [
		"Shipped from Store South: highest-priority location at this distance with both lines in stock, "
		"distance unknown"
	]


def test_allow_split_false_makes_every_line_whole():
	plan = source([OrderLine("L1", "A", 6)], DEST, [NORTH4, SOUTH4], allow_split=False)
	assert plan.remainder == {"L1": 6}


@pytest.mark.parametrize(
	"rule, delivery_changes, applies",
	[
		(SourcingRule("R", postcode_prefix="10"), {}, True),
		(SourcingRule("R", postcode_prefix="20, 101"), {}, True),
		(SourcingRule("R", postcode_prefix="sw1"), {"postcode": "SW1A 1AA"}, True),
		(SourcingRule("R", postcode_prefix="20"), {}, False),
		(SourcingRule("R", postcode_prefix="10"), {"postcode": None}, False),
		(SourcingRule("R", region="berlin "), {}, True),
		(SourcingRule("R", region="Hamburg"), {}, False),
		(SourcingRule("R", channel="Web"), {}, True),
		(SourcingRule("R", channel="Marketplace"), {}, False),
		(SourcingRule("R", min_order_value=100), {}, True),
		(SourcingRule("R", min_order_value=150), {}, False),
		(SourcingRule("R", max_order_value=120), {}, True),
		(SourcingRule("R", max_order_value=100), {}, False),
		(SourcingRule("R", min_order_value=0, max_order_value=0), {}, True),
		(SourcingRule("R", channel="Web", region="Berlin", min_order_value=200), {}, False),
	],
)
def test_rule_conditions(rule, delivery_changes, applies):
	from dataclasses import replace

	rule = replace(rule, allowed_locations=["WH-C"])
	plan = source(ABC[:1], replace(DEST, **delivery_changes), [NORTH, WH], [rule])
	assert plan.assignments["L1"] == ([("WH-C", 2)] if applies else [("ST-N", 2)])


# ---------------------------------------------------------------------------------------
# exact and greedy search


def shops(count: int, seed: int) -> list[CandidateLocation]:
	import random

	rnd = random.Random(seed)
	return [
		loc(
			f"S{i:02}",
			f"Shop {i:02}",
			52.3 + rnd.random() * 0.4,
			13.2 + rnd.random() * 0.4,
			{"A": rnd.randint(0, 3), "B": rnd.randint(0, 3)},
			priority=rnd.randint(0, 3),
		)
		for i in range(count)
	]


def test_greedy_beyond_the_exact_limit_and_exact_below_it():
	lines = [OrderLine("L1", "A", 8), OrderLine("L2", "B", 5)]
	many = shops(16, seed=1)
	greedy = source(lines, DEST, many)
	exact = source(lines, DEST, many, exact_limit=20)
	assert (greedy.search, exact.search) == ("greedy", "exact")
	assert greedy.explanation[0] == (
		"No single location has both lines in stock: 3 shipments, chosen by greedy search over 16 locations"
	)
	assert (
		exact.explanation[0] == "No single location has both lines in stock: 3 shipments, the fewest possible"
	)
	assert greedy.assignments == exact.assignments


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 12), st.integers(1, 12))
def test_exact_never_needs_more_shipments_than_greedy(seed, qty_a, qty_b):
	lines = [OrderLine("L1", "A", qty_a), OrderLine("L2", "B", qty_b)]
	many = shops(10, seed)
	exact = source(lines, DEST, many)
	greedy = source(lines, DEST, many, exact_limit=0)
	assert exact.search == "exact" or not exact.shipments
	assert sum(exact.remainder.values()) <= sum(greedy.remainder.values())
	if sum(exact.remainder.values()) == sum(greedy.remainder.values()):
		assert len(exact.shipments) <= len(greedy.shipments)


# ---------------------------------------------------------------------------------------
# properties

ITEMS = ["A", "B", "C"]


@st.composite
def sourcing_problems(draw):
	count = draw(st.integers(1, 6))
	locations = [
		loc(
			f"L{i}",
			f"Location {i}",
			draw(st.floats(52.3, 52.7)),
			draw(st.floats(13.2, 13.6)),
			draw(st.dictionaries(st.sampled_from(ITEMS), st.integers(-2, 8))),
			can_ship=draw(st.booleans()),
			can_pickup=True,
			priority=draw(st.integers(0, 3)),
		)
		for i in range(count)
	]
	lines = [
		OrderLine(f"O{i}", item, draw(st.integers(1, 10)))
		for i, item in enumerate(draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4)))
	]
	pickup = draw(st.booleans())
	delivery = Delivery("Self Pickup", pickup_location="L0") if pickup else DEST
	return lines, delivery, locations, draw(st.booleans())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sourcing_problems())
def test_sourcing_properties(problem):
	lines, delivery, locations, allow_split = problem
	plan = source(lines, delivery, locations, allow_split=allow_split)
	by_name = {location.name: location for location in locations}
	taken: dict[tuple[str, str], float] = {}
	for line in lines:
		parts = plan.assignments[line.line_id]
		allocated = sum(q for _, q in parts)
		assert allocated <= line.qty  # never more than ordered
		assert allocated + plan.remainder[line.line_id] == pytest.approx(line.qty)  # every unit accounted for
		if not allow_split:
			assert len(parts) <= 1
		for name, qty in parts:
			assert qty > 0
			if delivery.method_type == "Self Pickup":
				assert name == delivery.pickup_location
			else:
				assert by_name[name].can_ship
			taken[(name, line.item)] = taken.get((name, line.item), 0) + qty
	for (name, item), qty in taken.items():
		assert qty <= max(by_name[name].available.get(item, 0), 0)  # never more than available
	assert {s.location for s in plan.shipments} == {
		n for parts in plan.assignments.values() for n, _ in parts
	}
	assert set(plan.passed_over) | {s.location for s in plan.shipments} == set(by_name)


@settings(max_examples=150, deadline=None)
@given(sourcing_problems())
def test_exact_search_fills_the_most_with_the_fewest_shipments(problem):
	"""Checked against a brute force written independently of the module (split allowed, no rules)."""
	lines, _, locations, _ = problem
	plan = source(lines, DEST, locations)
	shippers = [location for location in locations if location.can_ship]
	demand: dict[str, int] = {}
	for line in lines:
		demand[line.item] = demand.get(line.item, 0) + line.qty

	def fillable(subset) -> int:
		return sum(
			min(qty, sum(max(location.available.get(item, 0), 0) for location in subset))
			for item, qty in demand.items()
		)

	best = fillable(shippers)
	assert sum(plan.remainder.values()) == sum(demand.values()) - best
	fewest = next(
		(
			k
			for k in range(len(shippers) + 1)
			for subset in combinations(shippers, k)
			if fillable(subset) == best
		),
		None,
	)
	assert len(plan.shipments) == fewest


# ---------------------------------------------------------------------------------------
# refusals


@pytest.mark.parametrize(
	"lines, delivery, locations, rules, field, message",
	[
		([], DEST, [NORTH], [], "items", "The order has no lines to source"),
		(
			[OrderLine("L1", "A", 1), OrderLine("L1", "B", 1)],
			DEST,
			[NORTH],
			[],
			"line_id",
			"Order line L1 appears twice",
		),
		(
			[OrderLine("L1", "A", 0)],
			DEST,
			[NORTH],
			[],
			"qty",
			"Quantity of A on line L1 must be greater than zero, not 0",
		),
		([OrderLine("L1", "A", -1)], DEST, [NORTH], [], "qty", "must be greater than zero, not -1"),
		([OrderLine("L1", "", 1)], DEST, [NORTH], [], "item", "Order line L1 has no item"),
		(
			ABC,
			Delivery("Drone"),
			[NORTH],
			[],
			"delivery_type",
			"Unknown delivery type Drone (allowed: Standard, Express, Self Pickup)",
		),
		(ABC, Delivery(latitude=123, longitude=13), [NORTH], [], "latitude", "Latitude 123 is out of range"),
		(ABC, DEST, [NORTH, NORTH], [], "location", "Location ST-N is listed twice"),
		(
			ABC,
			DEST,
			[loc("X", "X", 52.5, None, {})],
			[],
			"latitude",
			"Location X has impossible coordinates (52.5, None)",
		),
		(
			ABC,
			DEST,
			[loc("X", "X", 95, 13, {})],
			[],
			"latitude",
			"Location X has impossible coordinates (95, 13)",
		),
		(
			ABC,
			DEST,
			[NORTH],
			[SourcingRule("Big orders", min_order_value=500, max_order_value=100)],
			"min_order_value",
			"Sourcing rule Big orders: minimum order value 500 is above the maximum 100",
		),
		(
			ABC,
			DEST,
			[NORTH],
			[SourcingRule("Odd", max_order_value=-1)],
			"min_order_value",
			"Sourcing rule Odd: order value limits must be zero or more",
		),
		(ABC, Delivery("Self Pickup"), [NORTH], [], "pickup_location", "Self Pickup needs a pickup location"),
		(
			ABC,
			PICKUP,
			[NORTH],
			[],
			"pickup_location",
			"Pickup location ST-P is not an active stock location",
		),
		(
			ABC,
			Delivery("Self Pickup", pickup_location="ST-N"),
			[NORTH],
			[],
			"pickup_location",
			"Pickup location ST-N does not offer pickup",
		),
	],
)
def test_sourcing_refusals_name_the_field(lines, delivery, locations, rules, field, message):
	with pytest.raises(ValidationFailed) as raised:
		source(lines, delivery, locations, rules)
	assert raised.value.field == field
	assert message in str(raised.value)


# ---------------------------------------------------------------------------------------
# re-sourcing after a rejection


def test_damaged_goes_to_the_next_best_location_and_moves_stock_to_damaged():
	result = resource_after_rejection(
		{"L1": [("ST-N", 2)], "L2": [("ST-N", 1)]},
		["L1"],
		"ST-N",
		"Damaged",
		lines=ABC[:2],
		delivery=DEST,
		locations=[NORTH, SOUTH, WH],
	)
	assert result.assignments == {"L1": [("ST-S", 2)], "L2": [("ST-N", 1)]}
	assert not result.needs_person
	assert [(m.item, m.location, m.stock_status, m.qty_change) for m in result.movements] == [
		("A", "ST-N", "Available", -2),
		("A", "ST-N", "Damaged", 2),
	]
	assert result.count_requests == []
	assert result.explanation == [
		"Store North rejected 2 of A (line L1): Damaged",
		"Shipped from Store South: nearest location with the line in stock, 7.8 km",
	]
	assert list(result.plan.passed_over.values()) == [
		"Store North: rejected the line (Damaged)",
		"Central Warehouse: 14.8 km, farther than Store South (7.8 km)",
	]


def test_not_found_prefers_a_location_already_shipping_the_order_and_asks_for_a_count():
	result = resource_after_rejection(
		{"L1": [("ST-N", 2)], "L3": [("WH-C", 1)]},
		{"L1": None},
		"ST-N",
		"Not Found",
		lines=[ABC[0], ABC[2]],
		delivery=DEST,
		locations=[NORTH, SOUTH, WH],
	)
	assert result.assignments == {"L1": [("WH-C", 2)], "L3": [("WH-C", 1)]}
	assert [(m.item, m.location, m.stock_status, m.qty_change) for m in result.movements] == [
		("A", "ST-N", "Available", -2)
	]
	assert result.count_requests == [("A", "ST-N")]
	assert result.explanation[1] == (
		"Shipped from Central Warehouse: location already shipping this order, with the line in stock, 14.8 km"
	)
	assert result.plan.passed_over["ST-S"] == (
		"Store South: would add a shipment: Central Warehouse already ships this order"
	)


def test_too_busy_moves_no_stock_and_a_partial_rejection_keeps_the_rest_in_place():
	result = resource_after_rejection(
		{"L1": [("ST-N", 2)]},
		{"L1": 1},
		"ST-N",
		"Too Busy",
		lines=[ABC[0]],
		delivery=DEST,
		locations=[NORTH, SOUTH],
	)
	assert result.movements == []
	assert result.count_requests == []
	assert result.assignments == {"L1": [("ST-N", 1), ("ST-S", 1)]}
	assert result.explanation == [
		"Store North rejected 1 of A (line L1): Too Busy",
		"Shipped from Store South: only location with the line in stock, 7.8 km",
	]


def test_when_no_other_location_can_ship_it_needs_a_person():
	result = resource_after_rejection(
		{"L3": [("ST-N", 4)]},
		["L3"],
		"ST-N",
		"Too Busy",
		lines=[OrderLine("L3", "C", 4)],
		delivery=DEST,
		locations=[NORTH, SOUTH],
	)
	assert result.needs_person
	assert result.assignments == {"L3": []}
	assert result.explanation == [
		"Store North rejected 4 of C (line L3): Too Busy",
		"Cannot fill 4 of C (line L3): no location that may ship it has it in stock",
		"Needs a person: no other location can take 4 of C (line L3)",
	]


def test_a_rejecting_pickup_location_cannot_be_replaced():
	result = resource_after_rejection(
		{"L1": [("ST-P", 2)]},
		["L1"],
		"ST-P",
		"Not Found",
		lines=[ABC[0]],
		delivery=PICKUP,
		locations=[NORTH, SOUTH, PICKUP_POINT],
	)
	assert result.needs_person
	assert result.count_requests == [("A", "ST-P")]
	assert result.explanation == [
		"Pickup Point rejected 2 of A (line L1): Not Found",
		"Pickup Point is the pickup location chosen for this order: no other location can take its place",
		"Needs a person: no other location can take 2 of A (line L1)",
	]


REJECTION_KWARGS = {"lines": ABC, "delivery": DEST, "locations": [NORTH, SOUTH, WH]}
ASSIGNED = {"L1": [("ST-N", 2)], "L2": [("WH-C", 1)]}


@pytest.mark.parametrize(
	"rejected, location, reason, field, message",
	[
		(
			["L1"],
			"ST-N",
			"Lost",
			"reason",
			"Unknown rejection reason Lost (allowed: Not Found, Damaged, Too Busy)",
		),
		(["L1"], "", "Damaged", "location", "The rejecting location is required"),
		([], "ST-N", "Damaged", "line_id", "Name at least one rejected line"),
		(["L9"], "ST-N", "Damaged", "line_id", "Line L9 is not a line of this order"),
		(["L2"], "ST-N", "Damaged", "line_id", "Line L2 (B) is not assigned to ST-N"),
		({"L1": 3}, "ST-N", "Damaged", "qty", "Cannot reject 3 of line L1 (A): only 2 is assigned to ST-N"),
		(
			{"L1": 0},
			"ST-N",
			"Damaged",
			"qty",
			"Rejected quantity of line L1 (A) must be greater than zero, not 0",
		),
	],
)
def test_rejection_refusals(rejected, location, reason, field, message):
	with pytest.raises(ValidationFailed) as raised:
		resource_after_rejection(ASSIGNED, rejected, location, reason, **REJECTION_KWARGS)
	assert raised.value.field == field
	assert message in str(raised.value)


@pytest.mark.parametrize("allow_split", [True, False])
def test_stock_that_exactly_fits_is_fully_sourced(allow_split):
	plan = source([OrderLine("L1", "A", 4)], DEST, [NORTH4, SOUTH4], allow_split=allow_split)
	assert plan.fully_sourced
	assert plan.remainder == {"L1": 0}
	assert plan.assignments["L1"] == [("ST-N", 4)]


def test_a_never_split_rule_with_an_exact_fit_is_fully_sourced():
	plan = source(
		[OrderLine("L1", "A", 4), OrderLine("L2", "B", 1)],
		DEST,
		[NORTH4, loc("ST-S", "Store South", 52.45, 13.40, {"B": 1})],
		[SourcingRule("R", never_split=True)],
	)
	assert plan.fully_sourced
	assert plan.assignments == {"L1": [("ST-N", 4)], "L2": [("ST-S", 1)]}


def test_a_never_split_line_that_the_locations_could_fill_only_together_says_so():
	halves = [
		loc("ST-N", "Store North", 52.555, 13.42, {"A": 2}),
		loc("ST-S", "Store South", 52.45, 13.40, {"A": 2}),
	]
	plan = source([OrderLine("L1", "A", 4)], DEST, halves, allow_split=False)
	assert plan.remainder == {"L1": 4}
	assert "it may not be split and no location has all 4" in plan.text()
