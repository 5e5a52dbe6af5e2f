"""What the print formats (OMS Packing Slip, OMS Pick List, OMS Return Label) read beyond the
printed document itself: exposed to their Jinja through the `jinja` hook.

Each takes the document the print view has loaded (and checked print permission on), never a
name, so a template cannot use them to read another record.
"""

from __future__ import annotations

import frappe
from frappe.model.document import Document
from frappe.utils import flt

from oms_omnichannel.inventory.reservations import open_reservations

ITEM_FIELDS = ["name", "item_name", "sku", "barcode", "uom"]


def _require(doc: Document, *doctypes: str) -> None:
	if not isinstance(doc, Document) or doc.doctype not in doctypes:
		frappe.throw(
			frappe._("Expected a document of {0}").format(", ".join(frappe._(d) for d in doctypes)),
			frappe.ValidationError,
		)


def _items(names) -> dict[str, frappe._dict]:
	names = sorted(set(names))
	if not names:
		return {}
	rows = frappe.get_all("OMS Item", filters={"name": ("in", names)}, fields=ITEM_FIELDS)
	return {row.name: row for row in rows}


def oms_pick_list(order: Document) -> list[frappe._dict]:
	"""The order's open reservations grouped by stock location: one pick list per location, its
	lines sorted by SKU (the order pickers walk the shelves in). A line reserved at two locations
	appears on both lists with the quantity each holds."""
	_require(order, "OMS Order")
	reservations = [r for r in open_reservations("OMS Order", order.name) if flt(r.open_qty) > 0]
	items = _items(r.item for r in reservations)
	line_no = {row.name: row.idx for row in order.items}
	groups: dict[str, frappe._dict] = {}
	for row in reservations:
		group = groups.get(row.location)
		if group is None:
			group = groups[row.location] = frappe._dict(
				location=row.location, address=location_address(row.location), lines=[], total_qty=0.0
			)
		item = items.get(row.item) or frappe._dict(item_name=row.item, sku=row.item)
		group.lines.append(
			frappe._dict(
				line=line_no.get(row.voucher_detail_no),
				item=row.item,
				item_name=item.item_name,
				sku=item.sku or row.item,
				barcode=item.barcode,
				uom=item.uom,
				stock_status=row.stock_status,
				qty=flt(row.open_qty),
			)
		)
		group.total_qty += flt(row.open_qty)
	for group in groups.values():
		group.lines.sort(key=lambda line: (line.sku or "", line.line or 0))
	return [groups[name] for name in sorted(groups)]


def oms_shipment_lines(shipment: Document) -> list[frappe._dict]:
	"""The shipment's lines with each item's SKU, barcode and unit, in the shipment's order."""
	_require(shipment, "OMS Shipment")
	items = _items(row.item for row in shipment.items)
	lines = []
	for row in shipment.items:
		item = items.get(row.item) or frappe._dict()
		lines.append(
			frappe._dict(
				idx=row.idx,
				item=row.item,
				item_name=row.item_name or item.item_name or row.item,
				sku=item.sku or row.item,
				barcode=item.barcode,
				uom=item.uom,
				qty=flt(row.qty),
			)
		)
	return lines


def oms_order_address(doc: Document) -> frappe._dict:
	"""The delivery address of the order a shipment or return belongs to (or of the order itself)."""
	if doc.doctype == "OMS Order":
		order = doc
	else:
		_require(doc, "OMS Shipment", "Return Request")
		order = frappe.get_doc("OMS Order", doc.order)
	return frappe._dict(
		name=order.shipping_name or order.customer_name,
		lines=postal_lines(
			order.shipping_address_line1,
			order.shipping_address_line2,
			order.shipping_postcode,
			order.shipping_city,
			order.shipping_region,
			order.shipping_country,
		),
		phone=order.shipping_phone,
		order=order.name,
		channel_order_id=order.channel_order_id,
		sales_channel=order.sales_channel,
		delivery_method=order.delivery_method,
	)


def postal_lines(line1, line2, postcode, city, region, country) -> list[str]:
	"""An address as printed: its lines, postcode and city on one, empty ones left out."""
	return [
		line for line in (line1, line2, " ".join(filter(None, [postcode, city])), region, country) if line
	]


def location_address(location: str | None) -> frappe._dict:
	"""A stock location's name and postal address (a location is not confidential: every role that
	prints an order, shipment or return may read where it ships from or returns to)."""
	if not location:
		return frappe._dict(name="", lines=[])
	row = frappe.db.get_value(
		"Stock Location",
		location,
		["location_name", "address_line1", "address_line2", "city", "postcode", "region", "country", "phone"],
		as_dict=True,
	)
	if not row:
		return frappe._dict(name=location, lines=[])
	return frappe._dict(
		name=row.location_name or location,
		lines=postal_lines(
			row.address_line1, row.address_line2, row.postcode, row.city, row.region, row.country
		),
		phone=row.phone,
	)


def oms_location_address(doc: Document) -> frappe._dict:
	"""Where a shipment ships from or a return goes back to."""
	_require(doc, "OMS Shipment", "Return Request")
	return location_address(doc.source_location if doc.doctype == "OMS Shipment" else doc.return_location)
