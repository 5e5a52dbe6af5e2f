"""Shop platform connectors: each adapter's mapping of webhook payloads written from the
platforms' published webhook references, the awkward cases included, checked through our own
intake parser, and the signature check."""

import base64
import copy
import hashlib
import hmac
import json
from decimal import Decimal
from pathlib import Path

import pytest

from oms_omnichannel.core import connectors
from oms_omnichannel.core.connectors import shopify, woocommerce
from oms_omnichannel.core.intake import IntakeError, parse_order
from oms_omnichannel.core.orders.lines import OrderLine, compute_totals

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def load(name: str) -> dict:
	return json.loads((FIXTURES / name).read_text())


def grand_total(mapped: dict) -> Decimal:
	"""What our order will total, by the same rules as OMS Order."""
	parsed = parse_order(mapped)
	lines = [
		OrderLine(line_id=str(i), item=l.channel_sku or l.sku, qty=l.qty, rate=l.price, discount_amount=l.discount, tax_amount=l.tax)
		for i, l in enumerate(parsed.lines)
	]  # fmt: skip
	return compute_totals(lines, parsed.shipping_fee).grand_total


# ------------------------------------------------------------------ signatures


def test_signature_is_base64_hmac_sha256_of_the_raw_body():
	body = b'{"id": 1}'
	expected = base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest()).decode()
	assert connectors.signature(body, "s3cret") == expected
	assert connectors.signature_valid(body, expected, "s3cret")


@pytest.mark.parametrize(
	"sent, secret",
	[(None, "s3cret"), ("", "s3cret"), ("bm9wZQ==", "s3cret"), ("x", None), ("x", "")],
)
def test_a_missing_or_wrong_signature_or_secret_never_passes(sent, secret):
	assert not connectors.signature_valid(b"{}", sent, secret)


def test_a_signature_of_another_body_or_secret_fails():
	body = b'{"id": 1}'
	assert not connectors.signature_valid(body + b" ", connectors.signature(body, "s3cret"), "s3cret")
	assert not connectors.signature_valid(body, connectors.signature(body, "other"), "s3cret")


# ------------------------------------------------------------------ Shopify


def test_shopify_order_maps_lines_discounts_taxes_shipping_and_skips_the_gift_card():
	payload = load("shopify/orders_create.json")
	mapped = shopify.map_order(payload)
	assert mapped["channel_order_id"] == "5741236781234"
	assert mapped["currency"] == "EUR"
	assert mapped["ordered_at"] == "2026-11-24T18:42:10+01:00"
	tee, mug = mapped["lines"]
	assert tee == {
		"channel_sku": "TEE-BLK-M", "qty": 2, "price": 24.9, "discount": 4.98, "tax": 0,
		"platform_variant_id": "45000000000001", "platform_product_id": "8800000000001",
	}  # fmt: skip
	# no SKU: the variant id is what the listing must hold
	assert (mug["channel_sku"], mug["discount"]) == ("45000000000002", 1.2)
	assert mapped["shipping_fee"] == 4.9
	assert mapped["payment_status"] == "Paid"
	assert "Gift Card - 25 €" in mapped["notes"] and "WINTER10" in mapped["notes"]
	# taxes included: the platform's total less the gift card, to the cent
	assert grand_total(mapped) == Decimal(payload["total_price"]) - Decimal("25.00")
	assert mapped["paid_amount"] == 85.52


def test_shopify_customer_without_email_keeps_name_phone_and_id():
	mapped = shopify.map_order(load("shopify/orders_create.json"))
	assert mapped["customer"] == {
		"name": "Anna Müller",
		"phone": "+4915123456789",
		"channel_customer_id": "7012345678901",
	}
	parsed = parse_order(mapped)
	assert parsed.customer.email is None
	address = parsed.shipping
	assert (address.line1, address.line2, address.postcode, address.country) == (
		"Kastanienallee 12", "Hinterhaus", "10435", "DE",
	)  # fmt: skip
	assert (address.latitude, address.longitude) == (52.5386, 13.4094)


def test_shopify_taxes_on_top_of_prices_are_added_to_lines_and_shipping():
	payload = load("shopify/orders_create.json")
	payload["taxes_included"] = False
	mapped = shopify.map_order(payload)
	assert [line["tax"] for line in mapped["lines"]] == [7.16, 1.72]
	assert mapped["shipping_fee"] == 5.68
	assert "Prices include tax" not in mapped["notes"]


def test_shopify_unpaid_and_authorised_orders():
	payload = load("shopify/orders_create.json")
	payload["financial_status"] = "authorized"
	assert shopify.map_order(payload)["payment_status"] == "Authorised"
	payload["financial_status"] = "pending"
	mapped = shopify.map_order(payload)
	assert mapped["payment_status"] == "Unpaid" and "paid_amount" not in mapped


