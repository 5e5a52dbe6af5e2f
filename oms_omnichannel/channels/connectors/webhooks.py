"""A platform's webhook, received: the signature checked over the raw body before anything else,
then the event turned into what the REST API would have done: the intake call (orders), our
cancellation, or a Return Request (refunds). Every event lands in the Intake Log, with the
platform and topic as its source and the webhook's delivery id as its idempotency key.

Answers: 401 for a missing or wrong signature and 413 for a body over 2 MB, with nothing written;
400 for a body that is no JSON object; otherwise 200 with the outcome (Created, Replayed, Applied,
Ignored or Failed, the field at fault and the Intake Log). A refused order answers 200 too: the
platforms switch a webhook off after a few non-2xx answers (WooCommerce after 5, Shopify after 8
in a row), and a retry of the same payload cannot succeed anyway; the Intake Log keeps it for a
replay once fixed (a new Channel Listing, say).
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import cint, flt, now_datetime, strip_html

from oms_omnichannel.channels import intake
from oms_omnichannel.channels.connectors import ADAPTERS
from oms_omnichannel.channels.intake.errors import MAX_BODY_BYTES, refuse_too_large
from oms_omnichannel.channels.intake.logs import FAILED, REPLAYED, new_log, record_attempt
from oms_omnichannel.channels.intake.request import check_channel
from oms_omnichannel.core import connectors as core
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.core.payment import UNPAID_PAYMENT_STATUSES, PaymentStatus
from oms_omnichannel.inventory.locks import retry_on_lock_conflict
from oms_omnichannel.orders import actions, holds

APPLIED, IGNORED = "Applied", "Ignored"
# Webhooks have no Frappe user: once the signature proved the platform, intake runs as this one
# (as the REST API runs as the channel's API user). Every log names the platform as its source.
WEBHOOK_USER = "Administrator"
PAID_STATUSES = (PaymentStatus.PAID.value, PaymentStatus.AUTHORISED.value)
UNPAID_STATUSES = tuple(status.value for status in UNPAID_PAYMENT_STATUSES)


class InvalidSignature(frappe.AuthenticationError):
	http_status_code = 401


def receive(platform: str) -> dict:
	"""The webhook of the current request, for the channel named in the URL (`?channel=`)."""
	adapter = ADAPTERS[platform]
	request = frappe.request
	channel = (request.args.get("channel") or "").strip()
	if (request.content_length or 0) > MAX_BODY_BYTES:
		refuse_too_large()
	raw = request.get_data(cache=True)
	if len(raw) > MAX_BODY_BYTES:
		refuse_too_large()
	topic = (frappe.get_request_header(adapter.TOPIC_HEADER) or "").strip()
	if platform == core.WOOCOMMERCE and not topic and raw.startswith(b"webhook_id="):
		return {"ping": True}  # WooCommerce checks a new webhook's URL with an unsigned ping
	verify(platform, adapter, channel, raw)
	delivery = (frappe.get_request_header(adapter.WEBHOOK_ID_HEADER) or "").strip()[:80]
	try:
		payload = json.loads(raw)
	except ValueError as error:
		frappe.throw(
			_("body: not valid JSON ({0})").format(error), intake.IntakeRefused, title=_("Invalid JSON")
		)
	if not isinstance(payload, dict):
		frappe.throw(_("body: must be a JSON object"), intake.IntakeRefused, title=_("Invalid JSON"))
	frappe.set_user(WEBHOOK_USER)
	check_channel(channel)
	kind = adapter.event_kind(topic, payload)
	source = f"{platform} {topic}"
	key = f"{platform.lower()}:{delivery}" if delivery else None
	if kind == core.IGNORED:
		return {"outcome": IGNORED, "topic": topic}
	return retry_on_lock_conflict(apply_event)(channel, platform, kind, payload, source=source, key=key)


def verify(platform: str, adapter, channel: str, raw: bytes) -> None:
	"""The body's signature with the channel's secret, or 401. One answer whatever failed (no such
	channel, another platform, no secret, wrong signature), so it tells a forger nothing."""
	secret = None
	if channel and frappe.db.get_value("Sales Channel", channel, "platform") == platform:
		doc = frappe.get_cached_doc("Sales Channel", channel)
		secret = doc.get_password("shared_secret", raise_exception=False)
	if not core.signature_valid(raw, frappe.get_request_header(adapter.SIGNATURE_HEADER), secret):
		frappe.logger("oms_omnichannel.webhooks").warning(
			{"refused": "signature", "platform": platform, "channel": channel[:140], "bytes": len(raw)}
		)
		frappe.throw(
			_("{0}: missing or not the signature of this body with the channel's webhook secret").format(
				adapter.SIGNATURE_HEADER
			),
			InvalidSignature,
			title=_("Invalid Signature"),
		)


def apply_event(
	channel: str, platform: str, kind: str, payload: dict, *, source=None, key=None, log_name=None
):
	"""One platform event; also what a replay of its Intake Log runs."""
	adapter = ADAPTERS[platform]
	log_name = log_name or (earlier_failure(channel, key) if key else None)
	if kind == core.ORDER:
		return take_order(channel, adapter, payload, source, key, log_name)
	handler = cancel if kind == core.CANCELLATION else make_return
	outcome = {"event": kind}
	frappe.db.savepoint("oms_webhook_event")
	try:
		outcome.update(handler(channel, adapter, payload))
	except (DomainError, frappe.ValidationError) as error:
		frappe.db.rollback(save_point="oms_webhook_event")
		frappe.clear_messages()
		outcome.update(
			outcome=FAILED,
			error=error.message if isinstance(error, DomainError) else strip_html(str(error)),
			error_field=getattr(error, "field", None),
		)
	fields = {
		"channel_order_id": outcome.get("channel_order_id"),
		"outcome": outcome["outcome"],
		"order": outcome.get("order"),
		"return_request": outcome.get("return_request"),
		"error": outcome.get("error"),
		"error_field": outcome.get("error_field"),
	}
	outcome["intake_log"] = write_log(channel, payload, kind, source, key, log_name, fields)
	return outcome


def earlier_failure(channel: str, key: str) -> str | None:
	"""The Failed log of an earlier delivery of this webhook: a platform's retry is another attempt
	of it, not a new log."""
	return frappe.db.get_value(
		"Intake Log", {"sales_channel": channel, "idempotency_key": key, "outcome": FAILED}, "name"
	)


def write_log(channel, payload, kind, source, key, log_name, fields) -> str:
	if log_name:
		record_attempt(log_name, fields)
		return log_name
	log = new_log(channel, payload, 0, None, key, **fields)
	log.update({"source": source, "event": kind, "platform_payload": 1})
	# ignore-permissions: the platform, a guest whose signature was verified, has no user; the log is the app's record of what it sent
	log.insert(ignore_permissions=True)
	return log.name


# ------------------------------------------------------------------ orders


def take_order(channel: str, adapter, payload: dict, source, key, log_name) -> dict:
	"""The order through the REST API's intake (`process_orders`): idempotent by the platform's
	order id, reserved, logged; a payload that cannot be mapped is logged as the platform sent it."""
	try:
		mapped = adapter.map_order(payload)
	except DomainError as error:
		fields = {
			"channel_order_id": str(payload.get("id") or "")[:140] or None,
			"outcome": FAILED,
			"error": error.message,
			"error_field": error.field,
		}
		name = write_log(channel, payload, core.ORDER, source, key, log_name, fields)
		return {
			"outcome": FAILED,
			"errors": [{"field": error.field, "message": error.message}],
			"intake_log": name,
		}
	resolve_listings(channel, mapped)
	if log_name and cint(frappe.db.get_value("Intake Log", log_name, "platform_payload")):
		# a replayed log of an unmappable payload: from now on it holds the mapped one
		frappe.db.set_value(
			"Intake Log",
			log_name,
			{"platform_payload": 0, "payload": json.dumps(mapped, indent=1, ensure_ascii=False)},
		)
	result = intake.process_orders(
		channel, [mapped], idempotency_key=key, log_names=[log_name] if log_name else None
	)[0]
	if source and not log_name:
		frappe.db.set_value("Intake Log", result["intake_log"], "source", source, update_modified=False)
	if result.get("outcome") == REPLAYED and record_payment(result["order"], mapped, source):
		result["payment_status"] = mapped["payment_status"]
	return result


def record_payment(order_name: str, mapped: dict, source: str | None) -> bool:
	"""An order the platform took unpaid and reports paid (or authorised) now: its payment status
	and amount, reservations that no longer expire, and the unpaid hold released. The only change
	an order update applies besides a cancellation."""
	if mapped.get("payment_status") not in PAID_STATUSES:
		return False
	order = frappe.get_doc("OMS Order", order_name, for_update=True)
	if order.docstatus != 1 or order.payment_status not in UNPAID_STATUSES:
		return False
	order.payment_status = mapped["payment_status"]
	order.paid_amount = flt(mapped.get("paid_amount")) or order.paid_amount
	order.add_comment("Info", _("{0}: payment {1}").format(source or _("Platform"), order.payment_status))
	order.save_after_submit()
	Reservation = frappe.qb.DocType("OMS Stock Reservation")
	(
		frappe.qb.update(Reservation)
		.set(Reservation.expires_at, None)
		.where((Reservation.voucher_type == "OMS Order") & (Reservation.voucher_no == order.name))
		.run()
	)
	holds.apply_automatic_holds(order)
	return True


def resolve_listings(channel: str, mapped: dict) -> None:
	"""A line whose SKU is not listed but whose variant id is (as Channel SKU or Platform Variant
	ID) takes that listing's Channel SKU; otherwise intake refuses the SKU, naming the line."""
	lines = [line for line in mapped.get("lines") or [] if line.get("platform_variant_id")]
	if not lines:
		return
	listed = set(
		frappe.get_all(
			"Channel Listing",
			filters={
				"sales_channel": channel,
				"is_active": 1,
				"channel_sku": ("in", [l["channel_sku"] for l in lines]),
			},
			pluck="channel_sku",
		)
	)
	variants = {l["platform_variant_id"] for l in lines if l["channel_sku"] not in listed}
	if not variants:
		return
	by_variant = {}
	for row in frappe.get_all(
		"Channel Listing",
		filters={"sales_channel": channel, "is_active": 1},
		or_filters={"platform_variant_id": ("in", list(variants)), "channel_sku": ("in", list(variants))},
		fields=["channel_sku", "platform_variant_id"],
	):
		by_variant.setdefault(row.platform_variant_id or row.channel_sku, row.channel_sku)
	for line in lines:
		if line["channel_sku"] not in listed and line["platform_variant_id"] in by_variant:
			line["channel_sku"] = by_variant[line["platform_variant_id"]]


