"""WooCommerce: order webhooks (order.created, order.updated) as our intake payload and actions,
and the REST API (wc/v3) calls that send stock and fulfilments back.

Fields as WooCommerce's REST API documents the Order resource (its webhooks send the same JSON):
line `subtotal` is before discounts and `total` after, both without tax (`total_tax` holds it);
`shipping_lines` and `fee_lines` likewise; dates as `date_created_gmt` (UTC, no offset). An
update to status `cancelled` cancels our order, `refunded` returns what was shipped.
"""

from __future__ import annotations

from decimal import Decimal

from oms_omnichannel.core.connectors import (
	CANCELLATION,
	IGNORED,
	ORDER,
	REFUND,
	Cancellation,
	PlatformRequest,
	Refund,
	WebhookRefused,
	as_float,
	drop_empty,
	join_notes,
	money,
	obj,
	order_id,
	person_name,
	quantity,
	rows,
	text,
	unit_price,
)

API = "/wp-json/wc/v3"
SIGNATURE_HEADER = "X-WC-Webhook-Signature"
TOPIC_HEADER = "X-WC-Webhook-Topic"
WEBHOOK_ID_HEADER = "X-WC-Webhook-Delivery-ID"
TOPICS = {"order.created": ORDER, "order.updated": ORDER}
PAID_STATUSES = ("processing", "completed")
SKIPPED_STATUSES = ("failed", "trash", "checkout-draft")  # no order for us (yet)
# Meta keys gift card extensions put on a gift card line (WooCommerce Gift Cards, PW Gift Cards)
GIFT_CARD_META = ("wc_gc_giftcard", "_wc_gc_giftcard", "pw_gift_card")
BATCH_LIMIT = 100  # products/batch takes at most 100 updates


def event_kind(topic: str, payload) -> str:
	kind = TOPICS.get(topic, IGNORED)
	if kind != ORDER or not isinstance(payload, dict):
		return kind
	status = text(payload.get("status"))
	if status == "cancelled":
		return CANCELLATION
	if status == "refunded":
		return REFUND
	if status in SKIPPED_STATUSES:
		return IGNORED
	return ORDER


def is_gift_card(item: dict) -> bool:
	return any(
		isinstance(meta, dict) and text(meta.get("key")).startswith(GIFT_CARD_META)
		for meta in item.get("meta_data") or []
	)


def map_line(item: dict, where: str) -> dict:
	qty = quantity(item.get("quantity"), f"{where}.quantity")
	subtotal = money(item.get("subtotal"), f"{where}.subtotal")
	total = money(item.get("total"), f"{where}.total")
	price = unit_price(max(subtotal, total), qty)
	product, variation = text(item.get("product_id")), text(item.get("variation_id"))
	variation = "" if variation in ("", "0") else variation
	sku = text(item.get("sku"))
	if not (sku or variation or product not in ("", "0")):
		raise WebhookRefused(
			"{0}.sku: a line without SKU or product cannot be matched to a listing",
			where,
			field=f"{where}.sku",
		)
	return drop_empty(
		{
			"channel_sku": sku or variation or product,
			"qty": int(qty) if qty == int(qty) else float(qty),
			"price": as_float(price),
			"discount": as_float(price * qty - total),
			"tax": as_float(money(item.get("total_tax"), f"{where}.total_tax")),
			"platform_variant_id": variation,
			"platform_product_id": product,
		}
	)


def map_address(address: dict, email_holder: dict | None = None) -> dict:
	return drop_empty(
		{
			"name": person_name(address),
			"line1": text(address.get("address_1")),
			"line2": " ".join(filter(None, (text(address.get("address_2")), text(address.get("company"))))),
			"city": text(address.get("city")),
			"postcode": text(address.get("postcode")),
			"region": text(address.get("state")),
			"country": text(address.get("country")),
			"phone": text(address.get("phone")),
		}
	)


def ordered_at(payload: dict) -> str:
	gmt = text(payload.get("date_created_gmt"))
	if gmt:
		return gmt if gmt.endswith(("Z", "+00:00")) else f"{gmt}+00:00"
	return text(payload.get("date_created"))


