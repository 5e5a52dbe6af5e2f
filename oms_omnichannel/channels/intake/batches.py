"""Large batches: logged as Queued at once, then taken by a background job a chunk at a time."""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import add_to_date, now_datetime
from frappe.utils.background_jobs import get_queue

from oms_omnichannel.bulk import insert_new_documents
from oms_omnichannel.channels.intake.logs import QUEUED, new_log
from oms_omnichannel.channels.intake.orders import process_orders, raw_channel_order_id


def queue_batch(channel: str, raw_orders: list, idempotency_key: str | None) -> dict:
	"""Log every order as Queued now; a background job takes them, committing chunk by chunk."""
	batch_id = frappe.generate_hash(length=12)
	logs = [
		new_log(
			channel,
			raw,
			position,
			batch_id,
			idempotency_key,
			outcome=QUEUED,
			channel_order_id=raw_channel_order_id(raw) or None,
		)
		for position, raw in enumerate(raw_orders)
	]
	insert_new_documents(logs)
	enqueue_batch(batch_id, job_id=f"oms-intake-{batch_id}")
	return {
		"channel": channel,
		"batch_id": batch_id,
		"queued": len(logs),
		"results": [{"intake_log": log.name, "outcome": QUEUED} for log in logs],
		"summary": {"created": 0, "replayed": 0, "failed": 0, "queued": len(logs)},
	}


BATCH_CHUNK = 50  # orders a background batch commits at once
# A batch whose Queued logs nobody touched for this long lost its worker (a live job commits a
# chunk every second or so): the scheduler queues it again.
STALLED_AFTER_MINUTES = 10


def enqueue_batch(batch_id: str, job_id: str) -> None:
	frappe.enqueue(
		"oms_omnichannel.channels.intake.batches.process_batch",
		queue="long",
		timeout=3600,
		job_id=job_id,
		deduplicate=True,
		enqueue_after_commit=True,
		batch_id=batch_id,
	)


def resume_batch(batch_id: str) -> dict:
	"""Queue what is left of a batch (its Queued logs) for a worker again: after the worker that
	had it died (killed, out of memory, machine restarted). Safe while the batch still runs: an
	order already taken is replayed as that order, never taken twice."""
	queued = frappe.db.count("Intake Log", {"batch_id": batch_id, "outcome": QUEUED})
	if queued:
		enqueue_batch(batch_id, job_id=f"oms-intake-{batch_id}-resumed-{frappe.generate_hash(length=8)}")
	return {"batch_id": batch_id, "queued": queued}


def resume_stalled_batches() -> list[str]:
	"""Scheduled: resume every batch with Queued logs and no sign of life for
	STALLED_AFTER_MINUTES, unless a job for it still waits in the queue."""
	cutoff = add_to_date(now_datetime(), minutes=-STALLED_AFTER_MINUTES)
	log = frappe.qb.DocType("Intake Log")
	with_queued = frappe.qb.from_(log).select(log.batch_id).where(log.outcome == QUEUED).distinct()
	stalled = (
		frappe.qb.from_(log)
		.select(log.batch_id)
		.where(log.batch_id.isin(with_queued))
		.groupby(log.batch_id)
		.having(Max(log.modified) < cutoff)
	).run(pluck=True)
	waiting = " ".join(get_queue("long").get_job_ids()) if stalled else ""
	resumed = [batch for batch in stalled if f"oms-intake-{batch}" not in waiting]
	for batch_id in resumed:
		resume_batch(batch_id)
	return resumed


def process_batch(batch_id: str, commit: bool = True) -> dict:
	"""Background job: the Queued logs of the batch, a chunk at a time, each chunk committed,
	with progress.

	A worker killed mid-batch loses nothing: what was committed stays, the rest is still Queued
	(or replays as its existing order) when the batch is run again.
	"""
	logs = frappe.get_all(
		"Intake Log",
		filters={"batch_id": batch_id, "outcome": QUEUED},
		fields=["name", "sales_channel", "payload", "batch_position"],
		order_by="batch_position asc",
	)
	total = len(logs)
	for start in range(0, total, BATCH_CHUNK):
		chunk = logs[start : start + BATCH_CHUNK]
		for channel in dict.fromkeys(log.sales_channel for log in chunk):
			of_channel = [log for log in chunk if log.sales_channel == channel]
			process_orders(
				channel,
				[json.loads(log.payload or "null") for log in of_channel],
				positions=[log.batch_position or 0 for log in of_channel],
				batch_id=batch_id,
				log_names=[log.name for log in of_channel],
			)
		if commit:
			frappe.db.commit()
		done = start + len(chunk)
		frappe.publish_progress(done * 100 / total, title=_("Order intake"), description=f"{done}/{total}")
	return summarise_batch(batch_id)


def summarise_batch(batch_id: str) -> dict:
	rows = frappe.get_all(
		"Intake Log",
		filters={"batch_id": batch_id},
		fields=["outcome", "count(name) as count"],
		group_by="outcome",
	)
	return {row.outcome.lower(): row.count for row in rows}