# ------------------------------------------------------------------ cancellations and refunds


def find_order(channel: str, channel_order_id: str) -> str:
	name = frappe.db.get_value(
		"OMS Order", {"sales_channel": channel, "channel_order_id": channel_order_id, "docstatus": ("!=", 2)}
	) or frappe.db.get_value("OMS Order", {"sales_channel": channel, "channel_order_id": channel_order_id})
	if not name:
		raise core.WebhookRefused(
			"id: order {0} of this channel is not known here (its order webhook failed or never came)",
			channel_order_id,
			field="id",
		)
	return name


def cancel(channel: str, adapter, payload: dict) -> dict:
	"""The platform cancelled the order: our cancellation releases its reservations."""
	cancellation = adapter.map_cancellation(payload)
	name = find_order(channel, cancellation.channel_order_id)
	order = frappe.get_doc("OMS Order", name, for_update=True)
	result = {"channel_order_id": cancellation.channel_order_id, "order": name}
	if order.status == "Cancelled":
		return {**result, "outcome": REPLAYED, "replay": True, "status": order.status}
	actions.cancel_order(order, cancellation.reason)
	return {**result, "outcome": APPLIED, "status": "Cancelled"}


def make_return(channel: str, adapter, payload: dict) -> dict:
	"""The platform refunded goods that come back: a submitted Return Request, once per refund."""
	refund = adapter.map_refund(payload)
	name = find_order(channel, refund.channel_order_id)
	result = {"channel_order_id": refund.channel_order_id, "order": name}
	existing = frappe.db.get_value(
		"Return Request", {"sales_channel": channel, "channel_return_id": refund.refund_id, "docstatus": 1}
	)
	if existing:
		return {**result, "outcome": REPLAYED, "replay": True, "return_request": existing}
	order = frappe.get_doc("OMS Order", name)
	lines = return_lines(channel, order, refund)
	if not lines and refund.whole_order and not any(flt(row.shipped_qty) for row in order.items):
		# the whole order refunded before anything shipped: nothing comes back, nothing is to ship
		if order.status == "Cancelled":
			return {**result, "outcome": REPLAYED, "replay": True, "status": order.status}
		actions.cancel_order(order, _("Refunded on the platform before shipping"))
		return {**result, "outcome": APPLIED, "status": "Cancelled"}
	if not lines:
		return {
			**result,
			"outcome": IGNORED,
			"error": _("No goods come back with this refund (money only, or nothing shipped yet)"),
		}
	doc = frappe.get_doc(
		{
			"doctype": "Return Request",
			"order": name,
			"customer": order.customer,
			"sales_channel": channel,
			"channel_return_id": refund.refund_id,
			"return_location": lines[0].pop("location"),
			"received_at": now_datetime(),
			"reason": "Other",
			"notes": _("Refund {0} on {1}: {2}").format(
				refund.refund_id, order.sales_channel, refund.note or "-"
			),
			"items": [{k: v for k, v in line.items() if k != "location"} for line in lines],
		}
	)
	# ignore-permissions: a refund the platform reported (signature verified) is the channel's own return
	doc.insert(ignore_permissions=True)
	doc.submit()
	return {**result, "outcome": "Created", "return_request": doc.name}


