"""The order intake payload: parsed and checked field by field before anything is written.

Channels send JSON; a bad order is refused with the path of the field at fault
("orders[3].lines[1].qty: must be a number greater than 0"), and one bad order never sinks
the rest of a batch. Parsing is pure so it can be fuzzed without a site.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.payment import INTAKE_PAYMENT_STATUSES, PaymentStatus

MAX_LINES = 500
MAX_TEXT = 140


class IntakeError(ValidationFailed):
	"""A payload field is wrong; `field` is its path in the request."""

	title = "Invalid Order"


@dataclass(frozen=True)
class Address:
	name: str = ""
	line1: str = ""
	line2: str = ""
	city: str = ""
	postcode: str = ""
	region: str = ""
	country: str = ""
	phone: str = ""
	latitude: float | None = None
	longitude: float | None = None


@dataclass(frozen=True)
class Customer:
	name: str = ""
	email: str | None = None
	phone: str | None = None
	channel_customer_id: str = ""


@dataclass(frozen=True)
class Line:
	sku: str = ""  # the OMS SKU
	channel_sku: str = ""  # or the channel's own id, mapped through Channel Listing
	qty: Decimal = Decimal(0)
	price: Decimal = Decimal(0)
	discount: Decimal = Decimal(0)
	tax: Decimal = Decimal(0)


@dataclass(frozen=True)
class IntakeOrder:
	channel_order_id: str
	lines: tuple[Line, ...]
	customer: Customer = field(default_factory=Customer)
	shipping: Address = field(default_factory=Address)
	billing: Address | None = None
	ordered_at: datetime | None = None
	currency: str = ""
	shipping_fee: Decimal = Decimal(0)
	payment_status: str = PaymentStatus.UNPAID.value
	paid_amount: Decimal | None = None
	delivery_method: str = ""
	pickup_store: str = ""
	notes: str = ""


def _text(data: dict, key: str, path: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
	value = data.get(key)
	if value is None or value == "":
		if required:
			raise IntakeError("{0}: is required", f"{path}{key}", field=f"{path}{key}")
		return ""
	if isinstance(value, bool) or not isinstance(value, str | int):
		raise IntakeError("{0}: must be text", f"{path}{key}", field=f"{path}{key}")
	value = str(value).strip()
	if len(value) > limit:
		raise IntakeError("{0}: is longer than {1} characters", f"{path}{key}", limit, field=f"{path}{key}")
	if required and not value:
		raise IntakeError("{0}: is required", f"{path}{key}", field=f"{path}{key}")
	return value


def _number(
	data: dict, key: str, path: str, *, default=None, positive=False, required=False
) -> Decimal | None:
	value = data.get(key, default)
	where = f"{path}{key}"
	if value is None:
		if required:
			raise IntakeError("{0}: is required", where, field=where)
		return None
	if isinstance(value, bool) or not isinstance(value, int | float | str):
		raise IntakeError("{0}: must be a number", where, field=where)
	if isinstance(value, str):
		raise IntakeError("{0}: must be a number, not text ({1})", where, value[:20], field=where)
	if isinstance(value, float) and not math.isfinite(value):
		raise IntakeError("{0}: must be a finite number", where, field=where)
	try:
		number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
	except InvalidOperation:
		raise IntakeError("{0}: must be a number", where, field=where) from None
	if positive and number <= 0:
		raise IntakeError("{0}: must be greater than 0", where, field=where)
	if number < 0:
		raise IntakeError("{0}: cannot be negative", where, field=where)
	if number > Decimal("1e12"):
		raise IntakeError("{0}: is too large", where, field=where)
	return number


def _object(data: dict, key: str, path: str) -> dict:
	value = data.get(key)
	if value is None:
		return {}
	if not isinstance(value, dict):
		raise IntakeError("{0}: must be an object", f"{path}{key}", field=f"{path}{key}")
	return value


def _coordinate(data: dict, key: str, path: str, bound: float) -> float | None:
	value = _number_signed(data, key, path)
	if value is not None and not -bound <= value <= bound:
		raise IntakeError(
			"{0}: {1} is out of range (-{2} to {2})", f"{path}{key}", value, bound, field=f"{path}{key}"
		)
	return value


def _number_signed(data: dict, key: str, path: str) -> float | None:
	value = data.get(key)
	if value is None:
		return None
	if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
		raise IntakeError("{0}: must be a number", f"{path}{key}", field=f"{path}{key}")
	return float(value)


def parse_address(data: dict, path: str) -> Address:
	latitude = _coordinate(data, "latitude", path, 90)
	longitude = _coordinate(data, "longitude", path, 180)
	if (latitude is None) != (longitude is None):
		missing = "longitude" if longitude is None else "latitude"
		raise IntakeError(
			"{0}{1}: latitude and longitude must be given together", path, missing, field=f"{path}{missing}"
		)
	return Address(
		name=_text(data, "name", path),
		line1=_text(data, "line1", path),
		line2=_text(data, "line2", path),
		city=_text(data, "city", path),
		postcode=_text(data, "postcode", path, limit=20),
		region=_text(data, "region", path),
		country=_text(data, "country", path),
		phone=_text(data, "phone", path, limit=40),
		latitude=latitude,
		longitude=longitude,
	)


def parse_customer(data: dict, path: str) -> Customer:
	"""Email and phone as given: intake reads them in the channel's region, and an invalid one is
	kept on the profile, flagged, rather than refusing the order."""
	return Customer(
		name=_text(data, "name", path),
		email=_text(data, "email", path) or None,
		phone=_text(data, "phone", path, limit=40) or None,
		channel_customer_id=_text(data, "channel_customer_id", path),
	)


def parse_line(data, path: str) -> Line:
	if not isinstance(data, dict):
		raise IntakeError("{0}: must be an object", path.rstrip("."), field=path.rstrip("."))
	sku, channel_sku = _text(data, "sku", path), _text(data, "channel_sku", path)
	if not sku and not channel_sku:
		raise IntakeError("{0}sku: give sku or channel_sku", path, field=f"{path}sku")
	return Line(
		sku=sku,
		channel_sku=channel_sku,
		qty=_number(data, "qty", path, positive=True, required=True),
		price=_number(data, "price", path, default=0),
		discount=_number(data, "discount", path, default=0),
		tax=_number(data, "tax", path, default=0),
	)


def parse_datetime(value, path: str) -> datetime | None:
	if value in (None, ""):
		return None
	if not isinstance(value, str):
		raise IntakeError("{0}: must be an ISO 8601 date-time", path, field=path)
	try:
		parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
	except ValueError:
		raise IntakeError("{0}: {1} is not an ISO 8601 date-time", path, value[:40], field=path) from None
	return parsed


def parse_order(data, path: str = "") -> IntakeOrder:
	"""One order of the payload, or IntakeError naming the field (path prefix like "orders[2].")."""
	if not isinstance(data, dict):
		raise IntakeError(
			"{0}: each order must be an object", path.rstrip(".") or "order", field=path.rstrip(".")
		)
	lines = data.get("lines")
	if not isinstance(lines, list) or not lines:
		raise IntakeError("{0}lines: at least one line is required", path, field=f"{path}lines")
	if len(lines) > MAX_LINES:
		raise IntakeError("{0}lines: at most {1} lines per order", path, MAX_LINES, field=f"{path}lines")
	payment_status = _text(data, "payment_status", path) or PaymentStatus.UNPAID.value
	if payment_status not in INTAKE_PAYMENT_STATUSES:
		raise IntakeError(
			"{0}payment_status: {1} is not one of {2}", path, payment_status, ", ".join(INTAKE_PAYMENT_STATUSES),
			field=f"{path}payment_status",
		)  # fmt: skip
	billing = _object(data, "billing_address", path)
	return IntakeOrder(
		channel_order_id=_text(data, "channel_order_id", path, required=True),
		lines=tuple(parse_line(line, f"{path}lines[{index}].") for index, line in enumerate(lines)),
		customer=parse_customer(_object(data, "customer", path), f"{path}customer."),
		shipping=parse_address(_object(data, "shipping_address", path), f"{path}shipping_address."),
		billing=parse_address(billing, f"{path}billing_address.") if billing else None,
		ordered_at=parse_datetime(data.get("ordered_at"), f"{path}ordered_at"),
		currency=_text(data, "currency", path, limit=3),
		shipping_fee=_number(data, "shipping_fee", path, default=0),
		payment_status=payment_status,
		paid_amount=_number(data, "paid_amount", path),
		delivery_method=_text(data, "delivery_method", path),
		pickup_store=_text(data, "pickup_store", path),
		notes=_text(data, "notes", path, limit=2000),
	)


def split_payload(payload, batch_limit: int) -> tuple[str, list]:
	"""(channel, raw orders) from a request body: {"channel", "orders": [...]} or {"channel", "order": {...}}."""
	if not isinstance(payload, dict):
		raise IntakeError("body: must be a JSON object", field="body")
	channel = _text(payload, "channel", "", required=True)
	if "orders" in payload:
		orders = payload["orders"]
		if not isinstance(orders, list) or not orders:
			raise IntakeError("orders: must be a non-empty list", field="orders")
	elif "order" in payload:
		orders = [payload["order"]]
	else:
		raise IntakeError("orders: give orders (a list) or order (one object)", field="orders")
	if len(orders) > batch_limit:
		raise IntakeError(
			"orders: at most {0} orders per request, got {1}", batch_limit, len(orders), field="orders"
		)
	return channel, orders
