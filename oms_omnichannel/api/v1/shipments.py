"""Shipments over REST: create from an order, and (for carriers) tracking updates."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt

from oms_omnichannel.inventory.reservations import OPEN_STATUSES


@frappe.whitelist()
def make_shipment(order: str, location: str | None = None) -> dict:
	"""A new (unsaved) shipment with what is reserved for the order at one location."""
	doc = frappe.get_doc("OMS Order", order)
	doc.check_permission("read")
	frappe.has_permission("OMS Shipment", "create", throw=True)
	reserved = frappe.get_all(
		"OMS Stock Reservation",
		filters={
			"voucher_type": "OMS Order",
			"voucher_no": order,
			"status": ("in", OPEN_STATUSES),
		},
		fields=["voucher_detail_no", "location", "open_qty", "item"],
		order_by="location asc",
	)
	if not reserved:
		frappe.throw(
			_("Nothing is reserved for {0} yet").format(frappe.bold(order)), title=_("Nothing to Ship")
		)
	location = location or reserved[0].location
	shipment = frappe.new_doc("OMS Shipment")
	shipment.order = order
	shipment.source_location = location
	shipment.delivery_method = doc.delivery_method
	for row in reserved:
		if row.location == location and flt(row.open_qty) > 0:
			shipment.append(
				"items", {"order_item": row.voucher_detail_no, "item": row.item, "qty": row.open_qty}
			)
	return shipment.as_dict()