def return_lines(channel: str, order, refund: core.Refund) -> list[dict]:
	"""Order lines the refund brings back, each at most what was shipped and not yet returned."""
	open_qty = {row.name: flt(row.shipped_qty) - flt(row.returned_qty) for row in order.items}
	if refund.whole_order:
		wanted = [(row, open_qty[row.name]) for row in order.items]
	else:
		wanted = []
		for index, line in enumerate(refund.lines):
			if not line.restock:
				continue
			row = matching_line(channel, order, line)
			if not row:
				raise core.WebhookRefused(
					"refund_line_items[{0}]: no line of order {1} has SKU {2} or variant {3}",
					index, order.name, line.sku or "-", line.variant_id or "-",
					field=f"refund_line_items[{index}]",
				)  # fmt: skip
			if flt(line.qty) > open_qty[row.name] + 1e-9:
				raise core.WebhookRefused(
					"refund_line_items[{0}].quantity: {1} to return, but {2} of line {3} shipped and not returned",
					index, line.qty, open_qty[row.name], row.idx,
					field=f"refund_line_items[{index}].quantity",
				)  # fmt: skip
			wanted.append((row, flt(line.qty)))
	return [
		{
			"order_item": row.name,
			"item": row.item,
			"qty": qty,
			"condition": "Resellable",
			"location": shipped_from(row.name),
		}
		for row, qty in wanted
		if qty > 0
	]


