"""Public tracking page: /track/<token>. No login; shows the parcel, never the customer."""

import frappe
from frappe import _

no_cache = 1

PUBLIC_FIELDS = ("name", "status", "promised_date", "carrier", "tracking_number", "tracking_url",
	"last_latitude", "last_longitude", "last_event_at", "delivery_type", "source_location")  # fmt: skip


def get_context(context):
	token = (frappe.form_dict.token or "").strip()
	shipment = (
		frappe.db.get_value(
			"OMS Shipment", {"tracking_token": token, "docstatus": 1}, PUBLIC_FIELDS, as_dict=True
		)
		if len(token) >= 20
		else None
	)
	if not shipment:
		raise frappe.DoesNotExistError(_("No parcel found for this link"))
	# ignore-permissions: Guest sees a shipment's events only through its unguessable token (20+ characters), and only time, status and description
	events = frappe.get_all(
		"Shipment Tracking Event",
		filters={"parent": shipment.name, "parenttype": "OMS Shipment"},
		fields=["event_time", "status", "description"],
		order_by="event_time desc",
		ignore_permissions=True,
	)
	context.no_breadcrumbs = True
	context.title = _("Track your parcel")
	context.shipment = shipment
	context.events = events
	context.pickup = shipment.delivery_type == "Self Pickup"
	context.has_position = shipment.last_latitude is not None and (
		shipment.last_latitude or shipment.last_longitude
	)
	return context
