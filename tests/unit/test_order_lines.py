"""Money, numbers, order lines, totals and their validation (`core/orders/money.py`, `lines.py`)."""

from __future__ import annotations

import pytest

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.orders.lines import (
	Order,
	compute_totals,
	order_totals,
	validate_line,
	validate_order,
)
from oms_omnichannel.core.orders.money import apportion, money, to_decimal
from tests.unit.order_builders import D, line, order, refused


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
