"""Store staff see their store's orders: those of the store's own channel (its POS) and every
channel's orders to be picked up there, so an online order for click & collect is on the store's
list the moment it arrives (data shared across channels).

A store associate is a user with the Store Associate role and a User Permission on the Stock
Location they work at. Users with a wider role (order processing, customer service, managers)
are not limited by these rules.
"""

from __future__ import annotations

import frappe

STORE_ROLE = "Store Associate"
WIDER_ROLES = {
	"Administrator",
	"System Manager",
	"OMS Manager",
	"Order Processor",
	"Customer Service",
	"Logistics Coordinator",
	"Channel Manager",
	"OMS Analyst",
	"Inventory Manager",
}


def store_scope(user: str) -> tuple[list[str], list[str]] | None:
	"""(stores, their channels) a store-only user works for; None when the user is not limited."""
	roles = set(frappe.get_roles(user))
	if STORE_ROLE not in roles or roles & WIDER_ROLES:
		return None
	permitted = frappe.permissions.get_user_permissions(user).get("Stock Location", [])
	stores = sorted({row.get("doc") for row in permitted if row.get("doc")})
	channels = (
		frappe.get_all("Sales Channel", filters={"store_location": ("in", stores)}, pluck="name")
		if stores
		else []
	)
	return stores, channels


def order_query_conditions(user: str | None = None) -> str:
	"""Hook (`permission_query_conditions`): the store's orders in lists, reports and searches."""
	scope = store_scope(user or frappe.session.user)
	if scope is None:
		return ""
	stores, channels = scope
	if not stores:
		return "1=0"
	conditions = [f"`tabOMS Order`.`pickup_location` in ({', '.join(frappe.db.escape(s) for s in stores)})"]
	if channels:
		conditions.append(
			f"`tabOMS Order`.`sales_channel` in ({', '.join(frappe.db.escape(c) for c in channels)})"
		)
	return "(" + " or ".join(conditions) + ")"


def order_has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""Hook (`has_permission`): the same rule for one order."""
	scope = store_scope(user or frappe.session.user)
	if scope is None:
		return None
	stores, channels = scope
	return doc.pickup_location in stores or doc.sales_channel in channels
