from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.order_planning import (
	HOLD_RULES,
	Hold,
	HoldRule,
	HoldSettings,
	HoldType,
	Order,
	OrderFacts,
	OrderLine,
	PaymentStatus,
	apportion,
	automatic_holds,
	compute_totals,
	money,
	order_totals,
	payment_status_after_refund,
	plan_merge,
	plan_split,
	plan_split_by_availability,
	plan_split_by_location,
	reconcile_holds,
	refund_amount,
	refund_by_line,
	to_decimal,
	validate_line,
	validate_order,
	validate_return,
)
from oms_omnichannel.core.order_status import OrderStatus

D = Decimal


def line(line_id="1", item="ITEM-A", qty=1, rate=10, **kwargs) -> OrderLine:
	return OrderLine(line_id=line_id, item=item, qty=qty, rate=rate, **kwargs)


def order(name="ORD-0001", lines=None, **kwargs) -> Order:
	header = {
		"customer": "CUST-1",
		"shipping_address": "ADDR-1",
		"delivery_method": "Standard",
		"currency": "EUR",
		"channel": "Web",
	}
	header.update(kwargs)
	return Order(name=name, lines=tuple(lines or [line()]), **header)


def refused(exc_info, *fragments, field=None):
	message = str(exc_info.value)
	for fragment in fragments:
		assert fragment in message, message
	if field is not None:
		assert exc_info.value.field == field


# ---------------------------------------------------------------------------------------
# numbers, lines, totals


def test_floats_become_exact_decimals():
	assert to_decimal(0.1) + to_decimal(0.2) == D("0.3")
	assert money(1.005) == D("1.01")  # half up, not banker's, not float noise
	assert money(2.675) == D("2.68")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "abc", True, [1]])
def test_non_numbers_are_refused_by_field(bad):
	with pytest.raises(ValidationFailed) as raised:
		to_decimal(bad, "rate")
	refused(raised, "rate must be a number", field="rate")


def test_line_amount_and_order_totals():
	lines = [
		line("1", "A", qty=2, rate=D("19.99"), discount_amount=D("5"), tax_amount=D("3.50")),
		line("2", "B", qty=D("1.5"), rate=4, tax_amount=1),
	]
	assert lines[0].amount == D("38.48")  # 39.98 - 5 + 3.50
	totals = compute_totals(lines, shipping_fee=D("4.90"))
	assert totals.total_qty == D("3.5")
	assert totals.merchandise_value == D("45.98")
	assert totals.discount_total == D("5.00")
	assert totals.tax_total == D("4.50")
	assert totals.merchandise_total == D("45.48")
	assert totals.grand_total == D("50.38")
	assert order_totals(order(lines=lines, shipping_fee=D("4.90"))) == totals


def test_line_value_rounds_to_the_cent():
	assert line(qty=3, rate=D("0.335")).line_value == D("1.01")
	assert line(qty=3, rate=D("0.335"), value=D("1.00")).line_value == D("1.00")


@pytest.mark.parametrize(
	"kwargs, fragment, field",
	[
		({"qty": 0}, "Row 2: Quantity must be greater than 0", "qty"),
		({"qty": -1}, "Row 2: Quantity must be greater than 0", "qty"),
		({"rate": -1}, "Row 2: Rate cannot be negative", "rate"),
		({"discount_amount": -1}, "Row 2: Discount Amount cannot be negative", "discount_amount"),
		({"tax_amount": -1}, "Row 2: Tax Amount cannot be negative", "tax_amount"),
		(
			{"discount_amount": 11},
			"Row 2: Discount Amount 11.00 is larger than the line value 10.00",
			"discount_amount",
		),
		({"item": " "}, "Row 2: Item is required", "item"),
		({"value": -1}, "Row 2: Amount cannot be negative", "amount"),
		({"shipped_qty": 2}, "Row 2: Shipped Quantity 2 must be between 0 and the ordered 1", "shipped_qty"),
	],
)
def test_line_refusals_name_row_and_field(kwargs, fragment, field):
	with pytest.raises(ValidationFailed) as raised:
		validate_line(line(**kwargs), 2)
	refused(raised, fragment, field=field)


