"""Tracking events from carriers and couriers.

POST /api/method/oms_omnichannel.api.v1.tracking.post_events
{"events": [{"shipment": "SHP-2026-00001" | "tracking_number": "...", "status": "In Transit",
             "time": "2026-11-25T10:00:00Z", "description": "...", "latitude": 52.5, "longitude": 13.4,
             "event_id": "carrier-123"}]}

The same event twice is stored once; an event older than the latest never moves the status back.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import strip_html

from oms_omnichannel.api.v1.orders import parse_json_argument
from oms_omnichannel.core import shipment_status as ship_status
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.core.geo import validate_coordinates
from oms_omnichannel.core.intake import parse_datetime
from oms_omnichannel.utils import check_arguments, to_system_time

TRACKING_ROLES = ("Logistics Coordinator", "OMS Integration", "OMS Manager", "System Manager")
MAX_EVENTS = 500


class TrackingRefused(frappe.ValidationError):
	http_status_code = 400


@frappe.whitelist(methods=["POST"])
@check_arguments
def post_events(events: list | dict | str | None = None) -> dict:
	"""Store carrier tracking events; per event: stored, duplicate, or the field at fault."""
	frappe.only_for(TRACKING_ROLES)
	events = parse_json_argument(events, "events") if isinstance(events, str) else events
	if isinstance(events, dict):
		events = [events]
	if not isinstance(events, list) or not events:
		frappe.throw(_("events: give a list of tracking events"), TrackingRefused, title=_("Invalid Request"))
	if len(events) > MAX_EVENTS:
		frappe.throw(_("events: at most {0} per request").format(MAX_EVENTS), TrackingRefused)
	results = [record_one(event, index) for index, event in enumerate(events)]
	if not any(r["outcome"] in ("stored", "duplicate") for r in results):
		frappe.local.response.http_status_code = 422
	return {"results": results}


def record_one(event, index: int) -> dict:
	path = f"events[{index}]."
	frappe.db.savepoint("oms_tracking_event")
	try:
		if not isinstance(event, dict):
			raise TrackingEventError(f"{path.rstrip('.')}: must be an object", path.rstrip("."))
		shipment = find_shipment(event, path)
		frappe.has_permission("OMS Shipment", "read", doc=shipment, throw=True)
		doc = frappe.get_doc("OMS Shipment", shipment, for_update=True)
		moment = parse_datetime(event.get("time"), f"{path}time")
		latitude, longitude = number(event, "latitude", path), number(event, "longitude", path)
		# Checked here, before the document, so the error names the event's field.
		ship_status.as_shipment_status(str(event.get("status") or ""), field="status")
		validate_coordinates(latitude, longitude)
		stored = doc.record_event(
			status=str(event.get("status") or ""),
			description=str(event.get("description") or "")[:500],
			source=str(event.get("source") or frappe.session.user)[:140],
			latitude=latitude,
			longitude=longitude,
			event_time=to_system_time(moment) if moment else None,
			event_id=str(event["event_id"])[:140] if event.get("event_id") else None,
		)
		return {"shipment": shipment, "outcome": "stored" if stored else "duplicate", "status": doc.status}
	except frappe.PermissionError:
		frappe.db.rollback(save_point="oms_tracking_event")
		frappe.clear_messages()
		return {"outcome": "failed", "errors": [{"field": f"{path}shipment", "message": _("Not permitted")}]}
	except (DomainError, TrackingEventError, frappe.ValidationError, frappe.DoesNotExistError) as error:
		frappe.db.rollback(save_point="oms_tracking_event")
		frappe.clear_messages()
		message = (
			error.message if isinstance(error, DomainError | TrackingEventError) else strip_html(str(error))
		)
		field = getattr(error, "field", None)
		if field and not field.startswith(path):
			field = f"{path}{field}"
		return {"outcome": "failed", "errors": [{"field": field, "message": message}]}


class TrackingEventError(Exception):
	def __init__(self, message: str, field: str):
		super().__init__(message)
		self.message, self.field = message, field


def find_shipment(event: dict, path: str) -> str:
	if event.get("shipment"):
		name = frappe.db.get_value("OMS Shipment", {"name": str(event["shipment"]), "docstatus": 1})
	elif event.get("tracking_number"):
		name = frappe.db.get_value(
			"OMS Shipment", {"tracking_number": str(event["tracking_number"]), "docstatus": 1}
		)
	else:
		raise TrackingEventError(f"{path}shipment: give shipment or tracking_number", f"{path}shipment")
	if not name:
		raise TrackingEventError(f"{path}shipment: no submitted shipment matches", f"{path}shipment")
	return name


def number(event: dict, key: str, path: str) -> float | None:
	value = event.get(key)
	if value is None or value == "":
		return None
	if isinstance(value, bool) or not isinstance(value, int | float):
		raise TrackingEventError(f"{path}{key}: must be a number", f"{path}{key}")
	return float(value)
