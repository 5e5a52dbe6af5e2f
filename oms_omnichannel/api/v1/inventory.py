"""Inventory over REST: available to promise per channel.

GET /api/method/oms_omnichannel.api.v1.inventory.atp?items=["SKU-1","SKU-2"]&sales_channel=Web Store
"""

from __future__ import annotations

import frappe
from frappe import _

from oms_omnichannel.api.v1.orders import parse_json_argument
from oms_omnichannel.inventory.atp import get_atp
from oms_omnichannel.utils import InvalidArgument, check_arguments

MAX_ITEMS = 500


@frappe.whitelist(methods=["GET"])
@check_arguments
@frappe.read_only()
def atp(items: list[str] | str | None = None, sales_channel: str | None = None) -> dict:
	"""Available to promise for items (all stock items when omitted, up to 500) on a channel."""
	frappe.has_permission("OMS Stock Balance", "read", throw=True)
	if sales_channel:
		if not frappe.db.exists("Sales Channel", sales_channel):
			frappe.throw(
				_("Sales Channel {0} does not exist").format(sales_channel), frappe.DoesNotExistError
			)
		frappe.has_permission("Sales Channel", "read", doc=sales_channel, throw=True)
	if isinstance(items, str):
		items = parse_json_argument(items, "items") if items.strip().startswith("[") else [items]
	if items is None:
		items = frappe.get_all(
			"OMS Item",
			filters={"disabled": 0, "is_stock_item": 1},
			pluck="name",
			limit=MAX_ITEMS,
			order_by="name",
		)
	if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
		frappe.throw(_("items: must be a list of SKUs"), InvalidArgument, title=_("Invalid items"))
	if len(items) > MAX_ITEMS:
		frappe.throw(
			_("items: at most {0} per request").format(MAX_ITEMS), InvalidArgument, title=_("Too many items")
		)
	return {"sales_channel": sales_channel, "items": get_atp(items, sales_channel)}