def test_discount_equal_to_value_is_allowed():
	validate_line(line(discount_amount=10), 1)


def test_order_refusals():
	with pytest.raises(ValidationFailed) as raised:
		validate_order(Order("ORD-9", ()))
	refused(raised, "Order ORD-9 has no items", field="items")
	with pytest.raises(ValidationFailed) as raised:
		validate_order(order(lines=[line("1"), line("1")]))
	refused(raised, "Row 2: line 1 appears twice on order ORD-0001", field="items")
	with pytest.raises(ValidationFailed) as raised:
		validate_order(order(shipping_fee=-1))
	refused(raised, "Shipping Fee cannot be negative", field="shipping_fee")
	with pytest.raises(ValidationFailed) as raised:
		validate_order(order(lines=[line("1"), line("2", qty=0, idx=7)]))
	refused(raised, "Row 7: Quantity", field="qty")  # the row's own idx wins over its position


def test_apportion_largest_remainder():
	assert apportion(D("10.00"), [D(1), D(1), D(1)]) == [D("3.34"), D("3.33"), D("3.33")]
	assert apportion(D("0.05"), [D(0), D(0)]) == [D("0.03"), D("0.02")]
	assert apportion(D("0.02"), [D(1), D(1), D(1)], caps=[D(0), D("0.01"), D("0.01")]) == [
		D(0),
		D("0.01"),
		D("0.01"),
	]
	with pytest.raises(DomainError):
		apportion(D("0.05"), [D(1), D(1)], caps=[D("0.01"), D("0.01")])


# ---------------------------------------------------------------------------------------
# merge


def test_merge_combines_same_item_and_rate_and_maps_every_source_line():
	first = order(
		"ORD-1",
		[line("a", "A", 2, 10, discount_amount=1, tax_amount=2), line("b", "B", 1, 5)],
		shipping_fee=D("4.90"),
	)
	second = order(
		"ORD-2",
		[line("x", "A", 1, 10, tax_amount=1), line("y", "A", 1, 9), line("z", "C", 3, 1)],
		shipping_fee=D("6.50"),
	)
	plan = plan_merge([first, second])
	merged = plan.order
	assert merged.name == ""
	assert plan.merged_orders == ("ORD-1", "ORD-2")
	assert [(li.item, li.qty, li.rate) for li in merged.lines] == [
		("A", 3, 10),
		("B", 1, 5),
		("A", 1, 9),
		("C", 3, 1),
	]
	combined = merged.lines[0]
	assert (combined.discount_amount, combined.tax_amount) == (D("1.00"), D("3.00"))
	assert plan.line_map == {
		("ORD-1", "a"): "ORD-1/a",
		("ORD-1", "b"): "ORD-1/b",
		("ORD-2", "x"): "ORD-1/a",
		("ORD-2", "y"): "ORD-2/y",
		("ORD-2", "z"): "ORD-2/z",
	}
	assert merged.shipping_fee == D("6.50")  # policy: the highest source fee
	assert plan.shipping_fee_released == D("4.90")
	assert (
		plan.totals.merchandise_total
		== order_totals(first).merchandise_total + order_totals(second).merchandise_total
	)
	assert (merged.customer, merged.currency, merged.channel) == ("CUST-1", "EUR", "Web")
	assert merged.status is OrderStatus.PENDING


