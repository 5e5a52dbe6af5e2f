"""Committed records for the fault scenarios (they drive the site over HTTP from other processes),
what the scenarios check afterwards, and their removal. Called by `.ci/faults` through
`bench --site <site> execute oms_omnichannel.tests.faults.fixtures.<prepare|check|teardown>`."""

from __future__ import annotations

import json

import frappe
from frappe.installer import update_site_config
from frappe.utils import cint

from oms_omnichannel.bulk import insert_new_documents
from oms_omnichannel.inventory.integrity import find_drift
from oms_omnichannel.setup.install import stored_settings
from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.rest import ApiUser
from oms_omnichannel.tests.sales_scenario import ensure_currency
from oms_omnichannel.tests.utils import (
	make_channel,
	make_item,
	make_location,
	receive,
	restore_settings,
	test_settings_baseline,
	unique,
	use_settings,
)

USER = "oms.faults.{}@example.com"
ROLES = {"integration": "OMS Integration", "inventory": "Inventory Manager", "manager": "OMS Manager"}
# What the scenarios rely on, whatever the site's own settings are.
SETTINGS = {
	"intake_async_threshold": 100,  # a batch of more orders is queued for a background job
	"intake_batch_limit": 2000,
	"lock_retry_attempts": 3,
}
# Site config: requests a minute per API key; the scenarios post faster than a channel may.
RATE_LIMIT = ("oms_intake_rate_limit", 1_000_000)
RECEIPT_LINES = 5000  # the long administrative job: a stock receipt of this many lines
ORDER_ITEM_STOCK = 1_000_000  # enough that no scenario's order waits for stock


def prepare(path: str) -> None:
	frappe.set_user("Administrator")
	teardown_records()  # what an interrupted run may have left
	settings = stored_settings()
	rate_limit = frappe.conf.get(RATE_LIMIT[0])
	update_site_config(*RATE_LIMIT)
	use_settings({**test_settings_baseline(), **{k: v for k, v in SETTINGS.items() if has_setting(k)}})
	location = make_location(location_name=unique("LOC-FAULTS")).name
	channel = make_channel(
		currency=ensure_currency(frappe.db.get_single_value("OMS Settings", "default_currency") or "EUR"),
		fulfilment_locations=[{"location": location, "priority": 1}],
	).name
	order_items = [make_item(item_name=f"Fault Item {n}").name for n in range(3)]
	for item in order_items:
		receive(item, location, ORDER_ITEM_STOCK)
	# The receipt's items, made at once (a receipt of 5,000 lines needs 5,000 items); the orders'
	# items are among them, so orders and the receipt want the same balance rows.
	receipt_items = [unique("SKU-FAULTS-R") for _ in range(RECEIPT_LINES - len(order_items))]
	insert_new_documents(
		frappe.get_doc(
			{"doctype": "OMS Item", "name": sku, "sku": sku, "item_name": sku, "standard_price": 10}
		)
		for sku in receipt_items
	)
	# an integration posts for its own channel only (User Permission), as a channel's keys would
	users = {
		key: ApiUser(USER.format(key), [role], {"Sales Channel": [channel]} if key == "integration" else None)
		for key, role in ROLES.items()
	}
	frappe.db.commit()
	with open(path, "w") as handle:
		json.dump(
			{
				"site": frappe.local.site,
				"channel": channel,
				"location": location,
				"order_items": order_items,
				"receipt_items": [*order_items, *receipt_items],
				"headers": {key: user.headers for key, user in users.items()},
				"settings": settings,
				"rate_limit": rate_limit,
			},
			handle,
			indent=1,
		)


def has_setting(fieldname: str) -> bool:
	return bool(frappe.get_meta("OMS Settings").get_field(fieldname))


def check(path: str, channel_order_ids_file: str) -> dict:
	"""What the scenarios assert on, printed as one JSON line: orders per channel order id (of the
	ids in the file), the orders that are not whole, the Intake Logs by outcome, the site's drift."""
	frappe.set_user("Administrator")
	with open(path) as handle:
		data = json.load(handle)
	with open(channel_order_ids_file) as handle:
		channel_order_ids = json.load(handle)
	channel = data["channel"]
	orders = frappe.get_all(
		"OMS Order",
		filters={"sales_channel": channel, "channel_order_id": ("in", channel_order_ids or [""])},
		fields=["name", "channel_order_id", "docstatus"],
	)
	counts: dict[str, int] = {}
	for order in orders:
		counts[order.channel_order_id] = counts.get(order.channel_order_id, 0) + 1
	result = {
		"orders": counts,
		"not_whole": not_whole([order.name for order in orders]),
		"logs": {
			row.outcome: row.count
			for row in frappe.get_all(
				"Intake Log",
				filters={"sales_channel": channel},
				fields=["outcome", "count(name) as count"],
				group_by="outcome",
			)
		},
		"drift": [drift.__dict__ for drift in find_drift()],
	}
	print("FAULTS-CHECK " + json.dumps(result, default=str))
	return result


def not_whole(orders: list[str]) -> list[str]:
	"""Orders missing part of what intake writes in one transaction: submitted, three lines, each
	line reserved in full (the items have stock enough), reservations matching the lines, a status
	log."""
	if not orders:
		return []
	lines = frappe.get_all(
		"OMS Order Item",
		filters={"parent": ("in", orders), "parenttype": "OMS Order"},
		fields=["parent", "qty", "reserved_qty"],
	)
	reserved = {
		row.voucher_no: row.qty
		for row in frappe.get_all(
			"OMS Stock Reservation",
			filters={"voucher_no": ("in", orders)},
			fields=["voucher_no", "sum(reserved_qty) as qty"],
			group_by="voucher_no",
		)
	}
	logged = set(
		frappe.get_all(
			"OMS Order Status Log", filters={"parent": ("in", orders)}, pluck="parent", distinct=True
		)
	)
	by_order: dict[str, list] = {}
	for line in lines:
		by_order.setdefault(line.parent, []).append(line)
	broken = []
	for order in orders:
		rows = by_order.get(order, [])
		if (
			cint(frappe.db.get_value("OMS Order", order, "docstatus")) != 1
			or len(rows) != 3
			or any(row.reserved_qty != row.qty for row in rows)
			or reserved.get(order, 0) != sum(row.reserved_qty for row in rows)
			or order not in logged
		):
			broken.append(order)
	return broken


def teardown(path: str | None = None) -> None:
	"""Remove every record of the run; put OMS Settings back as the site had them."""
	frappe.set_user("Administrator")
	data = {}
	if path:
		try:
			with open(path) as handle:
				data = json.load(handle)
		except (OSError, ValueError):
			pass
	teardown_records()
	if data.get("settings") is not None:
		restore_settings(data["settings"])
	if "rate_limit" in data:
		update_site_config(RATE_LIMIT[0], data["rate_limit"] if data["rate_limit"] is not None else "None")
	frappe.db.commit()


def teardown_records() -> None:
	purge_committed_test_records()  # the run's channel, location and items, and all that hangs on them
	for key in ROLES:
		email = USER.format(key)
		frappe.db.delete("User Permission", {"user": email})
		if frappe.db.exists("User", email):
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
	frappe.db.commit()
