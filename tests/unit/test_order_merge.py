"""Merge planning (`core/orders/merge.py`): examples, refusals and conservation properties."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.order_status import OrderStatus
from oms_omnichannel.core.orders.lines import compute_totals, order_totals, validate_order
from oms_omnichannel.core.orders.merge import plan_merge
from tests.unit.order_builders import D, line, order, order_sets, refused


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
			[order("ORD-1"), order("ORD-0007", status="Processing", lines=[line(shipped_qty=1)])],
			{},
			"Cannot merge ORD-0007: it is Processing and part of it has already shipped",
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
	with pytest.raises(DomainError) as raised:
		plan_merge(orders, **kwargs)
	refused(raised, fragment, field=field)


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


def test_processing_orders_with_nothing_shipped_merge():
	plan = plan_merge([order("ORD-1", status="Processing"), order("ORD-2", status="Processing")])
	assert plan.merged_orders == ("ORD-1", "ORD-2")
	assert plan.order.status is OrderStatus.PENDING  # sourced and reserved again when submitted