def test_merge_into_a_surviving_order_keeps_its_line_ids_and_channel():
	first = order("ORD-1", [line("a", "A")], channel="Shop")
	second = order("ORD-2", [line("a", "A"), line("b", "B")], channel="App", status="On Hold")
	plan = plan_merge([first, second], into="ORD-2", shipping_fee=0)
	assert plan.order.name == "ORD-2"
	assert plan.merged_orders == ("ORD-1",)
	assert [li.line_id for li in plan.order.lines] == ["a", "b"]
	assert plan.line_map[("ORD-1", "a")] == "a"
	assert plan.order.channel == "App"
	assert plan.order.shipping_fee == 0
	assert plan.order.status is OrderStatus.ON_HOLD  # a merge never drops a hold


def test_merge_keeps_money_exact_when_rounding_is_not_additive():
	half_kg = [line("1", "CHEESE", D("0.5"), D("1.99"))]  # 0.995 -> 1.00 each
	plan = plan_merge([order("ORD-1", half_kg), order("ORD-2", half_kg)])
	(merged,) = plan.order.lines
	assert merged.qty == 1
	assert merged.line_value == D("2.00")  # not 1.99: the customer was charged 2 x 1.00
	assert merged.value == D("2.00")


@pytest.mark.parametrize(
	"orders, kwargs, fragment, field",
	[
		([order("ORD-1")], {}, "Select at least two orders to merge (got 1)", "orders"),
		([order("ORD-1"), order("ORD-1")], {}, "Cannot merge ORD-1 with itself", "orders"),
		(
			[order("ORD-1"), order("ORD-0007", status="Processing")],
			{},
			"Cannot merge ORD-0007: it is already Processing",
			"status",
		),
		(
			[order("ORD-1", status="Shipped"), order("ORD-2")],
			{},
			"Cannot merge ORD-1: it is already Shipped",
			"status",
		),
		(
			[order("ORD-1"), order("ORD-2", status="Draft")],
			{},
			"Cannot merge ORD-2: it has not been submitted",
			"status",
		),
		(
			[order("ORD-1"), order("ORD-2", customer="CUST-2")],
			{},
			"Cannot merge ORD-1 and ORD-2: they belong to different customers (CUST-1, CUST-2)",
			"customer",
		),
		(
			[order("ORD-1"), order("ORD-2", shipping_address="ADDR-9")],
			{},
			"Cannot merge ORD-1 and ORD-2: they ship to different addresses",
			"shipping_address",
		),
		(
			[order("ORD-1"), order("ORD-2", delivery_method="Express")],
			{},
			"Cannot merge ORD-1 and ORD-2: they use different delivery methods (Standard, Express)",
			"delivery_method",
		),
		(
			[order("ORD-1"), order("ORD-2"), order("ORD-3", currency="USD")],
			{},
			"Cannot merge ORD-1 and ORD-3: they are in different currencies (EUR, USD)",
			"currency",
		),
		([order("ORD-1"), order("ORD-2")], {"into": "ORD-5"}, "Cannot merge into ORD-5", "into"),
		(
			[order("ORD-1"), order("ORD-2")],
			{"shipping_fee": -1},
			"Shipping Fee cannot be negative",
			"shipping_fee",
		),
		(
			[order("ORD-1"), order("ORD-2", lines=[line(qty=0)])],
			{},
			"Cannot merge ORD-2: Row 1: Quantity must be greater than 0",
			"qty",
		),
	],
)
def test_merge_refusals_name_the_order_and_field(orders, kwargs, fragment, field):
	with pytest.raises(ValidationFailed) as raised:
		plan_merge(orders, **kwargs)
	refused(raised, fragment, field=field)


# ---------------------------------------------------------------------------------------
# strategies

ITEMS = ["A", "B", "C"]
RATES = [D("0"), D("0.335"), D("1.99"), D("10"), D("19.99")]
qtys = st.one_of(
	st.integers(min_value=1, max_value=20).map(D),
	st.decimals(min_value=D("0.001"), max_value=D("30"), places=3),
)


