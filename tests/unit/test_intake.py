import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.intake import IntakeError, parse_order, split_payload

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def good_order(**overrides):
	order = {
		"channel_order_id": "W-1001",
		"ordered_at": "2026-11-25T09:30:00Z",
		"customer": {"name": "Anna Müller", "email": "Anna@Example.com", "phone": "+49 151 1234567"},
		"shipping_address": {
			"line1": "Torstraße 1",
			"city": "Berlin",
			"postcode": "10119",
			"country": "Germany",
		},
		"lines": [
			{"sku": "TEE-BLK-M", "qty": 2, "price": 24.9},
			{"channel_sku": "MP-MUG-SAND", "qty": 1, "price": 12},
		],
		"shipping_fee": 4.9,
		"payment_status": "Paid",
	}
	order.update(overrides)
	return order


def test_recorded_web_store_payload_parses():
	payload = json.loads((FIXTURES / "intake_web_store.json").read_text())
	channel, orders = split_payload(payload, 500)
	assert channel == "Web Store"
	parsed = [parse_order(order, f"orders[{i}].") for i, order in enumerate(orders)]
	assert parsed[0].lines[0].qty == Decimal(2)
	assert parsed[0].customer.email == "anna.mueller@mail.example"


def test_good_order_is_normalised():
	order = parse_order(good_order())
	# as given: intake reads them in the channel's phone region (core.customers)
	assert order.customer.email == "Anna@Example.com"
	assert order.customer.phone == "+49 151 1234567"
	assert order.lines[0].price == Decimal("24.9")
	assert order.lines[1].channel_sku == "MP-MUG-SAND"
	assert order.ordered_at.year == 2026


@pytest.mark.parametrize(
	"change, field",
	[
		({"channel_order_id": ""}, "channel_order_id"),
		({"lines": []}, "lines"),
		({"lines": [{"sku": "X", "qty": -1}]}, "lines[0].qty"),
		({"lines": [{"sku": "X", "qty": 0}]}, "lines[0].qty"),
		({"lines": [{"sku": "X", "qty": 1, "price": "12.50"}]}, "lines[0].price"),
		({"lines": [{"qty": 1}]}, "lines[0].sku"),
		({"lines": [{"sku": "X", "qty": True}]}, "lines[0].qty"),
		({"lines": ["X"]}, "lines[0]"),
		({"payment_status": "Maybe"}, "payment_status"),
		({"shipping_address": {"latitude": 123, "longitude": 13}}, "shipping_address.latitude"),
		({"shipping_address": {"latitude": 52}}, "shipping_address.longitude"),
		({"ordered_at": "yesterday"}, "ordered_at"),
		({"shipping_fee": -1}, "shipping_fee"),
		({"shipping_address": "Berlin"}, "shipping_address"),
	],
)
def test_each_bad_field_is_named(change, field):
	with pytest.raises(IntakeError) as raised:
		parse_order(good_order(**change), "orders[3].")
	assert raised.value.field == f"orders[3].{field}"
	assert str(raised.value).startswith(f"orders[3].{field}")


def test_an_invalid_email_or_phone_is_kept_as_given_not_refused():
	customer = parse_order(good_order(customer={"email": " nope ", "phone": "12"})).customer
	assert (customer.email, customer.phone) == ("nope", "12")


def test_payload_shapes_and_batch_limit():
	assert split_payload({"channel": "Web", "order": good_order()}, 5)[1][0]["channel_order_id"] == "W-1001"
	with pytest.raises(IntakeError, match="at most 2 orders"):
		split_payload({"channel": "Web", "orders": [good_order()] * 3}, 2)
	# exactly the limit is allowed
	assert len(split_payload({"channel": "Web", "orders": [good_order()] * 2}, 2)[1]) == 2
	assert len(split_payload({"channel": "Web", "orders": [good_order()]}, 1)[1]) == 1
	with pytest.raises(IntakeError, match="channel: is required"):
		split_payload({"orders": [good_order()]}, 5)
	with pytest.raises(IntakeError, match="body: must be a JSON object"):
		split_payload([1, 2], 5)


json_values = st.recursive(
	st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
	lambda children: st.lists(children, max_size=4)
	| st.dictionaries(st.text(max_size=12), children, max_size=5),
	max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*good_order(), "junk"]), json_values, max_size=8))
def test_garbage_is_refused_cleanly_or_parsed(data):
	"""Anything a client sends either parses or raises IntakeError naming a field: never another error."""
	try:
		parse_order({**good_order(), **data})
	except IntakeError as error:
		assert error.field


def test_intake_accepts_exactly_the_channel_payment_statuses():
	for status in ("Unpaid", "Authorised", "Partially Paid", "Paid"):
		assert parse_order(good_order(payment_status=status)).payment_status == status
	assert parse_order(good_order(payment_status=None)).payment_status == "Unpaid"
	for status in ("Refunded", "Partially Refunded"):  # set by returns, never by a channel
		with pytest.raises(IntakeError, match="is not one of Unpaid, Authorised, Partially Paid, Paid$"):
			parse_order(good_order(payment_status=status))
