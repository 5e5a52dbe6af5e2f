"""The entry points of order intake: a request body (from the REST API), one payload (desk
replay, demo data), a logged payload replayed."""

from __future__ import annotations

import json

import frappe
from frappe import _

from oms_omnichannel.channels.intake.batches import queue_batch
from oms_omnichannel.channels.intake.errors import IntakeRefused
from oms_omnichannel.channels.intake.orders import process_orders
from oms_omnichannel.core import intake as intake_core
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.utils import get_settings


def check_channel(channel: str, creates: str = "OMS Order") -> None:
	"""The caller may use this active channel (User Permission) and create `creates` for it."""
	try:
		channel_doc = frappe.get_cached_doc("Sales Channel", channel)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		frappe.throw(_("Sales Channel {0} does not exist").format(channel), frappe.DoesNotExistError)
	frappe.has_permission("Sales Channel", "read", doc=channel_doc, throw=True)
	frappe.has_permission(creates, "create", throw=True)
	if not channel_doc.is_active:
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
	results = process_orders(channel, raw_orders, idempotency_key=idempotency_key)
	return {"channel": channel, "results": results, "summary": summarise(results)}


def summarise(results: list[dict]) -> dict:
	summary = {"created": 0, "replayed": 0, "failed": 0, "queued": 0}
	for result in results:
		summary[result["outcome"].lower()] += 1
	return summary


def process_one(channel: str, raw, *, position: int = 0, batch_id=None, idempotency_key=None, log_name=None):
	"""One payload (desk replay, demo data)."""
	return process_orders(
		channel,
		[raw],
		positions=[position],
		batch_id=batch_id,
		idempotency_key=idempotency_key,
		log_names=[log_name] if log_name else None,
	)[0]


def replay(log_name: str) -> dict:
	"""Run a logged payload again (after a fix, e.g. a new Channel Listing); idempotent."""
	log = frappe.get_doc("Intake Log", log_name)
	if log.platform_payload:  # a platform's own webhook payload: its connector maps it again
		from oms_omnichannel.channels.connectors.webhooks import replay as replay_event

		return replay_event(log)
	raw = json.loads(log.payload or "null")
	return process_one(
		log.sales_channel, raw, position=log.batch_position or 0, batch_id=log.batch_id, log_name=log.name
	)
