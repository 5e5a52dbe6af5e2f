"""The Pickup Counter page (desk page `pickup-counter`): find the parcel waiting for a customer by
the code they show, so a store associate can see what to hand over. Handing over is the shipment's
own `confirm_pickup`, which checks the code again."""

from __future__ import annotations

import re

import frappe
from frappe import _

from oms_omnichannel.core import shipment_status as ship_status
from oms_omnichannel.utils import check_arguments

CODE = re.compile(r"\d{6}")


@frappe.whitelist()
@check_arguments
@frappe.read_only()
def find_pickup(code: str) -> list[dict]:
	"""Shipments ready for pickup with this code, among those the user may read (a store associate:
	their store's), each with the order, the customer's name and the lines to hand over."""
	frappe.has_permission("OMS Shipment", "read", throw=True)
	code = str(code or "").strip()
	if not CODE.fullmatch(code):
		frappe.throw(_("Pickup Code must be the customer's 6 digits"), title=_("Invalid Pickup Code"))
	names = frappe.get_list(
		"OMS Shipment",
		filters={"pickup_code": code, "docstatus": 1, "status": ship_status.READY_FOR_PICKUP},
		pluck="name",
		order_by="creation asc",
		limit=10,
	)
	return [handover(frappe.get_doc("OMS Shipment", name)) for name in names]


def handover(shipment) -> dict:
	return {
		"shipment": shipment.name,
		"order": shipment.order,
		"customer_name": shipment.customer_name,
		"location": shipment.source_location,
		"packages": shipment.packages,
		"ready_since": shipment.last_event_at,
		"items": [{"item": row.item, "item_name": row.item_name, "qty": row.qty} for row in shipment.items],
	}
