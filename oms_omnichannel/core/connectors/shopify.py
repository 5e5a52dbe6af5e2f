"""Shopify: order webhooks (orders/create, orders/updated, orders/cancelled, refunds/create) as
our intake payload and actions, and the Admin REST API calls that send stock and fulfilments back.

Fields as Shopify's webhook reference documents them for the Order and Refund resources: amounts
are strings ("24.90"); `line_items[].discount_allocations` carry the order's discounts spread
over its lines; `tax_lines` hold the tax, already inside the price when `taxes_included`;
gift card lines (`gift_card: true`) are no goods to ship.
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
	RefundLine,
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
)

API_VERSION = "2024-10"
SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"
TOPICS = {
	"orders/create": ORDER,
	"orders/updated": ORDER,
	"orders/cancelled": CANCELLATION,
	"refunds/create": REFUND,
}
PAYMENT_STATUS = {
	"pending": "Unpaid",
	"authorized": "Authorised",
	"partially_paid": "Partially Paid",
	"paid": "Paid",
	# refunds come as refunds/create and become returns; the order itself was paid
	"partially_refunded": "Paid",
	"refunded": "Paid",
	"voided": "Unpaid",
	"expired": "Unpaid",
}
PAID = ("Paid",)
RESTOCKED = ("return", "legacy_restock")  # refund line restock types that bring goods back


def event_kind(topic: str, payload) -> str:
	"""What a webhook topic asks of us; an order update that carries `cancelled_at` cancels."""
	kind = TOPICS.get(topic, IGNORED)
	if kind == ORDER and isinstance(payload, dict) and payload.get("cancelled_at"):
		return CANCELLATION
	return kind


def amount_sum(entries: list[dict], key: str, where: str) -> Decimal:
	return sum((money(entry.get(key), f"{where}[{i}].{key}") for i, entry in enumerate(entries)), Decimal(0))


def map_line(item: dict, where: str, taxes_included: bool) -> dict:
	qty = quantity(item.get("quantity"), f"{where}.quantity")
	price = money(item.get("price"), f"{where}.price")
	allocations = rows(item, "discount_allocations")
	discount = (
		amount_sum(allocations, "amount", f"{where}.discount_allocations")
		if allocations
		else money(item.get("total_discount"), f"{where}.total_discount")
	)
	tax = amount_sum(rows(item, "tax_lines"), "price", f"{where}.tax_lines")
	sku, variant = text(item.get("sku")), text(item.get("variant_id"))
	if not (sku or variant):
		raise WebhookRefused(
			"{0}.sku: a line without SKU or variant (a custom item) cannot be matched to a listing",
			where,
			field=f"{where}.sku",
		)
	return drop_empty(
		{
			"channel_sku": sku or variant,
			"qty": int(qty) if qty == int(qty) else float(qty),
			"price": as_float(price),
			"discount": as_float(discount),
			# with taxes included the price holds the tax already: adding it would count it twice
			"tax": 0 if taxes_included else as_float(tax),
			"platform_variant_id": variant,
			"platform_product_id": text(item.get("product_id")),
		}
	)


def map_address(address: dict) -> dict:
	latitude, longitude = address.get("latitude"), address.get("longitude")
	located = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (latitude, longitude))
	return drop_empty(
		{
			"name": person_name(address),
			"line1": text(address.get("address1")),
			"line2": " ".join(filter(None, (text(address.get("address2")), text(address.get("company"))))),
			"city": text(address.get("city")),
			"postcode": text(address.get("zip")),
			"region": text(address.get("province")),
			"country": text(address.get("country_code")) or text(address.get("country")),
			"phone": text(address.get("phone")),
			"latitude": latitude if located else None,
			"longitude": longitude if located else None,
		}
	)


def map_order(payload) -> dict:
	"""A Shopify order as our intake payload (see api/openapi.json, IntakeOrder)."""
	channel_order_id = order_id(payload)
	taxes_included = bool(payload.get("taxes_included"))
	lines, gift_cards = [], []
	for index, item in enumerate(rows(payload, "line_items")):
		where = f"line_items[{index}]"
		if item.get("gift_card"):
			gift_cards.append(
				f"{text(item.get('name') or item.get('title'))} x {text(item.get('quantity'))} "
				f"at {text(item.get('price'))}"
			)
			continue
		lines.append(map_line(item, where, taxes_included))
	shipping_fee = Decimal(0)
	for index, line in enumerate(rows(payload, "shipping_lines")):
		where = f"shipping_lines[{index}]"
		shipping_fee += money(line.get("price"), f"{where}.price") - amount_sum(
			rows(line, "discount_allocations"), "amount", f"{where}.discount_allocations"
		)
		if not taxes_included:
			shipping_fee += amount_sum(rows(line, "tax_lines"), "price", f"{where}.tax_lines")
	customer, shipping = obj(payload, "customer"), obj(payload, "shipping_address")
	billing = obj(payload, "billing_address")
	payment_status = PAYMENT_STATUS.get(text(payload.get("financial_status")), "Unpaid")
	codes = [text(code.get("code")) for code in rows(payload, "discount_codes") if text(code.get("code"))]
	return drop_empty(
		{
			"channel_order_id": channel_order_id,
			"ordered_at": text(payload.get("created_at")),
			"currency": text(payload.get("currency")),
			"customer": drop_empty(
				{
					"name": person_name(customer, shipping, billing),
					"email": text(payload.get("email")) or text(customer.get("email")) or None,
					"phone": text(customer.get("phone")) or text(payload.get("phone")) or None,
					"channel_customer_id": text(customer.get("id")),
				}
			),
			"shipping_address": map_address(shipping or billing),
			"billing_address": map_address(billing) if billing and shipping else None,
			"lines": lines,
			"shipping_fee": as_float(shipping_fee),
			"payment_status": payment_status,
			"paid_amount": as_float(money(payload.get("total_price"), "total_price"))
			if payment_status in PAID
			else None,
			"notes": join_notes(
				f"Shopify order {text(payload.get('name')) or channel_order_id}",
				text(payload.get("note")),
				f"Discount codes: {', '.join(codes)}" if codes else "",
				f"Gift cards (not shipped): {'; '.join(gift_cards)}" if gift_cards else "",
				"Prices include tax" if taxes_included else "",
			),
		}
	) | {"lines": lines}


def map_cancellation(payload) -> Cancellation:
	reason = text(payload.get("cancel_reason")) if isinstance(payload, dict) else ""
	return Cancellation(order_id(payload), f"Cancelled on Shopify ({reason or 'no reason given'})")


def map_refund(payload) -> Refund:
	"""refunds/create: the refund's lines that come back (restock type `return`) as return lines."""
	refund_id = order_id(payload)
	channel_order_id = text(payload.get("order_id"))
	if not channel_order_id:
		raise WebhookRefused("order_id: the refund names no order", field="order_id")
	lines = []
	for index, row in enumerate(rows(payload, "refund_line_items")):
		where = f"refund_line_items[{index}]"
		item = obj(row, "line_item")
		if item.get("gift_card"):
			continue
		lines.append(
			RefundLine(
				sku=text(item.get("sku")),
				variant_id=text(item.get("variant_id")),
				qty=quantity(row.get("quantity"), f"{where}.quantity"),
				restock=text(row.get("restock_type")) in RESTOCKED,
			)
		)
	return Refund(channel_order_id, refund_id, tuple(lines), note=text(payload.get("note")))


