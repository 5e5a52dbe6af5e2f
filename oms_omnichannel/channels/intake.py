"""Order intake from channels: validate, map SKUs, find the customer, create and submit the
order — once per channel order id, however often or concurrently it is sent.

Every order sent gets an Intake Log with its payload and outcome; failed ones can be replayed.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import convert_utc_to_system_timezone, cstr, flt, now_datetime

from oms_omnichannel.core import intake as intake_core
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.utils import get_settings

CREATED, REPLAYED, FAILED, QUEUED = "Created", "Replayed", "Failed", "Queued"


class IntakeRefused(frappe.ValidationError):
	"""The whole request is refused (bad body, batch too large...): 400 with the field."""

	http_status_code = 400


class OrderRefused(Exception):
	"""One order of a request is refused; the others go on."""

	def __init__(self, message: str, field: str | None = None):
		super().__init__(message)
		self.message, self.field = message, field


# ---------------------------------------------------------------- request level


def check_channel(channel: str) -> None:
	if not frappe.db.exists("Sales Channel", channel):
		frappe.throw(_("Sales Channel {0} does not exist").format(channel), frappe.DoesNotExistError)
	frappe.has_permission("Sales Channel", "read", doc=channel, throw=True)
	frappe.has_permission("OMS Order", "create", throw=True)
	if not frappe.get_cached_value("Sales Channel", channel, "is_active"):
		frappe.throw(_("Sales Channel {0} is not active").format(channel), IntakeRefused)


def split(payload) -> tuple[str, list]:
	try:
		return intake_core.split_payload(payload, int(get_settings().intake_batch_limit or 500))
	except DomainError as error:
		frappe.throw(error.message, IntakeRefused, title=_("Invalid Request"))


def ingest(payload, idempotency_key: str | None = None) -> dict:
	"""Process a request body synchronously, or queue it when it is a large batch."""
	channel, raw_orders = split(payload)
	check_channel(channel)
	threshold = int(get_settings().intake_async_threshold or 0)
	if threshold and len(raw_orders) > threshold:
		return queue_batch(channel, raw_orders, idempotency_key)
	results = [
		process_one(channel, raw, position=index, idempotency_key=idempotency_key)
		for index, raw in enumerate(raw_orders)
	]
	return {"channel": channel, "results": results, "summary": summarise(results)}


def summarise(results: list[dict]) -> dict:
	summary = {"created": 0, "replayed": 0, "failed": 0, "queued": 0}
	for result in results:
		summary[result["outcome"].lower()] += 1
	return summary


# ---------------------------------------------------------------- one order


def process_one(
	channel: str, raw, *, position: int = 0, batch_id: str | None = None, idempotency_key=None, log_name=None
) -> dict:
	"""Create (or find) the order of one payload; never raises for a bad order."""
	path = f"orders[{position}]."
	channel_order_id = cstr(raw.get("channel_order_id")).strip()[:140] if isinstance(raw, dict) else ""
	frappe.db.savepoint("oms_intake_order")
	try:
		parsed = intake_core.parse_order(raw, path)
		existing = find_existing(channel, parsed.channel_order_id)
		if existing:
			outcome, order = REPLAYED, existing
		else:
			order = create_order(channel, parsed, path)
			outcome = CREATED
	except (frappe.UniqueValidationError, frappe.DuplicateEntryError):
		# Another request created this channel order first (the unique index decided): a replay.
		frappe.db.rollback(save_point="oms_intake_order")
		order = find_existing(channel, channel_order_id, lock=True)
		if not order:
			raise
		outcome = REPLAYED
	except (DomainError, OrderRefused, frappe.ValidationError) as error:
		frappe.db.rollback(save_point="oms_intake_order")
		frappe.clear_messages()
		message = error.message if isinstance(error, DomainError | OrderRefused) else _strip(str(error))
		field = getattr(error, "field", None)
		log = write_log(channel, channel_order_id, raw, FAILED, batch_id, position, idempotency_key, log_name,
			error=message, error_field=field)  # fmt: skip
		return {
			"channel_order_id": channel_order_id or None,
			"outcome": FAILED,
			"errors": [{"field": field, "message": message}],
			"intake_log": log,
		}
	log = write_log(
		channel, channel_order_id, raw, outcome, batch_id, position, idempotency_key, log_name, order=order
	)
	status = frappe.db.get_value("OMS Order", order, "status", for_update=outcome == REPLAYED)
	return {
		"channel_order_id": channel_order_id,
		"outcome": outcome,
		"replay": outcome == REPLAYED,
		"order": order,
		"status": status,
		"intake_log": log,
	}


def _strip(message: str) -> str:
	from frappe.utils import strip_html

	return strip_html(message)


def find_existing(channel: str, channel_order_id: str, lock: bool = False) -> str | None:
	if not channel_order_id:
		return None
	# A locking read sees rows committed by other transactions after this one began.
	return frappe.db.get_value(
		"OMS Order", {"sales_channel": channel, "channel_order_id": channel_order_id}, "name", for_update=lock
	)


def create_order(channel: str, parsed: intake_core.IntakeOrder, path: str) -> str:
	channel_doc = frappe.get_cached_doc("Sales Channel", channel)
	if parsed.currency and parsed.currency != channel_doc.currency:
		raise OrderRefused(
			_("{0}currency: {1} differs from the channel's currency {2}").format(
				path, parsed.currency, channel_doc.currency
			),
			f"{path}currency",
		)
	order = frappe.new_doc("OMS Order")
	order.sales_channel = channel
	order.channel_order_id = parsed.channel_order_id
	order.order_datetime = to_system_time(parsed.ordered_at) if parsed.ordered_at else now_datetime()
	order.currency = channel_doc.currency
	order.customer = find_or_create_customer(channel, parsed)
	order.payment_status = parsed.payment_status
	order.paid_amount = flt(parsed.paid_amount) if parsed.paid_amount is not None else 0
	order.shipping_fee = flt(parsed.shipping_fee)
	order.notes = parsed.notes
	set_address(order, parsed)
	set_delivery(order, parsed, path)
	for index, line in enumerate(parsed.lines):
		order.append(
			"items",
			{
				"item": map_item(channel, line, f"{path}lines[{index}]."),
				"channel_sku": line.channel_sku or None,
				"qty": flt(line.qty),
				"rate": flt(line.price),
				"discount_amount": flt(line.discount),
				"tax_amount": flt(line.tax),
			},
		)
	order.flags.ignore_permissions = True
	order.insert()
	order.submit()
	return order.name


def to_system_time(moment):
	if moment.tzinfo is None:
		return moment
	from datetime import timezone

	return convert_utc_to_system_timezone(moment.astimezone(timezone.utc).replace(tzinfo=None)).replace(
		tzinfo=None
	)


def set_address(order, parsed: intake_core.IntakeOrder) -> None:
	shipping = parsed.shipping
	order.shipping_name = shipping.name or parsed.customer.name
	order.shipping_address_line1 = shipping.line1
	order.shipping_address_line2 = shipping.line2
	order.shipping_city = shipping.city
	order.shipping_postcode = shipping.postcode
	order.shipping_region = shipping.region
	order.shipping_country = country(shipping.country)
	order.shipping_phone = shipping.phone or parsed.customer.phone
	order.shipping_latitude = shipping.latitude
	order.shipping_longitude = shipping.longitude
	if parsed.billing:
		order.billing_same_as_shipping = 0
		order.billing_address_line1 = parsed.billing.line1
		order.billing_city = parsed.billing.city
		order.billing_postcode = parsed.billing.postcode
		order.billing_country = country(parsed.billing.country)


def country(name: str) -> str | None:
	if not name:
		return None
	found = frappe.db.get_value("Country", {"name": name}) or frappe.db.get_value(
		"Country", {"code": name.lower()}
	)
	return found


def set_delivery(order, parsed: intake_core.IntakeOrder, path: str) -> None:
	method = parsed.delivery_method or get_settings().default_delivery_method
	if method:
		if not frappe.db.exists("Delivery Method", method):
			raise OrderRefused(
				_("{0}delivery_method: {1} is not a delivery method").format(path, method),
				f"{path}delivery_method",
			)
		order.delivery_method = method
		order.delivery_type = frappe.get_cached_value("Delivery Method", method, "delivery_type")
	if parsed.pickup_store:
		if not frappe.db.get_value("Stock Location", {"name": parsed.pickup_store, "can_pickup": 1}):
			raise OrderRefused(
				_("{0}pickup_store: {1} is not a store that offers pickup").format(path, parsed.pickup_store),
				f"{path}pickup_store",
			)
		order.pickup_location = parsed.pickup_store


def map_item(channel: str, line: intake_core.Line, path: str) -> str:
	"""The OMS Item of a line: its channel SKU through Channel Listing, or the OMS SKU itself."""
	if line.channel_sku:
		item = frappe.db.get_value(
			"Channel Listing",
			{"sales_channel": channel, "channel_sku": line.channel_sku, "is_active": 1},
			"item",
		)
		if not item:
			raise OrderRefused(
				_("{0}channel_sku: {1} is not listed on {2}").format(path, line.channel_sku, channel),
				f"{path}channel_sku",
			)
		return item
	item = frappe.db.get_value("OMS Item", {"name": line.sku, "disabled": 0})
	if not item:
		raise OrderRefused(_("{0}sku: unknown or disabled SKU {1}").format(path, line.sku), f"{path}sku")
	return item


def find_or_create_customer(channel: str, parsed: intake_core.IntakeOrder) -> str | None:
	"""One profile per person: by channel identity, then email, then phone; else a new profile."""
	customer = parsed.customer
	name = None
	if customer.channel_customer_id:
		name = frappe.db.get_value(
			"Customer Channel Identity",
			{
				"sales_channel": channel,
				"channel_customer_id": customer.channel_customer_id,
				"parenttype": "Customer Profile",
			},
			"parent",
		)
	if not name and customer.email:
		name = frappe.db.get_value("Customer Profile", {"email": customer.email})
	if not name and customer.phone:
		name = frappe.db.get_value("Customer Profile", {"phone": customer.phone})
	if name:
		if customer.channel_customer_id:
			add_identity(name, channel, customer.channel_customer_id)
		return name
	if not (customer.email or customer.phone or customer.name):
		return None
	frappe.db.savepoint("oms_intake_customer")
	try:
		profile = frappe.get_doc(
			{
				"doctype": "Customer Profile",
				"full_name": customer.name or customer.email or customer.phone,
				"email": customer.email,
				"phone": customer.phone,
				"address_line1": parsed.shipping.line1,
				"city": parsed.shipping.city,
				"postcode": parsed.shipping.postcode,
				"country": country(parsed.shipping.country),
				"first_channel": channel,
				"channel_identities": [
					{"sales_channel": channel, "channel_customer_id": customer.channel_customer_id}
				]
				if customer.channel_customer_id
				else [],
			}
		)
		profile.insert(ignore_permissions=True)
		return profile.name
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.db.rollback(save_point="oms_intake_customer")  # created concurrently by another order
		return frappe.db.get_value("Customer Profile", {"email": customer.email}, for_update=True)


def add_identity(profile: str, channel: str, channel_customer_id: str) -> None:
	doc = frappe.get_doc("Customer Profile", profile)
	if any(
		r.sales_channel == channel and r.channel_customer_id == channel_customer_id
		for r in doc.channel_identities
	):
		return
	doc.append("channel_identities", {"sales_channel": channel, "channel_customer_id": channel_customer_id})
	doc.save(ignore_permissions=True)


# ---------------------------------------------------------------- log, replay, batches


def write_log(
	channel, channel_order_id, raw, outcome, batch_id, position, idempotency_key, log_name=None, **values
):
	fields = {
		"sales_channel": channel,
		"channel_order_id": channel_order_id or None,
		"outcome": outcome,
		"order": values.get("order"),
		"error": values.get("error"),
		"error_field": values.get("error_field"),
	}
	if log_name:
		log = frappe.get_doc("Intake Log", log_name)
		log.update(fields)
		log.attempts = (log.attempts or 0) + 1
		log.last_replayed_at = now_datetime()
		log.save(ignore_permissions=True)
		return log.name
	log = frappe.get_doc(
		{
			"doctype": "Intake Log",
			**fields,
			"received_at": now_datetime(),
			"received_by": frappe.session.user,
			"payload": json.dumps(raw, indent=1, default=str, ensure_ascii=False)[:1_000_000],
			"batch_id": batch_id,
			"batch_position": position,
			"idempotency_key": idempotency_key,
		}
	)
	# The order may have been committed by a concurrent request after this transaction's snapshot:
	# it was found with a locking read, which the link check's plain read would not repeat.
	log.flags.ignore_links = True
	log.insert(ignore_permissions=True)
	return log.name


def replay(log_name: str) -> dict:
	"""Run a logged payload again (after a fix, e.g. a new Channel Listing); idempotent."""
	log = frappe.get_doc("Intake Log", log_name)
	raw = json.loads(log.payload or "null")
	return process_one(
		log.sales_channel, raw, position=log.batch_position or 0, batch_id=log.batch_id, log_name=log.name
	)


def queue_batch(channel: str, raw_orders: list, idempotency_key: str | None) -> dict:
	"""Log every order as Queued now; a background job processes them, committing one by one."""
	batch_id = frappe.generate_hash(length=12)
	logs = [
		write_log(
			channel,
			cstr(raw.get("channel_order_id")) if isinstance(raw, dict) else "",
			raw,
			QUEUED,
			batch_id,
			position,
			idempotency_key,
		)  # fmt: skip
		for position, raw in enumerate(raw_orders)
	]
	frappe.enqueue(
		"oms_omnichannel.channels.intake.process_batch",
		queue="long",
		timeout=3600,
		job_id=f"oms-intake-{batch_id}",
		deduplicate=True,
		enqueue_after_commit=True,
		batch_id=batch_id,
	)
	return {
		"channel": channel,
		"batch_id": batch_id,
		"queued": len(logs),
		"results": [{"intake_log": name, "outcome": QUEUED} for name in logs],
		"summary": {"created": 0, "replayed": 0, "failed": 0, "queued": len(logs)},
	}


def process_batch(batch_id: str, commit: bool = True) -> dict:
	"""Background job: every Queued log of the batch, each committed on its own, with progress.

	A worker killed mid-batch loses nothing: what was committed stays, the rest is still Queued
	(or replays as its existing order) when the batch is run again.
	"""
	logs = frappe.get_all(
		"Intake Log",
		filters={"batch_id": batch_id, "outcome": QUEUED},
		pluck="name",
		order_by="batch_position asc",
	)
	total = len(logs)
	for done, name in enumerate(logs, start=1):
		replay(name)
		if commit:
			frappe.db.commit()
		if done % 10 == 0 or done == total:
			frappe.publish_progress(
				done * 100 / total, title=_("Order intake"), description=f"{done}/{total}"
			)
	return summarise_batch(batch_id)


def summarise_batch(batch_id: str) -> dict:
	rows = frappe.get_all(
		"Intake Log",
		filters={"batch_id": batch_id},
		fields=["outcome", "count(name) as count"],
		group_by="outcome",
	)
	return {row.outcome.lower(): row.count for row in rows}