@st.composite
def order_lines(draw, line_id):
	qty = draw(qtys)
	rate = draw(st.sampled_from(RATES))
	value_cents = int(money(qty * rate) * 100)
	discount = D(draw(st.integers(min_value=0, max_value=value_cents))) / 100
	tax = D(draw(st.integers(min_value=0, max_value=5000))) / 100
	return OrderLine(
		line_id=line_id,
		item=draw(st.sampled_from(ITEMS)),
		qty=qty,
		rate=rate,
		discount_amount=discount,
		tax_amount=tax,
	)


@st.composite
def orders(draw, name="ORD-1", status=None):
	count = draw(st.integers(min_value=1, max_value=5))
	lines = [draw(order_lines(str(i))) for i in range(1, count + 1)]
	fee = D(draw(st.integers(min_value=0, max_value=2000))) / 100
	chosen_status = status or draw(st.sampled_from(["Pending", "On Hold"]))
	return order(name, lines, shipping_fee=fee, status=chosen_status)


@st.composite
def order_sets(draw):
	count = draw(st.integers(min_value=2, max_value=4))
	return [draw(orders(f"ORD-{i}")) for i in range(1, count + 1)]


def _units(qty: Decimal) -> int:
	return int(qty * 1000)


# ---------------------------------------------------------------------------------------
# merge properties


@given(order_sets(), st.booleans())
@settings(max_examples=150, deadline=None)
def test_merge_conserves_quantities_and_money(sources, use_target):
	into = sources[-1].name if use_target else None
	plan = plan_merge(sources, into=into)
	merged = plan.order
	source_lines = [li for source in sources for li in source.lines]

	by_item = Counter()
	for li in source_lines:
		by_item[li.item] += li.qty
	merged_by_item = Counter()
	for li in merged.lines:
		merged_by_item[li.item] += li.qty
	assert merged_by_item == by_item

	totals, source_totals = plan.totals, compute_totals(source_lines)
	assert totals.merchandise_total == source_totals.merchandise_total
	assert totals.merchandise_value == source_totals.merchandise_value
	assert totals.discount_total == source_totals.discount_total
	assert totals.tax_total == source_totals.tax_total
	assert plan.source_totals.merchandise_total == source_totals.merchandise_total
	assert merged.shipping_fee == max(source.shipping_fee for source in sources)
	assert plan.shipping_fee_released == sum(s.shipping_fee for s in sources) - merged.shipping_fee

	assert set(plan.line_map) == {(s.name, li.line_id) for s in sources for li in s.lines}
	merged_ids = {li.line_id for li in merged.lines}
	assert set(plan.line_map.values()) == merged_ids
	assert len(merged_ids) == len(merged.lines)
	for source in sources:
		for li in source.lines:
			target = next(m for m in merged.lines if m.line_id == plan.line_map[(source.name, li.line_id)])
			assert (target.item, target.rate) == (li.item, li.rate)
	validate_order(merged if merged.name else order("NEW", merged.lines))
	assert len(plan.merged_orders) == len(sources) - (1 if use_target else 0)


# ---------------------------------------------------------------------------------------
# split


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
	with pytest.raises(ValidationFailed) as raised:
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
	with pytest.raises(ValidationFailed) as raised:
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
	with pytest.raises(ValidationFailed) as raised:
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


# ---------------------------------------------------------------------------------------
# returns and refunds

SHIPPED = [
	line("a", "MUG", 3, D("10"), shipped_qty=3, idx=1),
	line("b", "TEE", 2, D("15"), discount_amount=5, tax_amount=D("2.50"), shipped_qty=1, idx=2),
]


def test_return_within_what_was_shipped():
	assert validate_return(SHIPPED, {"a": 1}, {"a": 2, "b": 1.0}) == {"a": D(2), "b": D(1)}


