"""Fulfilments back to the platforms: a submitted shipment, or one that gets its tracking number,
is reported in a background job: Shopify gets a fulfilment of the shipped lines with the
tracking number, URL and carrier (later tracking as an update of it); WooCommerce a customer note
with the tracking, and the order completed once everything shipped. A failed report stays pending
on the shipment with its error and is retried by the scheduler every five minutes."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt

from oms_omnichannel.channels.connectors import is_connected, platform_of
from oms_omnichannel.channels.connectors.client import PlatformClient, PlatformError
from oms_omnichannel.core.connectors import SHOPIFY, WOOCOMMERCE, WebhookRefused, shopify, woocommerce

JOB = "oms_omnichannel.channels.connectors.fulfilment.push_fulfilment"
FULLY_SHIPPED = ("Shipped", "Completed")


def on_shipment_submit(doc, method=None) -> None:
	"""doc_events hook (OMS Shipment, on_submit)."""
	if doc.sales_channel and is_connected(doc.sales_channel):
		doc.db_set("platform_sync_pending", 1, update_modified=False)
		queue(doc.name)


def on_shipment_update(doc, method=None) -> None:
	"""doc_events hook (OMS Shipment, on_update_after_submit): a new tracking number or URL."""
	if not (doc.sales_channel and is_connected(doc.sales_channel)):
		return
	if doc.has_value_changed("tracking_number") or doc.has_value_changed("tracking_url"):
		doc.db_set("platform_sync_pending", 1, update_modified=False)
		queue(doc.name)


def queue(shipment: str) -> None:
	frappe.enqueue(
		JOB,
		queue="short",
		job_id=f"oms-fulfilment-{shipment}",
		deduplicate=True,
		enqueue_after_commit=True,
		shipment=shipment,
	)


def push_fulfilment(shipment: str) -> bool:
	"""Background job: tell the platform about the shipment; True when it took it."""
	doc = frappe.get_doc("OMS Shipment", shipment)
	if doc.docstatus != 1 or not is_connected(doc.sales_channel):
		return False
	try:
		client = PlatformClient(doc.sales_channel)
		order = frappe.get_doc("OMS Order", doc.order)
		if platform_of(doc.sales_channel) == SHOPIFY:
			fulfilment_id = report_to_shopify(client, doc, order)
		else:
			report_to_woocommerce(client, doc, order)
			fulfilment_id = doc.platform_fulfilment_id
	except (PlatformError, WebhookRefused) as error:
		doc.db_set(
			{"platform_sync_pending": 1, "platform_sync_error": error.message[:1000]}, update_modified=False
		)
		return False
	doc.db_set(
		{"platform_sync_pending": 0, "platform_sync_error": None, "platform_fulfilment_id": fulfilment_id},
		update_modified=False,
	)
	return True


def tracking(doc) -> dict:
	return {
		"number": doc.tracking_number,
		"url": doc.tracking_url,
		"company": frappe.db.get_value("Carrier", doc.carrier, "carrier_name") if doc.carrier else None,
	}


def report_to_shopify(client: PlatformClient, doc, order) -> str:
	if doc.platform_fulfilment_id:
		client.send(shopify.tracking_update_request(doc.platform_fulfilment_id, tracking(doc)))
		return doc.platform_fulfilment_id
	answer = client.send(shopify.fulfillment_orders_request(order.channel_order_id))
	shipped = None if order.status in FULLY_SHIPPED else shipped_variants(doc, order)
	call = shopify.fulfilment_request(answer.get("fulfillment_orders") or [], shipped, tracking(doc))
	created = client.send(call)
	return str((created.get("fulfillment") or {}).get("id") or "")


def shipped_variants(doc, order) -> dict[str, Decimal]:
	"""{Shopify variant id: qty} of the shipment, through the order lines' listings."""
	sku_of = {row.name: row.channel_sku for row in order.items}
	skus = {sku for sku in sku_of.values() if sku}
	variant_of = {
		row.channel_sku: row.platform_variant_id
		for row in frappe.get_all(
			"Channel Listing",
			filters={"sales_channel": order.sales_channel, "channel_sku": ("in", list(skus) or [""])},
			fields=["channel_sku", "platform_variant_id"],
		)
	}
	shipped: dict[str, Decimal] = {}
	for row in doc.items:
		sku = sku_of.get(row.order_item) or ""
		variant = variant_of.get(sku) or (sku if sku.isdigit() else "")
		if not variant:
			raise WebhookRefused(
				"items: line {0} ({1}) has no Shopify variant id on its listing",
				row.idx,
				row.item,
				field="items",
			)
		shipped[variant] = shipped.get(variant, Decimal(0)) + Decimal(str(flt(row.qty)))
	return shipped


def report_to_woocommerce(client: PlatformClient, doc, order) -> None:
	info = tracking(doc)
	note = _("Shipped with {0}: tracking number {1}{2}").format(
		info["company"] or _("our carrier"),
		info["number"] or "-",
		f" ({info['url']})" if info["url"] else "",
	)
	for call in woocommerce.fulfilment_requests(order.channel_order_id, note, order.status in FULLY_SHIPPED):
		client.send(call)


def retry_pending_fulfilments() -> None:
	"""Scheduler (every five minutes): report shipments whose report failed."""
	for name in frappe.get_all(
		"OMS Shipment", filters={"platform_sync_pending": 1, "docstatus": 1}, pluck="name"
	):
		queue(name)