def matching_line(channel: str, order, line: core.RefundLine):
	candidates = {value for value in (line.sku, line.variant_id) if value}
	if line.variant_id:
		candidates |= set(
			frappe.get_all(
				"Channel Listing",
				filters={"sales_channel": channel, "platform_variant_id": line.variant_id},
				pluck="channel_sku",
			)
		)
	return next((row for row in order.items if row.channel_sku in candidates), None)


def shipped_from(order_item: str) -> str:
	rows = frappe.db.sql(
		"""SELECT s.source_location FROM `tabOMS Shipment Item` i
		JOIN `tabOMS Shipment` s ON s.name = i.parent
		WHERE i.order_item = %s AND s.docstatus = 1 ORDER BY s.creation DESC LIMIT 1""",
		order_item,
	)
	return rows[0][0] if rows else None


# ------------------------------------------------------------------ replay


def replay(log) -> dict:
	"""A connector's Intake Log run again: the platform's payload mapped and applied anew."""
	from oms_omnichannel.channels.connectors import platform_of

	platform = platform_of(log.sales_channel)
	if platform not in ADAPTERS:
		frappe.throw(
			_("Sales Channel {0} is no longer a {1} channel").format(log.sales_channel, log.source),
			title=_("Cannot Replay"),
		)
	payload = json.loads(log.payload or "null")
	return apply_event(log.sales_channel, platform, log.event or core.ORDER, payload, log_name=log.name)