@pytest.mark.parametrize(
	"returned, requested, fragment, field",
	[
		({}, {}, "Select at least one item to return", "items"),
		({}, {"zz": 1}, "Line zz is not on the order", "items"),
		({}, {"a": 0}, "Row 1 (MUG): Return quantity must be greater than 0", "qty"),
		({}, {"a": -2}, "Row 1 (MUG): Return quantity must be greater than 0", "qty"),
		(
			{"a": 1},
			{"a": 3},
			"Row 1 (MUG): cannot return 3; at most 2 can be returned (3 shipped, 1 already returned)",
			"qty",
		),
		({}, {"b": 2}, "Row 2 (TEE): cannot return 2; at most 1 can be returned (1 shipped", "qty"),
		({"b": 1}, {"b": 0.5}, "at most 0 can be returned", "qty"),
	],
)
def test_return_refusals_name_row_item_and_maximum(returned, requested, fragment, field):
	with pytest.raises(ValidationFailed) as raised:
		validate_return(SHIPPED, returned, requested)
	refused(raised, fragment, field=field)


def test_refund_is_prorated_from_the_line_amount():
	assert SHIPPED[1].amount == D("27.50")
	assert refund_by_line(SHIPPED, {"a": 1, "b": 1}) == {"a": D("10.00"), "b": D("13.75")}
	assert refund_amount(SHIPPED, {"a": 1, "b": 1}) == D("23.75")
	with pytest.raises(ValidationFailed):
		refund_amount(SHIPPED, {"b": 2})


def test_refunds_in_steps_add_up_to_the_line_amount():
	thirds = [line("a", "A", 3, D("3.33"), tax_amount=D("0.01"), shipped_qty=3)]  # amount 10.00
	steps = [refund_amount(thirds, {"a": 1}, {"a": done}) for done in range(3)]
	assert steps == [D("3.33"), D("3.34"), D("3.33")]
	assert sum(steps) == thirds[0].amount


@st.composite
def return_cases(draw):
	li = draw(order_lines("a"))
	shipped = D(draw(st.integers(0, _units(li.qty)))) / 1000
	returned = D(draw(st.integers(0, _units(shipped)))) / 1000
	requested = D(draw(st.integers(-1, _units(li.qty) + 1))) / 1000
	return OrderLine(**{**li.__dict__, "shipped_qty": shipped}), returned, requested


@given(return_cases())
@settings(max_examples=200, deadline=None)
def test_a_return_never_exceeds_shipped_minus_returned(case):
	li, returned, requested = case
	if 0 < requested <= li.shipped_qty - returned:
		assert validate_return([li], {"a": returned}, {"a": requested}) == {"a": requested}
		refund = refund_amount([li], {"a": requested}, {"a": returned})
		assert 0 <= refund <= li.amount
	else:
		with pytest.raises(ValidationFailed) as raised:
			validate_return([li], {"a": returned}, {"a": requested})
		assert "Row 1 (" in str(raised.value)


