"""Order actions over REST (also behind the buttons of the OMS Order form).

POST /api/method/oms_omnichannel.api.v1.orders.<action>
Each checks the caller's permission on the order(s) it touches before doing anything.
"""

from __future__ import annotations

import json

import frappe
import redis
from frappe import _

from oms_omnichannel.channels.intake.errors import MAX_BODY_BYTES, PayloadTooLarge, refuse_too_large
from oms_omnichannel.inventory.locks import retry_on_lock_conflict
from oms_omnichannel.orders import actions, holds
from oms_omnichannel.utils import InvalidArgument, check_arguments, encodable


def get_order(name: str, permission: str = "write"):
	if not name or not frappe.db.exists("OMS Order", name):
		frappe.throw(_("Order {0} does not exist").format(frappe.bold(name)), frappe.DoesNotExistError)
	order = frappe.get_doc("OMS Order", name)
	order.check_permission(permission)
	if order.docstatus != 1:
		frappe.throw(
			_("{0} is not submitted yet; submit it first").format(frappe.bold(name)), title=_("Not Submitted")
		)
	return order


def as_list(value, field: str) -> list:
	if isinstance(value, str):
		value = parse_json_argument(value, field) if value.strip().startswith(("[", "{")) else [value]
	if isinstance(value, dict):
		frappe.throw(_("{0}: must be a list").format(field), InvalidArgument, title=_("Invalid Parameter"))
	if isinstance(value, int):  # one Intake Log, named by its number
		return [value]
	return value or []


def parse_json_argument(value: str, field: str):
	"""A parameter sent as JSON text: what it holds, or 400 naming the parameter."""
	try:
		return json.loads(value)
	except (ValueError, RecursionError):
		frappe.throw(_("{0}: not valid JSON").format(field), InvalidArgument, title=_("Invalid Parameter"))


def summary(order) -> dict:
	order.reload()
	return {
		"name": order.name,
		"status": order.status,
		"payment_status": order.payment_status,
		"grand_total": order.grand_total,
		"active_holds": [
			{"hold_type": row.hold_type, "reason": row.reason, "set_by": row.set_by}
			for row in holds.active_holds(order)
		],
	}


@frappe.whitelist(methods=["POST"])
@check_arguments
def hold(order: str, hold_type: str = "Manual", reason: str = "") -> dict:
	if not reason.strip():  # after hold_type for callers that pass both by position: required all the same
		frappe.throw(_("reason: required, give it"), InvalidArgument, title=_("Missing Reason"))
	doc = get_order(order)
	holds.place_hold(doc, hold_type, reason.strip())
	return summary(doc)


@frappe.whitelist(methods=["POST"])
@check_arguments
def release_hold(order: str, hold_type: str | None = None, note: str = "") -> dict:
	doc = get_order(order)
	holds.release_hold(doc, hold_type or None, note)
	return summary(doc)


@frappe.whitelist(methods=["POST"])
@check_arguments
def cancel(order: str, reason: str) -> dict:
	doc = get_order(order, "cancel")
	actions.cancel_order(doc, reason)
	return summary(doc)


@frappe.whitelist(methods=["POST"])
@check_arguments
def modify(order: str, changes: dict | str) -> dict:
	# the request is checked before any record is read: a malformed one is 400 whatever it names
	changes = parse_json_argument(changes, "changes") if isinstance(changes, str) else changes
	if not isinstance(changes, dict) or not changes:
		frappe.throw(
			_("changes: must be an object with the fields to change"),
			InvalidArgument,
			title=_("Invalid Change"),
		)
	doc = get_order(order)
	actions.modify_order(doc, changes)
	return summary(doc)


@frappe.whitelist(methods=["POST"])
@check_arguments
def merge(orders: list[str] | str) -> dict:
	names = as_list(orders, "orders")
	if len(names) < 2 or not all(isinstance(name, str) for name in names):
		frappe.throw(
			_("orders: give at least two orders (their names) to merge"),
			InvalidArgument,
			title=_("Invalid Merge"),
		)
	for name in names:
		get_order(name)
	frappe.has_permission("OMS Order", "create", throw=True)
	merged = actions.merge_orders(names)
	return summary(frappe.get_doc("OMS Order", merged))


@frappe.whitelist(methods=["POST"])
@check_arguments
def split(order: str, groups: list | str | None = None, by: str | None = None) -> dict:
	doc = get_order(order)
	frappe.has_permission("OMS Order", "create", throw=True)
	groups = parse_json_argument(groups, "groups") if isinstance(groups, str) else groups
	new_orders = actions.split_order(doc, groups, by)
	return {
		"order": summary(doc),
		"new_orders": [summary(frappe.get_doc("OMS Order", n)) for n in new_orders],
	}


# ---------------------------------------------------------------- intake

IDEMPOTENCY_TTL = 24 * 60 * 60


def intake_rate_limit() -> int:
	"""Requests per minute per API key (site config `oms_intake_rate_limit`, default 600)."""
	return int(frappe.conf.get("oms_intake_rate_limit") or 600)