def test_shopify_order_of_only_gift_cards_has_no_lines_and_intake_refuses_it():
	payload = load("shopify/orders_create.json")
	payload["line_items"] = [payload["line_items"][2]]
	mapped = shopify.map_order(payload)
	assert mapped["lines"] == []
	with pytest.raises(IntakeError) as refused:
		parse_order(mapped)
	assert refused.value.field == "lines"


def test_shopify_custom_line_without_sku_or_variant_is_refused_naming_it():
	payload = load("shopify/orders_create.json")
	payload["line_items"][1]["variant_id"] = None
	with pytest.raises(connectors.WebhookRefused) as refused:
		shopify.map_order(payload)
	assert refused.value.field == "line_items[1].sku"


@pytest.mark.parametrize(
	"change, field",
	[
		(lambda p: p.pop("id"), "id"),
		(lambda p: p.update(line_items="many"), "line_items"),
		(lambda p: p["line_items"][0].update(quantity=0), "line_items[0].quantity"),
		(lambda p: p["line_items"][0].update(price="twelve"), "line_items[0].price"),
		(lambda p: p.update(shipping_address=[]), "shipping_address"),
	],
)
def test_shopify_malformed_payloads_name_the_field(change, field):
	payload = load("shopify/orders_create.json")
	change(payload)
	with pytest.raises(connectors.WebhookRefused) as refused:
		shopify.map_order(payload)
	assert refused.value.field == field


def test_shopify_topics():
	payload = load("shopify/orders_create.json")
	assert shopify.event_kind("orders/create", payload) == connectors.ORDER
	assert shopify.event_kind("orders/updated", payload) == connectors.ORDER
	assert shopify.event_kind("orders/cancelled", payload) == connectors.CANCELLATION
	assert shopify.event_kind("refunds/create", {}) == connectors.REFUND
	assert shopify.event_kind("products/update", payload) == connectors.IGNORED
	cancelled = {**payload, "cancelled_at": "2026-11-25T09:00:00+01:00", "cancel_reason": "customer"}
	assert shopify.event_kind("orders/updated", cancelled) == connectors.CANCELLATION
	assert shopify.map_cancellation(cancelled) == connectors.Cancellation(
		"5741236781234", "Cancelled on Shopify (customer)"
	)


def test_shopify_refund_returns_restocked_lines_only_as_restocked():
	refund = shopify.map_refund(load("shopify/refunds_create.json"))
	assert (refund.channel_order_id, refund.refund_id, refund.note) == (
		"5741236781234",
		"929361462",
		"Too small",
	)
	assert refund.lines == (
		connectors.RefundLine("TEE-BLK-M", "45000000000001", Decimal(1), True),
		connectors.RefundLine("", "45000000000002", Decimal(1), False),
	)
	with pytest.raises(connectors.WebhookRefused):
		shopify.map_refund({"id": 1})


def test_shopify_stock_and_fulfilment_requests():
	requests = shopify.stock_requests("655441491", [("TEE", "808950810", 7), ("MUG", "39072856", 0)])
	assert [(r.method, r.path, r.body, r.items) for r in requests] == [
		("POST", "/admin/api/2024-10/inventory_levels/set.json",
		 {"location_id": 655441491, "inventory_item_id": 808950810, "available": 7}, ("TEE",)),
		("POST", "/admin/api/2024-10/inventory_levels/set.json",
		 {"location_id": 655441491, "inventory_item_id": 39072856, "available": 0}, ("MUG",)),
	]  # fmt: skip
	fulfillment_orders = [
		{"id": 1046000818, "status": "open", "line_items": [
			{"id": 1022782888, "variant_id": 45000000000001, "fulfillable_quantity": 2},
			{"id": 1022782889, "variant_id": 45000000000002, "fulfillable_quantity": 1}]},
		{"id": 1046000819, "status": "closed", "line_items": []},
	]  # fmt: skip
	tracking = {"number": "00340434161094000000", "url": "https://track.example/1", "company": "DHL"}
	part = shopify.fulfilment_request(fulfillment_orders, {"45000000000001": Decimal(1)}, tracking)
	assert part.body["fulfillment"]["line_items_by_fulfillment_order"] == [
		{
			"fulfillment_order_id": 1046000818,
			"fulfillment_order_line_items": [{"id": 1022782888, "quantity": 1}],
		}
	]
	assert part.body["fulfillment"]["tracking_info"] == tracking
	whole = shopify.fulfilment_request(fulfillment_orders, None, {"number": "1", "url": None})
	assert whole.body["fulfillment"]["line_items_by_fulfillment_order"] == [
		{"fulfillment_order_id": 1046000818}
	]
	assert whole.body["fulfillment"]["tracking_info"] == {"number": "1"}
	with pytest.raises(connectors.WebhookRefused):
		shopify.fulfilment_request(fulfillment_orders, {"45000000000001": Decimal(3)}, tracking)


# ------------------------------------------------------------------ WooCommerce


