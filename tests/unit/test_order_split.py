"""Split planning (`core/orders/split.py`): by lines, by location, by availability."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.orders.lines import Order, order_totals, validate_line
from oms_omnichannel.core.orders.split import plan_split, plan_split_by_availability, plan_split_by_location
from tests.unit.order_builders import ITEMS, D, _units, line, order, orders, qtys, refused


def test_split_chosen_lines_keeps_the_rest_in_the_first_child():
	parent = order(
		"ORD-1",
		[line("a", "A", 3, 10, discount_amount=10, tax_amount=D("0.10")), line("b", "B", 2, 5)],
		shipping_fee=5,
	)
	plan = plan_split(parent, [{"a": 1}, {"a": 1, "b": 2}])
	first, second, third = plan.children
	assert first.remainder and not second.remainder
	assert [(li.line_id, li.qty) for li in first.lines] == [("a", 1)]
	assert [(li.line_id, li.qty) for li in third.lines] == [("a", 1), ("b", 2)]
	assert [c.lines[0].discount_amount for c in plan.children] == [D("3.34"), D("3.33"), D("3.33")]
	assert [c.lines[0].tax_amount for c in plan.children] == [D("0.04"), D("0.03"), D("0.03")]
	assert [c.shipping_fee for c in plan.children] == [D("5.00"), 0, 0]
	assert sum(c.totals.grand_total for c in plan.children) == order_totals(parent).grand_total
	assert plan.needs_split and plan.parent == "ORD-1"


def test_split_covering_everything_has_no_remainder_and_can_prorate_shipping():
	parent = order("ORD-1", [line("a", "A", 1, 30), line("b", "B", 1, 10)], shipping_fee=D("10.01"))
	plan = plan_split(parent, [{"b": 1}, {"a": 1}], prorate_shipping=True)
	assert [c.remainder for c in plan.children] == [False, False]
	assert [c.lines[0].line_id for c in plan.children] == ["b", "a"]
	assert [c.shipping_fee for c in plan.children] == [D("2.50"), D("7.51")]


def test_split_prorates_value_when_rounding_is_not_additive():
	parent = order("ORD-1", [line("a", "CHEESE", 1, D("1.99"))])
	plan = plan_split(parent, [{"a": D("0.5")}])
	values = [c.lines[0].line_value for c in plan.children]
	assert values == [D("1.00"), D("0.99")]
	assert sum(values) == D("1.99")
	assert plan.children[1].lines[0].value == D("0.99")  # 0.5 x 1.99 would round to 1.00


def test_split_caps_a_prorated_discount_at_the_childs_value():
	# Uncapped largest remainder would give the 2-unit child 0.03 of discount on a 0.02 value.
	parent = order("ORD-1", [line("a", "A", 20, D("0.0125"), discount_amount=D("0.24"))])
	plan = plan_split(parent, [{"a": 6}, {"a": 2}, {"a": 7}])
	assert [c.lines[0].line_value for c in plan.children] == [D("0.06"), D("0.08"), D("0.02"), D("0.09")]
	assert [c.lines[0].discount_amount for c in plan.children] == [D("0.06"), D("0.07"), D("0.02"), D("0.09")]
	assert sum(c.lines[0].discount_amount for c in plan.children) == D("0.24")


def test_split_discount_never_exceeds_a_childs_value():
	parent = order("ORD-1", [line("a", "A", 3, D("0.01"), discount_amount=D("0.03"))])
	plan = plan_split(parent, [{"a": 1}, {"a": 1}])
	for child in plan.children:
		(li,) = child.lines
		assert li.discount_amount <= li.line_value
		assert li.amount == 0


def _parent(status="Pending", **line_kwargs):
	first = {"qty": 2, "rate": 10, **line_kwargs}
	return order("ORD-0007", [line("a", "A", **first), line("b", "B", 1, 5)], status=status)


@pytest.mark.parametrize(
	"parent, allocation, fragment, field",
	[
		(_parent("Shipped"), [{"a": 1}], "Cannot split ORD-0007: it is already Shipped", "status"),
		(
			_parent("Partially Shipped"),
			[{"a": 1}],
			"Cannot split ORD-0007: it is already Partially Shipped",
			"status",
		),
		(_parent("Cancelled"), [{"a": 1}], "Cannot split ORD-0007: it is already Cancelled", "status"),
		(_parent("Draft"), [{"a": 1}], "Cannot split ORD-0007: it has not been submitted", "status"),
		(
			_parent("On Hold", shipped_qty=1),
			[{"a": 1}],
			"Cannot split ORD-0007: row 1 (A) has already shipped 1",
			"shipped_qty",
		),
		(_parent(), [], "Choose the lines to split off ORD-0007", "allocation"),
		(_parent(), [{"a": 1}, {}], "Cannot split ORD-0007: group 2 is empty", "allocation"),
		(_parent(), [{"zz": 1}], "group 1 names line zz, which is not on the order", "allocation"),
		(_parent(), [{"a": 0}], "group 1 takes 0 of row 1 (A); the quantity must be greater than 0", "qty"),
		(_parent(), [{"a": -1}], "group 1 takes -1 of row 1 (A)", "qty"),
		(_parent(), [{"a": 3}], "Cannot split ORD-0007: row 1 (A) holds 2 but 3 are allocated", "qty"),
		(_parent(), [{"a": 1.5}, {"a": 1}], "row 1 (A) holds 2 but 2.5 are allocated", "qty"),
		(
			_parent(),
			[{"a": 2, "b": 1}],
			"Cannot split ORD-0007: the allocation leaves everything in one order",
			"allocation",
		),
		(_parent(qty=0), [{"b": 1}], "Row 1: Quantity must be greater than 0", "qty"),
	],
)
def test_split_refusals_name_the_order_row_and_field(parent, allocation, fragment, field):
	with pytest.raises(DomainError) as raised:
		plan_split(parent, allocation)
	refused(raised, fragment, field=field)


@pytest.mark.parametrize("status", ["Pending", "Processing", "On Hold"])
def test_split_is_allowed_before_shipping(status):
	assert plan_split(_parent(status), [{"b": 1}]).needs_split


def test_split_by_location_whole_and_shared_lines():
	parent = order(
		"ORD-1",
		[line("a", "A", 5, 2, discount_amount=1), line("b", "B", 1, 7), line("c", "C", 2, 3)],
		shipping_fee=3,
	)
	plan = plan_split_by_location(parent, {"a": {"WH-1": 3, "STORE-2": 2}, "b": "STORE-2", "c": "WH-1"})
	assert [c.location for c in plan.children] == ["WH-1", "STORE-2"]
	wh, store = plan.children
	assert [(li.line_id, li.qty) for li in wh.lines] == [("a", 3), ("c", 2)]
	assert [(li.line_id, li.qty) for li in store.lines] == [("a", 2), ("b", 1)]
	assert wh.lines[0].discount_amount + store.lines[0].discount_amount == D("1.00")
	assert (wh.shipping_fee, store.shipping_fee) == (D("3.00"), 0)


def test_split_by_one_location_needs_no_split():
	plan = plan_split_by_location(_parent(), {"a": "WH-1", "b": {"WH-1": 1}})
	assert not plan.needs_split
	assert plan.children[0].lines == _parent().lines


@pytest.mark.parametrize(
	"locations, fragment, field",
	[
		({"a": "WH-1"}, "Cannot split ORD-0007 by location: row 2 (B) has no location", "line_locations"),
		({"a": "WH-1", "b": {}}, "row 2 (B) has no location", "line_locations"),
		({"a": {"WH-1": 1}, "b": "WH-1"}, "row 1 (A) has 2 but the locations take 1", "qty"),
		({"a": {"WH-1": 2, "WH-2": 1}, "b": "WH-1"}, "row 1 (A) has 2 but the locations take 3", "qty"),
		({"a": {"WH-1": 2, "WH-2": 0}, "b": "WH-1"}, "row 1 (A) gives 0 to WH-2", "qty"),
		(
			{"a": "WH-1", "b": "WH-1", "q": "WH-1"},
			"by location: line q is not on the order",
			"line_locations",
		),
	],
)
def test_split_by_location_refusals(locations, fragment, field):
	with pytest.raises(ValidationFailed) as raised:
		plan_split_by_location(_parent(), locations)
	refused(raised, fragment, field=field)


def test_split_by_location_refuses_shipped_orders():
	with pytest.raises(DomainError) as raised:
		plan_split_by_location(_parent("Completed"), {"a": "WH-1", "b": "WH-1"})
	refused(raised, "Cannot split ORD-0007: it is already Completed", field="status")


def test_split_by_availability_spends_stock_down_the_rows():
	parent = order(
		"ORD-1",
		[line("a", "A", 3, 10), line("b", "B", 2, 5), line("c", "A", 2, 10)],
		shipping_fee=4,
	)
	plan = plan_split_by_availability(parent, {"A": 4, "B": 5, "C": -2})
	now, later = plan.children
	assert not now.backorder and later.backorder
	assert [(li.line_id, li.qty) for li in now.lines] == [("a", 3), ("b", 2), ("c", 1)]
	assert [(li.line_id, li.qty) for li in later.lines] == [("c", 1)]
	assert now.shipping_fee == D("4.00")


def test_split_by_availability_all_or_nothing_needs_no_split():
	assert not plan_split_by_availability(_parent(), {"A": 10, "B": 10}).needs_split
	nothing = plan_split_by_availability(_parent(), {})
	assert not nothing.needs_split and nothing.children[0].backorder
	with pytest.raises(DomainError) as raised:
		plan_split_by_availability(_parent("Merged"), {})
	refused(raised, "Cannot split ORD-0007: it is already Merged", field="status")


def _assert_split_conserves(parent: Order, plan) -> None:
	for parent_line in parent.lines:
		parts = [li for child in plan.children for li in child.lines if li.line_id == parent_line.line_id]
		assert parts, parent_line
		assert sum(li.qty for li in parts) == parent_line.qty
		assert sum(li.line_value for li in parts) == parent_line.line_value
		assert sum(li.discount_amount for li in parts) == parent_line.discount_amount
		assert sum(li.tax_amount for li in parts) == parent_line.tax_amount
		assert sum(li.amount for li in parts) == parent_line.amount
		for position, li in enumerate(parts, start=1):
			validate_line(li, position)
			assert (li.item, li.rate) == (parent_line.item, parent_line.rate)
	for child in plan.children:
		assert child.lines
		assert len({li.line_id for li in child.lines}) == len(child.lines)
	assert sum(c.shipping_fee for c in plan.children) == parent.shipping_fee
	assert sum(c.totals.grand_total for c in plan.children) == order_totals(parent).grand_total


@st.composite
def split_cases(draw):
	parent = draw(orders(status=draw(st.sampled_from(["Pending", "Processing", "On Hold"]))))
	group_count = draw(st.integers(min_value=1, max_value=3))
	allocation = [{} for _ in range(group_count)]
	for li in parent.lines:
		units = _units(li.qty)
		cuts = sorted(draw(st.lists(st.integers(0, units), min_size=group_count, max_size=group_count)))
		bounds = [0, *cuts, units]
		for g in range(group_count):  # segment 0 stays with the parent (the remainder)
			share = bounds[g + 2] - bounds[g + 1]
			if share:
				allocation[g][li.line_id] = D(share) / 1000
	return parent, [group for group in allocation if group], draw(st.booleans())


@given(split_cases())
@settings(max_examples=200, deadline=None)
def test_split_conserves_every_unit_and_every_cent(case):
	parent, allocation, prorate = case
	remainder_exists = any(
		sum((group.get(li.line_id, 0) for group in allocation), D(0)) < li.qty for li in parent.lines
	)
	if len(allocation) + remainder_exists < 2:
		with pytest.raises(ValidationFailed):
			plan_split(parent, allocation, prorate_shipping=prorate)
		return
	plan = plan_split(parent, allocation, prorate_shipping=prorate)
	assert len(plan.children) == len(allocation) + remainder_exists
	_assert_split_conserves(parent, plan)
	if not prorate:
		assert plan.children[0].shipping_fee == parent.shipping_fee


@st.composite
def location_cases(draw):
	parent = draw(orders())
	locations = {}
	for li in parent.lines:
		units = _units(li.qty)
		cut = draw(st.integers(0, units))
		places = draw(st.permutations(["WH-1", "WH-2", "STORE-3"]))[:2]
		shares = {place: D(n) / 1000 for place, n in zip(places, [cut, units - cut], strict=True) if n}
		locations[li.line_id] = next(iter(shares)) if len(shares) == 1 and draw(st.booleans()) else shares
	return parent, locations


@given(location_cases(), st.booleans())
@settings(max_examples=150, deadline=None)
def test_split_by_location_conserves(case, prorate):
	parent, locations = case
	plan = plan_split_by_location(parent, locations, prorate_shipping=prorate)
	_assert_split_conserves(parent, plan)
	for child in plan.children:
		for li in child.lines:
			assigned = locations[li.line_id]
			assert (
				child.location == assigned
				if isinstance(assigned, str)
				else li.qty == assigned[child.location]
			)


@given(orders(), st.dictionaries(st.sampled_from([*ITEMS, "Z"]), qtys | st.just(D(0)), max_size=4))
@settings(max_examples=150, deadline=None)
def test_split_by_availability_conserves_and_never_overpromises(parent, available):
	plan = plan_split_by_availability(parent, available)
	_assert_split_conserves(parent, plan)
	promised = Counter()
	for child in plan.children:
		if not child.backorder:
			for li in child.lines:
				promised[li.item] += li.qty
	for item, qty in promised.items():
		assert qty <= available.get(item, 0)
	assert len(plan.children) in (1, 2)
