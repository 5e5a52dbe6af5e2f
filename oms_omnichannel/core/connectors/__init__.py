"""Shop platform connectors, the pure part: a platform's webhook payload turned into our intake
payload (the same one the REST API takes), its cancellations and refunds into our actions, its
signature checked, and what we send back (stock, fulfilments) shaped as its API wants it.

One module per platform (`shopify`, `woocommerce`), each with the same functions:
`event_kind(topic, payload)`, `map_order(payload)`, `map_cancellation(payload)`,
`map_refund(payload)`, `stock_requests(...)` and `fulfilment_requests(...)`. No frappe here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from oms_omnichannel.core.errors import ValidationFailed

GENERIC, SHOPIFY, WOOCOMMERCE = "Generic API", "Shopify", "WooCommerce"
PLATFORMS = (GENERIC, SHOPIFY, WOOCOMMERCE)

# What a webhook asks of us
ORDER, CANCELLATION, REFUND, IGNORED = "Order", "Cancellation", "Refund", "Ignored"

CENT = Decimal("0.01")
MAX_NOTES = 2000


class WebhookRefused(ValidationFailed):
	"""The payload cannot be read as the platform documents it; `field` names the part at fault."""

	title = "Invalid Webhook"


@dataclass(frozen=True)
class Cancellation:
	channel_order_id: str
	reason: str


@dataclass(frozen=True)
class RefundLine:
	sku: str
	variant_id: str
	qty: Decimal
	restock: bool  # the goods come back (Shopify restock_type "return"); False: money only


@dataclass(frozen=True)
class Refund:
	channel_order_id: str
	refund_id: str  # the platform's refund id: a refund becomes at most one Return Request
	lines: tuple[RefundLine, ...]
	note: str = ""
	whole_order: bool = False  # no line detail (WooCommerce): every shipped, unreturned unit


@dataclass(frozen=True)
class PlatformRequest:
	"""One call to a platform's API: method, path below the base URL, JSON body."""

	method: str
	path: str
	body: dict | list | None = None
	items: tuple[str, ...] = field(default=())  # the OMS items (or shipment) it concerns


def signature(raw_body: bytes, secret: str) -> str:
	"""Base64 HMAC-SHA256 of the raw body: how Shopify and WooCommerce sign their webhooks."""
	digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
	return base64.b64encode(digest).decode()


def signature_valid(raw_body: bytes, sent: str | None, secret: str | None) -> bool:
	"""Whether `sent` is the body's signature with `secret`: a missing signature or secret never
	passes, and the comparison takes the same time whatever the mismatch."""
	if not sent or not secret:
		return False
	return hmac.compare_digest(signature(raw_body, secret).encode(), sent.strip().encode())


def money(value, where: str) -> Decimal:
	"""A platform amount ("24.90", 24.9 or null) as Decimal; refuses text that is no number."""
	if value in (None, ""):
		return Decimal(0)
	if isinstance(value, bool) or not isinstance(value, str | int | float):
		raise WebhookRefused("{0}: must be an amount", where, field=where)
	try:
		number = Decimal(str(value))
	except InvalidOperation:
		raise WebhookRefused("{0}: {1} is not an amount", where, str(value)[:20], field=where) from None
	if not number.is_finite():
		raise WebhookRefused("{0}: must be a finite amount", where, field=where)
	return number


def quantity(value, where: str) -> Decimal:
	number = money(value, where)
	if number <= 0:
		raise WebhookRefused("{0}: must be greater than 0", where, field=where)
	return number


def as_float(amount: Decimal) -> float:
	"""An amount for the intake payload (JSON numbers), exact to the cent."""
	return float(amount.quantize(CENT))


def unit_price(total: Decimal, qty: Decimal) -> Decimal:
	"""A unit price to the cent whose qty x price is not below `total` (the difference becomes
	discount), so line amounts stay exact to the cent."""
	return (total / qty).quantize(CENT, rounding=ROUND_CEILING) if qty else Decimal(0)


def text(value) -> str:
	return "" if value is None else str(value).strip()


def obj(payload: dict, key: str) -> dict:
	value = payload.get(key)
	if value is None:
		return {}
	if not isinstance(value, dict):
		raise WebhookRefused("{0}: must be an object", key, field=key)
	return value


def rows(payload: dict, key: str) -> list[dict]:
	value = payload.get(key)
	if value is None:
		return []
	if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
		raise WebhookRefused("{0}: must be a list of objects", key, field=key)
	return value


def order_id(payload) -> str:
	if not isinstance(payload, dict):
		raise WebhookRefused("body: must be a JSON object", field="body")
	value = payload.get("id")
	if isinstance(value, bool) or not isinstance(value, int | str) or not text(value):
		raise WebhookRefused("id: the platform's order id is required", field="id")
	return text(value)


def join_notes(*parts: str) -> str:
	return "\n".join(part for part in parts if part)[:MAX_NOTES]


def person_name(*candidates: dict) -> str:
	for candidate in candidates:
		name = " ".join(text(candidate.get(k)) for k in ("first_name", "last_name")).strip()
		if name:
			return name
		if text(candidate.get("name")):
			return text(candidate.get("name"))
	return ""


def drop_empty(data: dict) -> dict:
	return {key: value for key, value in data.items() if value not in (None, "", {}, [])}