def map_order(payload) -> dict:
	"""A WooCommerce order as our intake payload (see api/openapi.json, IntakeOrder)."""
	channel_order_id = order_id(payload)
	lines, gift_cards = [], []
	for index, item in enumerate(rows(payload, "line_items")):
		where = f"line_items[{index}]"
		if is_gift_card(item):
			gift_cards.append(
				f"{text(item.get('name'))} x {text(item.get('quantity'))} at {text(item.get('total'))}"
			)
			continue
		lines.append(map_line(item, where))
	shipping_fee = Decimal(0)
	for index, line in enumerate(rows(payload, "shipping_lines")):
		where = f"shipping_lines[{index}]"
		shipping_fee += money(line.get("total"), f"{where}.total") + money(
			line.get("total_tax"), f"{where}.total_tax"
		)
	fees = [
		f"{text(fee.get('name'))} {text(fee.get('total'))}"
		for fee in rows(payload, "fee_lines")
		if fee.get("name")
	]
	coupons = [text(c.get("code")) for c in rows(payload, "coupon_lines") if text(c.get("code"))]
	billing, shipping = obj(payload, "billing"), obj(payload, "shipping")
	has_shipping = bool(text(shipping.get("address_1")) or text(shipping.get("city")))
	status = text(payload.get("status"))
	paid = status in PAID_STATUSES or bool(text(payload.get("date_paid_gmt") or payload.get("date_paid")))
	customer_id = text(payload.get("customer_id"))
	return drop_empty(
		{
			"channel_order_id": channel_order_id,
			"ordered_at": ordered_at(payload),
			"currency": text(payload.get("currency")),
			"customer": drop_empty(
				{
					"name": person_name(billing, shipping),
					"email": text(billing.get("email")) or None,
					"phone": text(billing.get("phone")) or None,
					"channel_customer_id": "" if customer_id in ("", "0") else customer_id,
				}
			),
			"shipping_address": map_address(shipping if has_shipping else billing),
			"billing_address": map_address(billing)
			if has_shipping and text(billing.get("address_1"))
			else None,
			"shipping_fee": as_float(shipping_fee),
			"payment_status": "Paid" if paid else "Unpaid",
			"paid_amount": as_float(money(payload.get("total"), "total")) if paid else None,
			"notes": join_notes(
				f"WooCommerce order {text(payload.get('number')) or channel_order_id}",
				text(payload.get("customer_note")),
				f"Coupons: {', '.join(coupons)}" if coupons else "",
				f"Fees (not in the order total): {'; '.join(fees)}" if fees else "",
				f"Gift cards (not shipped): {'; '.join(gift_cards)}" if gift_cards else "",
			),
		}
	) | {"lines": lines}


def map_cancellation(payload) -> Cancellation:
	return Cancellation(order_id(payload), "Cancelled on WooCommerce")


def map_refund(payload) -> Refund:
	"""Status `refunded`: the order's refunds carry no lines, so every shipped unit comes back."""
	channel_order_id = order_id(payload)
	refund_ids = sorted(text(r.get("id")) for r in rows(payload, "refunds") if text(r.get("id")))
	reasons = [text(r.get("reason")) for r in rows(payload, "refunds") if text(r.get("reason"))]
	return Refund(
		channel_order_id,
		"refunded:" + (",".join(refund_ids) or channel_order_id),
		(),
		note="; ".join(reasons),
		whole_order=True,
	)


# ------------------------------------------------------------------ back to WooCommerce


def stock_requests(levels: list[tuple[str, str, str, int]]) -> list[PlatformRequest]:
	"""Stock per (item, product id, variation id, quantity): products/batch for simple products,
	products/<id>/variations/batch for variations, at most 100 updates a call."""
	simple: list[tuple[str, dict]] = []
	variations: dict[str, list[tuple[str, dict]]] = {}
	for item, product, variation, qty in levels:
		if variation:
			variations.setdefault(product, []).append(
				(item, {"id": int(variation), "manage_stock": True, "stock_quantity": int(qty)})
			)
		else:
			simple.append((item, {"id": int(product), "manage_stock": True, "stock_quantity": int(qty)}))
	requests = []
	for path, updates in [(f"{API}/products/batch", simple)] + [
		(f"{API}/products/{product}/variations/batch", rows_) for product, rows_ in sorted(variations.items())
	]:
		for start in range(0, len(updates), BATCH_LIMIT):
			chunk = updates[start : start + BATCH_LIMIT]
			requests.append(
				PlatformRequest(
					"POST", path, {"update": [row for _, row in chunk]}, items=tuple(i for i, _ in chunk)
				)
			)
	return requests


def fulfilment_requests(channel_order_id: str, note: str, complete: bool) -> list[PlatformRequest]:
	"""A customer note with the carrier and tracking; the order completed once all of it shipped."""
	requests = [
		PlatformRequest(
			"POST", f"{API}/orders/{channel_order_id}/notes", {"note": note, "customer_note": True}
		)
	]
	if complete:
		requests.append(PlatformRequest("PUT", f"{API}/orders/{channel_order_id}", {"status": "completed"}))
	return requests
