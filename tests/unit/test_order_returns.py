"""Returns and refunds (`core/orders/returns.py`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.orders.lines import OrderLine
from oms_omnichannel.core.orders.returns import (
	payment_status_after_refund,
	refund_amount,
	refund_by_line,
	validate_return,
)
from oms_omnichannel.core.payment import PaymentStatus
from tests.unit.order_builders import D, _units, line, order_lines, refused

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
