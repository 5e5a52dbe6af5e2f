"""Builders and hypothesis strategies shared by the tests of `core/orders/`."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from oms_omnichannel.core.orders.lines import Order, OrderLine
from oms_omnichannel.core.orders.money import money

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