def test_woocommerce_order_maps_lines_discounts_taxes_shipping_and_skips_the_gift_card():
	payload = load("woocommerce/order_created.json")
	mapped = woocommerce.map_order(payload)
	assert mapped["channel_order_id"] == "727"
	assert mapped["ordered_at"] == "2026-11-24T18:05:44+00:00"
	hoodie, beanie = mapped["lines"]
	assert hoodie == {
		"channel_sku": "HOOD-BLU-L", "qty": 1, "price": 45.0, "discount": 4.5, "tax": 7.7,
		"platform_variant_id": "101", "platform_product_id": "93",
	}  # fmt: skip
	# no SKU and no variation: the product id
	assert (beanie["channel_sku"], beanie["price"], beanie["discount"], beanie["tax"]) == (
		"94",
		5.0,
		1.5,
		0.95,
	)
	assert mapped["shipping_fee"] == 5.83
	assert mapped["payment_status"] == "Paid" and mapped["paid_amount"] == 88.48
	assert "Gift Card x 1" in mapped["notes"] and "welcome10" in mapped["notes"]
	assert grand_total(mapped) == Decimal(payload["total"]) - Decimal("20.00")


def test_woocommerce_guest_without_email_and_shipping_to_a_company():
	parsed = parse_order(woocommerce.map_order(load("woocommerce/order_created.json")))
	assert parsed.customer.email is None and parsed.customer.channel_customer_id == ""
	assert (parsed.customer.name, parsed.customer.phone) == ("Jonas Weber", "030 1234567")
	assert (parsed.shipping.line1, parsed.shipping.line2, parsed.shipping.country) == (
		"Alexanderplatz 9", "3. OG Weber GmbH", "DE",
	)  # fmt: skip


def test_woocommerce_unit_prices_stay_exact_to_the_cent():
	payload = load("woocommerce/order_created.json")
	payload["line_items"][1].update(subtotal="10.00", total="10.00", quantity=3)
	beanie = woocommerce.map_order(payload)["lines"][1]
	# 3 x 3.34 = 10.02: two cents of discount keep the line at the platform's 10.00
	assert (beanie["price"], beanie["discount"]) == (3.34, 0.02)


def test_woocommerce_statuses():
	payload = load("woocommerce/order_created.json")
	assert woocommerce.event_kind("order.created", payload) == connectors.ORDER
	assert (
		woocommerce.event_kind("order.updated", {**payload, "status": "cancelled"}) == connectors.CANCELLATION
	)
	assert woocommerce.event_kind("order.updated", {**payload, "status": "refunded"}) == connectors.REFUND
	assert woocommerce.event_kind("order.updated", {**payload, "status": "failed"}) == connectors.IGNORED
	assert woocommerce.event_kind("product.updated", payload) == connectors.IGNORED
	pending = {**payload, "status": "pending", "date_paid": None, "date_paid_gmt": None}
	mapped = woocommerce.map_order(pending)
	assert mapped["payment_status"] == "Unpaid" and "paid_amount" not in mapped
	refunded = {
		**payload,
		"status": "refunded",
		"refunds": [{"id": 730, "reason": "Damaged", "total": "-88.48"}],
	}
	refund = woocommerce.map_refund(refunded)
	assert (refund.channel_order_id, refund.refund_id, refund.whole_order, refund.note) == (
		"727", "refunded:730", True, "Damaged",
	)  # fmt: skip


def test_woocommerce_order_without_lines_is_refused_by_intake():
	payload = copy.deepcopy(load("woocommerce/order_created.json"))
	payload["line_items"] = []
	with pytest.raises(IntakeError) as refused:
		parse_order(woocommerce.map_order(payload))
	assert refused.value.field == "lines"


def test_woocommerce_stock_requests_are_batched():
	levels = [(f"ITEM-{n}", str(1000 + n), "", n) for n in range(150)] + [
		("HOOD-L", "93", "101", 4),
		("HOOD-M", "93", "102", 0),
	]
	requests = woocommerce.stock_requests(levels)
	assert [(r.method, r.path, len(r.body["update"])) for r in requests] == [
		("POST", "/wp-json/wc/v3/products/batch", 100),
		("POST", "/wp-json/wc/v3/products/batch", 50),
		("POST", "/wp-json/wc/v3/products/93/variations/batch", 2),
	]
	assert requests[2].body["update"][0] == {"id": 101, "manage_stock": True, "stock_quantity": 4}
	assert requests[2].items == ("HOOD-L", "HOOD-M")


def test_woocommerce_fulfilment_adds_a_note_and_completes_when_all_shipped():
	note = "Shipped with DHL, tracking 00340434"
	partial = woocommerce.fulfilment_requests("727", note, complete=False)
	assert [(r.method, r.path, r.body) for r in partial] == [
		("POST", "/wp-json/wc/v3/orders/727/notes", {"note": note, "customer_note": True})
	]
	complete = woocommerce.fulfilment_requests("727", note, complete=True)
	assert complete[1].body == {"status": "completed"} and complete[1].method == "PUT"
