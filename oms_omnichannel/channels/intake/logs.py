"""Intake Logs: one per order sent, with its payload and outcome, and the answer for each order."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import frappe
from frappe.utils import cint, now_datetime

from oms_omnichannel.bulk import insert_new_documents

if TYPE_CHECKING:
	from oms_omnichannel.channels.intake.orders import Entry

CREATED, REPLAYED, FAILED, QUEUED = "Created", "Replayed", "Failed", "Queued"


def result_of(entry: Entry) -> dict:
	if entry.error:
		message, field = entry.error
		return {
			"channel_order_id": entry.channel_order_id or None,
			"outcome": FAILED,
			"errors": [{"field": field, "message": message}],
			"intake_log": entry.log_name,
		}
	order, status = (entry.order.name, entry.order.status) if entry.order else entry.existing
	return {
		"channel_order_id": entry.channel_order_id,
		"outcome": CREATED if entry.order else REPLAYED,
		"replay": not entry.order,
		"order": order,
		"status": status,
		"intake_log": entry.log_name,
	}


def write_logs(channel: str, entries: list[Entry], batch_id, idempotency_key) -> list[dict]:
	"""An Intake Log per order (new ones in one statement), a replayed log updated; returns each
	order's answer, naming its log."""
	results, new_logs = [], []
	for entry in entries:
		result = result_of(entry)
		results.append(result)
		fields = {
			"sales_channel": channel,
			"channel_order_id": entry.channel_order_id or None,
			"outcome": result["outcome"],
			"order": result.get("order"),
			"error": entry.error[0] if entry.error else None,
			"error_field": entry.error[1] if entry.error else None,
		}
		if entry.log_name:
			record_attempt(entry.log_name, fields)
			continue
		log = new_log(channel, entry.raw, entry.position, batch_id, idempotency_key, **fields)
		new_logs.append((result, log))
	insert_new_documents(log for _result, log in new_logs)
	for result, log in new_logs:
		result["intake_log"] = log.name
	return results


def record_attempt(log_name, fields: dict) -> None:
	"""Another attempt of a logged payload (a replay, a platform's retry): its outcome, counted."""
	attempts = cint(frappe.db.get_value("Intake Log", log_name, "attempts"))
	frappe.db.set_value(
		"Intake Log", log_name, {**fields, "attempts": attempts + 1, "last_replayed_at": now_datetime()}
	)


def new_log(channel, raw, position, batch_id, idempotency_key, **fields):
	return frappe.get_doc(
		{
			"doctype": "Intake Log",
			**fields,
			"sales_channel": channel,
			"received_at": now_datetime(),
			"received_by": frappe.session.user,
			"payload": json.dumps(raw, indent=1, default=str, ensure_ascii=False)[:1_000_000],
			"batch_id": batch_id,
			"batch_position": position,
			"idempotency_key": idempotency_key,
		}
	)