def request_body() -> object:
	"""The JSON body: Frappe has parsed an application/json body already; other bodies are parsed here."""
	request = frappe.request
	if request is not None and (request.content_length or 0) > MAX_BODY_BYTES:
		refuse_too_large()
	form = {k: v for k, v in frappe.form_dict.items() if k not in ("cmd",)}
	if form:
		if not encodable(form):
			from oms_omnichannel.channels.intake import IntakeRefused

			frappe.throw(_("body: not valid text (a lone surrogate is not UTF-8)"), IntakeRefused)
		return form.get("data", form) if set(form) == {"data"} else form
	raw = request.get_data(as_text=True) if request is not None else ""
	try:
		return json.loads(raw) if raw else None
	except (ValueError, RecursionError) as error:
		from oms_omnichannel.channels.intake import IntakeRefused

		frappe.throw(_("body: not valid JSON ({0})").format(error), IntakeRefused, title=_("Invalid JSON"))


class TooManyRequests(frappe.ValidationError):
	http_status_code = 429


class ServiceUnavailable(frappe.ValidationError):
	http_status_code = 503


def enforce_rate_limit() -> None:
	"""Per API user, per minute, counted in Redis so every web worker shares the count. With the
	Redis cache down nothing can be counted: orders are taken unlimited rather than refused."""
	import time

	key = frappe.cache.make_key(f"oms:intake:rate:{frappe.session.user}:{int(time.time() // 60)}")
	try:
		count = frappe.cache.incr(key)
		if count == 1:
			frappe.cache.expire(key, 120)
	except redis.exceptions.ConnectionError:
		return
	if count > intake_rate_limit():
		frappe.throw(
			_("Too many intake requests: at most {0} a minute").format(intake_rate_limit()),
			TooManyRequests,
			title=_("Slow Down"),
		)


@frappe.whitelist(methods=["POST"])
def ingest() -> dict:
	"""Order intake: one order (`order`) or a batch (`orders`) of a channel. See api/openapi.json.

	200: every order created or replayed (a replay is the existing order, marked `replay`);
	202: a large batch was queued (see Intake Log by `batch_id`); 422: no order could be taken;
	400/403/404/413/429: the request itself was refused.
	"""
	from oms_omnichannel.channels import intake

	enforce_rate_limit()
	key = (frappe.get_request_header("Idempotency-Key") or "").strip()[:100] or None
	cache_key = f"oms:intake:idempotency:{frappe.session.user}:{key}" if key else None
	if cache_key:
		cached = frappe.cache.get_value(cache_key)
		if cached:
			frappe.local.response.http_status_code = cached["http_status"]
			return {**cached["body"], "idempotent_replay": True}
	# The request is the transaction and nothing is written before this call, so a deadlock or
	# lock-wait timeout can roll it all back and run the intake again.
	try:
		body = retry_on_lock_conflict(intake.ingest)(request_body(), idempotency_key=key)
	except redis.exceptions.ConnectionError:
		# The Redis queue is down: the jobs that follow an order (channel stock, backorders) cannot
		# be queued, so the order is not taken (the request rolls back) rather than taken in part.
		frappe.throw(
			_(
				"Order intake is unavailable for a moment: its job queue cannot be reached. Nothing was saved; please send the order again."
			),
			ServiceUnavailable,
			title=_("Service Unavailable"),
		)
	summary = body["summary"]
	if summary["queued"]:
		status = 202
	elif summary["failed"] and not (summary["created"] or summary["replayed"]):
		status = 422
	else:
		status = 200
	frappe.local.response.http_status_code = status
	if cache_key:
		frappe.cache.set_value(
			cache_key, {"http_status": status, "body": body}, expires_in_sec=IDEMPOTENCY_TTL
		)
	return body


@frappe.whitelist(methods=["POST"])
@check_arguments
def replay_intake(logs: list[int | str] | int | str) -> list[dict]:
	"""Replay failed or queued Intake Logs (after fixing the cause); idempotent."""
	from oms_omnichannel.channels import intake

	frappe.has_permission("Intake Log", "write", throw=True)
	frappe.has_permission("OMS Order", "create", throw=True)
	results = []
	for name in as_list(logs, "logs"):
		log = frappe.get_doc("Intake Log", name)
		log.check_permission("write")
		results.append(intake.replay(name))
	return results


@frappe.whitelist(methods=["POST"])
@check_arguments
def resume_intake_batch(batch_id: str) -> dict:
	"""Queue what is left of a queued batch (its Queued Intake Logs) for a worker again, after the
	worker that had it died; idempotent. The scheduler does the same for a batch stalled 10 minutes."""
	from oms_omnichannel.channels import intake

	frappe.has_permission("Intake Log", "write", throw=True)
	frappe.has_permission("OMS Order", "create", throw=True)
	logs = frappe.get_list("Intake Log", filters={"batch_id": batch_id}, pluck="name", limit=1)
	if not logs:
		frappe.throw(_("Intake batch {0} does not exist").format(batch_id), frappe.DoesNotExistError)
	return intake.resume_batch(batch_id)


@frappe.whitelist(methods=["POST"])
@check_arguments
def reject(order: str, location: str, lines: dict | list | str, reason: str, note: str = "") -> dict:
	"""A location rejects lines it was to fulfil (Not Found, Damaged, Too Busy); they are re-sourced."""
	from oms_omnichannel.logistics.rejection import reject_lines

	doc = get_order(order)
	lines = parse_json_argument(lines, "lines") if isinstance(lines, str) else lines
	result = reject_lines(doc, location, lines, reason, note)
	return {**summary(doc), **result}
