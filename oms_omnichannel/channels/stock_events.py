"""Stock (ATP) changes for channels: after stock moves, a background job works out what each
channel may now sell of the touched items and records a Channel Stock Update when it changed.
Channels subscribe with a Webhook on Channel Stock Update (after_insert)."""

from __future__ import annotations

import json

import frappe
from frappe.utils import flt, now_datetime

from oms_omnichannel.inventory.atp import get_atp
from oms_omnichannel.utils import queue_pending, take_pending

PENDING = "oms:atp:pending-items"


def queue_atp_update(keys) -> None:
	"""Hook (`oms_queue_after_stock_change`): remember the items; one deduplicated job publishes them."""
	queue_pending(
		PENDING,
		(item for item, _location, status in keys if status == "Available"),
		"oms_omnichannel.channels.stock_events.publish_pending",
		job_id="oms-atp-publish",
	)


def publish_pending(given: list[str] | None = None) -> int:
	return publish_atp_changes(take_pending(PENDING, given))


def publish_atp_changes(items: list[str]) -> int:
	"""A Channel Stock Update per active channel and item whose ATP changed; returns how many."""
	published = 0
	for channel in frappe.get_all("Sales Channel", filters={"is_active": 1}, pluck="name"):
		for item, answer in get_atp(items, channel).items():
			previous = last_published(channel, item)
			if previous is not None and flt(previous) == flt(answer["total"]):
				continue
			frappe.get_doc(
				{
					"doctype": "Channel Stock Update",
					"sales_channel": channel,
					"item": item,
					"available_to_promise": answer["total"],
					"previous_available": previous,
					"published_at": now_datetime(),
					"locations": json.dumps(answer["locations"]),
				}
			).insert(ignore_permissions=True)
			published += 1
	return published


def last_published(channel: str, item: str) -> float | None:
	rows = frappe.get_all(
		"Channel Stock Update",
		filters={"sales_channel": channel, "item": item},
		fields=["available_to_promise"],
		order_by="creation desc, name desc",
		limit=1,
	)
	return rows[0].available_to_promise if rows else None
