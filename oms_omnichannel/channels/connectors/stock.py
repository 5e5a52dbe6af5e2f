"""Stock back to the platforms: when a connector channel's available to promise changes (a
Channel Stock Update), its listings of the item are marked for a push, and one deduplicated job
sends every due listing, a channel at a time over one connection: Shopify's inventory_levels/set
per item, WooCommerce's products/batch (100 a call). A failed push stays due, its error and
attempts on the listing, and is retried with backoff (1, 2, 4 ... 60 minutes) by the same job,
which the scheduler also runs every minute. The listings' `push_pending` + `next_push_at` index is
the queue: no backlog of other rows delays it."""

from __future__ import annotations

import math

import frappe
from frappe.utils import add_to_date, now_datetime

from oms_omnichannel.channels.connectors import ADAPTERS, is_connected, platform_of
from oms_omnichannel.channels.connectors.client import PlatformClient, PlatformError, backoff_minutes
from oms_omnichannel.core.connectors import SHOPIFY, WOOCOMMERCE, shopify, woocommerce
from oms_omnichannel.inventory.atp import get_atp

JOB = "oms_omnichannel.channels.connectors.stock.push_due_stock"


def on_channel_stock_update(doc, method=None) -> None:
	"""doc_events hook (Channel Stock Update, after_insert): the channel's listings of the item
	are due now, and the push job is queued for after the commit."""
	if not is_connected(doc.sales_channel):
		return
	Listing = frappe.qb.DocType("Channel Listing")
	(
		frappe.qb.update(Listing)
		.set(Listing.push_pending, 1)
		.set(Listing.next_push_at, now_datetime())
		.where(
			(Listing.sales_channel == doc.sales_channel)
			& (Listing.item == doc.item)
			& (Listing.is_active == 1)
		)
		.run()
	)

	queue_push()


def queue_push() -> None:
	frappe.enqueue(JOB, queue="short", job_id="oms-stock-push", deduplicate=True, enqueue_after_commit=True)


def due_listings() -> list:
	return frappe.get_all(
		"Channel Listing",
		filters={"push_pending": 1, "next_push_at": ("<=", now_datetime()), "is_active": 1},
		fields=[
			"name", "sales_channel", "item", "channel_sku", "platform_product_id", "platform_variant_id",
			"platform_inventory_item_id", "push_attempts",
		],
		order_by="sales_channel asc, item asc",
	)  # fmt: skip


def push_due_stock() -> dict:
	"""Background job and scheduler event: push every due listing; returns {pushed, failed}."""
	counts = {"pushed": 0, "failed": 0}
	by_channel: dict[str, list] = {}
	for listing in due_listings():
		by_channel.setdefault(listing.sales_channel, []).append(listing)
	for channel, listings in by_channel.items():
		if not is_connected(channel):
			frappe.db.set_value(
				"Channel Listing", [l.name for l in listings], "push_pending", 0, update_modified=False
			)
			continue
		pushed, failed = push_channel(channel, listings)
		counts["pushed"] += pushed
		counts["failed"] += failed
	return counts


def quantities(channel: str, listings: list) -> dict[str, int]:
	"""The whole units the channel may sell per item (never negative: platforms take no backorder)."""
	atp = get_atp(sorted({l.item for l in listings}), channel)
	return {item: max(0, math.floor(answer["total"])) for item, answer in atp.items()}


def push_channel(channel: str, listings: list) -> tuple[int, int]:
	try:
		client = PlatformClient(channel)
	except PlatformError as error:
		for listing in listings:
			record_failure(listing, error.message)
		return 0, len(listings)
	qty = quantities(channel, listings)
	platform = platform_of(channel)
	calls, unready = [], []
	if platform == SHOPIFY:
		location = frappe.db.get_value("Sales Channel", channel, "platform_location_id")
		levels = []
		for listing in listings:
			inventory_item = listing.platform_inventory_item_id or shopify_inventory_item(client, listing)
			if not location or not inventory_item:
				unready.append(listing)
				continue
			levels.append((listing.name, inventory_item, qty[listing.item]))
		calls = shopify.stock_requests(location or "", levels)
		missing = (
			"Shopify Location ID of the channel is not set"
			if not location
			else "no Shopify Inventory Item ID, and no Platform Variant ID to find it"
		)
	elif platform == WOOCOMMERCE:
		levels = []
		for listing in listings:
			product = listing.platform_product_id or (
				listing.channel_sku if listing.channel_sku.isdigit() else ""
			)
			if not product.isdigit() or (
				listing.platform_variant_id and not listing.platform_variant_id.isdigit()
			):
				unready.append(listing)
				continue
			levels.append((listing.name, product, listing.platform_variant_id or "", qty[listing.item]))
		calls = woocommerce.stock_requests(levels)
		missing = "no numeric Platform Product ID (or Channel SKU) to update on WooCommerce"
	for listing in unready:
		record_failure(listing, missing)
	by_name = {listing.name: listing for listing in listings}
	pushed = failed = 0
	for call in calls:
		try:
			client.send(call)
		except PlatformError as error:
			for name in call.items:
				record_failure(by_name[name], error.message)
			failed += len(call.items)
			continue
		for name in call.items:
			record_success(by_name[name], qty[by_name[name].item])
		pushed += len(call.items)
	return pushed, failed + len(unready)


def shopify_inventory_item(client: PlatformClient, listing) -> str | None:
	"""The inventory item of the listing's variant, asked of Shopify once and kept on the listing."""
	variant = listing.platform_variant_id or (listing.channel_sku if listing.channel_sku.isdigit() else "")
	if not variant:
		return None
	try:
		answer = client.send(shopify.variant_request(variant))
	except PlatformError:
		return None
	inventory_item = str((answer.get("variant") or {}).get("inventory_item_id") or "")
	if inventory_item:
		frappe.db.set_value(
			"Channel Listing",
			listing.name,
			"platform_inventory_item_id",
			inventory_item,
			update_modified=False,
		)
	return inventory_item or None


def record_success(listing, qty: int) -> None:
	frappe.db.set_value(
		"Channel Listing",
		listing.name,
		{
			"last_pushed_qty": qty,
			"last_pushed_at": now_datetime(),
			"push_pending": 0,
			"push_attempts": 0,
			"push_error": None,
			"next_push_at": None,
		},
		update_modified=False,
	)


def record_failure(listing, message: str) -> None:
	attempts = (listing.push_attempts or 0) + 1
	frappe.db.set_value(
		"Channel Listing",
		listing.name,
		{
			"push_pending": 1,
			"push_attempts": attempts,
			"push_error": message[:1000],
			"next_push_at": add_to_date(now_datetime(), minutes=backoff_minutes(attempts)),
		},
		update_modified=False,
	)


def retry_due_pushes() -> None:
	"""Scheduler (every minute): queue the push job when a failed push is due again."""
	if frappe.db.exists("Channel Listing", {"push_pending": 1, "next_push_at": ("<=", now_datetime())}):
		queue_push()