@given(order_lines("a"), st.lists(st.integers(1, 5), min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_returning_everything_in_steps_refunds_exactly_the_amount(li, weights):
	li = OrderLine(**{**li.__dict__, "shipped_qty": li.qty})
	units = _units(li.qty)
	total = sum(weights)
	cuts = sorted({units * w // total for w in (sum(weights[: i + 1]) for i in range(len(weights)))})
	done, refunded, previous = D(0), D(0), 0
	for cut in cuts:
		if cut == previous:
			continue
		qty = D(cut - previous) / 1000
		refunded += refund_amount([li], {"a": qty}, {"a": done})
		done += qty
		previous = cut
	assert done == li.qty
	assert refunded == li.amount


@pytest.mark.parametrize(
	"current, paid, refunded, expected",
	[
		("Paid", 100, 40, PaymentStatus.PARTIALLY_REFUNDED),
		("Paid", 100, 100, PaymentStatus.REFUNDED),
		("Partially Refunded", 100, D("99.99"), PaymentStatus.PARTIALLY_REFUNDED),
		("Partially Refunded", 100, 100, PaymentStatus.REFUNDED),
		("Paid", 100, 0, PaymentStatus.PAID),
		("Unpaid", 0, 0, PaymentStatus.UNPAID),
	],
)
def test_payment_status_after_refund(current, paid, refunded, expected):
	assert payment_status_after_refund(current, paid, refunded) is expected


@pytest.mark.parametrize(
	"current, paid, refunded, fragment, field",
	[
		("Paid", 100, D("100.01"), "Cannot refund 100.01 in total: only 100.00 was paid", "refunded_amount"),
		("Unpaid", 0, 5, "Cannot refund an order whose payment status is Unpaid", "payment_status"),
		("Paid", 100, -1, "Refunded amount cannot be negative", "refunded_amount"),
		("Settled", 100, 1, "Unknown payment status Settled", "payment_status"),
	],
)
def test_payment_status_refusals(current, paid, refunded, fragment, field):
	with pytest.raises(ValidationFailed) as raised:
		payment_status_after_refund(current, paid, refunded)
	refused(raised, fragment, field=field)


# ---------------------------------------------------------------------------------------
# holds

NOW = datetime(2025, 3, 1, 12, 0)


def facts(**kwargs) -> OrderFacts:
	base = {
		"name": "ORD-0042",
		"as_of": NOW,
		"submitted_at": NOW - timedelta(minutes=10),
		"payment_status": "Paid",
		"previous_orders": 3,
		"delivery_method": "Standard",
		"shipping_country": "DE",
		"billing_country": "DE",
		"grand_total": 50,
	}
	base.update(kwargs)
	return OrderFacts(**base)


def rules_fired(order_facts, hold_settings=None):
	return [(h.hold_type, h.rule) for h in automatic_holds(order_facts, hold_settings)]


def test_unknown_payment_status_in_facts_is_refused_by_field():
	with pytest.raises(ValidationFailed) as raised:
		facts(payment_status="Settled")
	refused(raised, "Unknown payment status Settled", field="payment_status")


def test_a_clean_order_gets_no_hold():
	assert automatic_holds(facts()) == []


def test_unpaid_too_long_gets_a_payment_hold():
	late = facts(payment_status="Unpaid", submitted_at=NOW - timedelta(minutes=61))
	(hold,) = automatic_holds(late)
	assert hold.hold_type is HoldType.PAYMENT
	assert hold.reason == "Order ORD-0042 is still Unpaid 61 minutes after it was placed (limit 60)"
	assert rules_fired(facts(payment_status="Unpaid", submitted_at=NOW - timedelta(minutes=60))) == []
	assert rules_fired(late, HoldSettings(payment_hold_after_minutes=90)) == []
	assert rules_fired(late, HoldSettings(payment_hold_after_minutes=None)) == []
	assert rules_fired(facts(payment_status="Unpaid", submitted_at=None)) == []
	cash_on_delivery = facts(
		payment_status="Unpaid", submitted_at=NOW - timedelta(days=1), pay_on_delivery=True
	)
	assert rules_fired(cash_on_delivery) == []
	partly = facts(payment_status="Partially Paid", submitted_at=NOW - timedelta(hours=2))
	assert rules_fired(partly) == [(HoldType.PAYMENT, "unpaid_too_long")]


def test_first_express_order_shipping_abroad_gets_a_fraud_review():
	risky = facts(previous_orders=0, delivery_method="Express", shipping_country="FR", billing_country="DE")
	(hold,) = automatic_holds(risky)
	assert hold.hold_type is HoldType.FRAUD_REVIEW
	assert "ORD-0042" in hold.reason and "FR" in hold.reason and "DE" in hold.reason
	assert rules_fired(facts(previous_orders=1, delivery_method="Express", shipping_country="FR")) == []
	assert rules_fired(facts(previous_orders=0, delivery_method="Standard", shipping_country="FR")) == []
	assert rules_fired(facts(previous_orders=0, delivery_method="Express", shipping_country="de ")) == []
	assert rules_fired(risky, HoldSettings(review_first_express_abroad=False)) == []
	assert rules_fired(
		facts(previous_orders=0, delivery_method="Next Day", shipping_country="FR"),
		HoldSettings(express_delivery_methods=frozenset({"Next Day"})),
	) == [(HoldType.FRAUD_REVIEW, "first_express_order_abroad")]


def test_large_orders_address_and_stock_holds():
	assert rules_fired(facts(grand_total=5000), HoldSettings(review_orders_above=D("1000"))) == [
		(HoldType.FRAUD_REVIEW, "large_order")
	]
	assert rules_fired(facts(grand_total=5000)) == []
	(address,) = automatic_holds(facts(address_missing=("postal_code", "city")))
	assert address.hold_type is HoldType.ADDRESS_CHECK
	assert address.reason == "Order ORD-0042: the shipping address needs postal_code, city"
	assert rules_fired(facts(address_missing=("city",)), HoldSettings(check_addresses=False)) == []
	(stock,) = automatic_holds(facts(short_items=("ITEM-9",)))
	assert stock.hold_type is HoldType.STOCK and "ITEM-9" in stock.reason
	assert rules_fired(facts(short_items=("ITEM-9",)), HoldSettings(hold_when_out_of_stock=False)) == []


def test_several_rules_can_fire_together():
	everything = facts(
		payment_status="Unpaid",
		submitted_at=NOW - timedelta(hours=5),
		previous_orders=0,
		delivery_method="Express",
		shipping_country="US",
		address_missing=("street",),
	)
	assert {t for t, _ in rules_fired(everything)} == {
		HoldType.PAYMENT,
		HoldType.FRAUD_REVIEW,
		HoldType.ADDRESS_CHECK,
	}


@pytest.mark.parametrize(
	"status", ["Shipped", "Partially Shipped", "Completed", "Cancelled", "Merged", "Draft"]
)
def test_orders_outside_pending_processing_hold_are_never_held(status):
	assert automatic_holds(facts(status=status, short_items=("X",))) == []


def test_rule_list_is_data_and_can_be_extended():
	assert all(isinstance(rule, HoldRule) for rule in HOLD_RULES)
	assert len({rule.name for rule in HOLD_RULES}) == len(HOLD_RULES)
	vip = HoldRule(
		"big_first_order",
		HoldType.FRAUD_REVIEW,
		lambda f, s: ("Order {0} is large for a first order", (f.name,)) if f.previous_orders == 0 else None,
	)
	holds = automatic_holds(facts(previous_orders=0), rules=[*HOLD_RULES, vip])
	assert [h.reason for h in holds] == ["Order ORD-0042 is large for a first order"]


def test_reconcile_places_new_releases_stale_and_keeps_manual_holds():
	manual = Hold(HoldType.MANUAL, template="Customer asked to wait")
	manual_address = Hold(HoldType.ADDRESS_CHECK, template="Agent checking")
	stale_payment = Hold(HoldType.PAYMENT, "unpaid_too_long")
	kept_stock = Hold(HoldType.STOCK, "out_of_stock")
	standing = automatic_holds(facts(short_items=("X",), address_missing=("city",)))
	changes = reconcile_holds([manual, manual_address, stale_payment, kept_stock], standing)
	assert [(h.hold_type, h.rule) for h in changes.place] == [(HoldType.ADDRESS_CHECK, "address_incomplete")]
	assert changes.release == (stale_payment,)
	assert {(h.hold_type, h.rule) for h in changes.remaining} == {
		(HoldType.MANUAL, ""),
		(HoldType.ADDRESS_CHECK, ""),
		(HoldType.STOCK, "out_of_stock"),
		(HoldType.ADDRESS_CHECK, "address_incomplete"),
	}
	assert changes.on_hold


def test_reconcile_lifts_the_hold_when_nothing_stands():
	changes = reconcile_holds([Hold(HoldType.PAYMENT, "unpaid_too_long")], automatic_holds(facts()))
	assert changes.place == () and not changes.on_hold
	assert len(changes.release) == 1