# ------------------------------------------------------------------ back to Shopify


def admin_path(resource: str) -> str:
	return f"/admin/api/{API_VERSION}/{resource}"


def numeric(value: str) -> int | str:
	return int(value) if str(value).isdigit() else value


def variant_request(variant_id: str) -> PlatformRequest:
	"""The variant, whose `inventory_item_id` stock levels are set on."""
	return PlatformRequest("GET", admin_path(f"variants/{variant_id}.json"))


def stock_requests(location_id: str, levels: list[tuple[str, str, int]]) -> list[PlatformRequest]:
	"""inventory_levels/set per (item, inventory item id, quantity): Shopify's REST API sets one
	level a call; the job sends a channel's whole burst in one run over one connection."""
	return [
		PlatformRequest(
			"POST",
			admin_path("inventory_levels/set.json"),
			{
				"location_id": numeric(location_id),
				"inventory_item_id": numeric(inventory_item_id),
				"available": int(qty),
			},
			items=(item,),
		)
		for item, inventory_item_id, qty in levels
	]


def fulfillment_orders_request(channel_order_id: str) -> PlatformRequest:
	return PlatformRequest("GET", admin_path(f"orders/{channel_order_id}/fulfillment_orders.json"))


def fulfilment_request(
	fulfillment_orders: list[dict],
	shipped: dict[str, Decimal] | None,
	tracking: dict,
) -> PlatformRequest:
	"""The fulfilment of what a shipment holds: `shipped` is {variant id: qty}, or None for every
	unit still open (the shipment completes the order). Refuses what Shopify has not open."""
	open_orders = [fo for fo in fulfillment_orders if fo.get("status") in ("open", "in_progress")]
	groups = []
	remaining = dict(shipped or {})
	for fo in open_orders:
		if shipped is None:
			groups.append({"fulfillment_order_id": fo.get("id")})
			continue
		items = []
		for line in fo.get("line_items") or []:
			variant = text(line.get("variant_id"))
			take = min(
				remaining.get(variant, Decimal(0)), Decimal(str(line.get("fulfillable_quantity") or 0))
			)
			if take > 0:
				items.append({"id": line.get("id"), "quantity": int(take)})
				remaining[variant] -= take
		if items:
			groups.append({"fulfillment_order_id": fo.get("id"), "fulfillment_order_line_items": items})
	left = {variant: qty for variant, qty in remaining.items() if qty > 0}
	if not groups or left:
		raise WebhookRefused(
			"Shopify has no open fulfilment for {0}",
			", ".join(f"variant {v} x {q}" for v, q in left.items()) or "this order",
			field="fulfillment_orders",
		)
	return PlatformRequest(
		"POST",
		admin_path("fulfillments.json"),
		{
			"fulfillment": {
				"line_items_by_fulfillment_order": groups,
				"tracking_info": drop_empty(tracking),
				"notify_customer": True,
			}
		},
	)


def tracking_update_request(fulfillment_id: str, tracking: dict) -> PlatformRequest:
	return PlatformRequest(
		"POST",
		admin_path(f"fulfillments/{fulfillment_id}/update_tracking.json"),
		{"fulfillment": {"tracking_info": drop_empty(tracking), "notify_customer": True}},
	)
