"""Shipment statuses: which reports move a shipment forward, and which are stale.

Carriers report out of order and twice. A report older than the latest one applied, or one
that would move the shipment backwards, is kept in the timeline but does not change the status.
"""

from __future__ import annotations

from datetime import datetime

from oms_omnichannel.core.errors import ValidationFailed

CREATED, PICKED, PACKED = "Created", "Picked", "Packed"
IN_TRANSIT, OUT_FOR_DELIVERY, FAILED_ATTEMPT = "In Transit", "Out for Delivery", "Failed Attempt"
DELIVERED, RETURNED, READY_FOR_PICKUP, PICKED_UP = (
	"Delivered",
	"Returned to Sender",
	"Ready for Pickup",
	"Picked Up",
)

# How far along a shipment is; a report never lowers it. Equal ranks may alternate
# (a failed attempt, then out for delivery again).
RANK = {
	CREATED: 0,
	PICKED: 1,
	PACKED: 2,
	IN_TRANSIT: 3,
	READY_FOR_PICKUP: 3,
	OUT_FOR_DELIVERY: 4,
	FAILED_ATTEMPT: 4,
	DELIVERED: 5,
	PICKED_UP: 5,
	RETURNED: 5,
}
STATUSES = tuple(RANK)
FINAL = frozenset({DELIVERED, PICKED_UP, RETURNED})
NOT_YET_LEFT = frozenset({CREATED, PICKED, PACKED, READY_FOR_PICKUP})  # may still be cancelled
COMPLETES_ORDER_LINES = frozenset({DELIVERED, PICKED_UP})


def as_shipment_status(value: str, field: str = "status") -> str:
	if value not in RANK:
		raise ValidationFailed(
			"Unknown shipment status {0} (allowed: {1})", value, ", ".join(STATUSES), field=field
		)
	return value


def applies(current: str, reported: str, reported_at: datetime, latest_at: datetime | None) -> bool:
	"""Whether a report changes the shipment's status (it is recorded either way)."""
	as_shipment_status(reported)
	if current in FINAL:
		return False
	if latest_at is not None and reported_at < latest_at:
		return False
	if reported == PICKED_UP and current != READY_FOR_PICKUP:
		return False  # only a pickup with the right code, from the store shelf
	return RANK[reported] >= RANK[current] and reported != current
