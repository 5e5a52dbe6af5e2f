"""Shipments over REST: a new shipment from an order's reservations."""

from __future__ import annotations

import frappe

from oms_omnichannel.logistics.shipping import new_shipment
from oms_omnichannel.utils import check_arguments


@frappe.whitelist(methods=["GET"])
@check_arguments
def make_shipment(order: str, location: str | None = None) -> dict:
	"""A new (unsaved) shipment with what is reserved for the order at one location."""
	doc = frappe.get_doc("OMS Order", order)
	doc.check_permission("read")
	frappe.has_permission("OMS Shipment", "create", throw=True)
	return new_shipment(doc, location).as_dict()
