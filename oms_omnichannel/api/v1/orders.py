"""Order actions over REST (also behind the buttons of the OMS Order form).

POST /api/method/oms_omnichannel.api.v1.orders.<action>
Each checks the caller's permission on the order(s) it touches before doing anything.
"""

from __future__ import annotations

import frappe
from frappe import _

from oms_omnichannel.orders import actions, holds


def get_order(name: str, permission: str = "write"):
	if not name or not frappe.db.exists("OMS Order", name):
		frappe.throw(_("Order {0} does not exist").format(frappe.bold(name)), frappe.DoesNotExistError)
	order = frappe.get_doc("OMS Order", name)
	order.check_permission(permission)
	if order.docstatus != 1:
		frappe.throw(
			_("{0} is not submitted yet; submit it first").format(frappe.bold(name)), title=_("Not Submitted")
		)
	return order


def as_list(value) -> list:
	if isinstance(value, str):
		value = frappe.parse_json(value) if value.strip().startswith(("[", "{")) else [value]
	return value or []


def summary(order) -> dict:
	order.reload()
	return {
		"name": order.name,
		"status": order.status,
		"payment_status": order.payment_status,
		"grand_total": order.grand_total,
		"active_holds": [
			{"hold_type": row.hold_type, "reason": row.reason, "set_by": row.set_by}
			for row in holds.active_holds(order)
		],
	}


@frappe.whitelist(methods=["POST"])
def hold(order: str, hold_type: str = "Manual", reason: str = "") -> dict:
	doc = get_order(order)
	if not reason.strip():
		frappe.throw(
			_("A reason is required to hold an order"), frappe.MandatoryError, title=_("Missing Reason")
		)
	holds.place_hold(doc, hold_type, reason.strip())
	return summary(doc)


@frappe.whitelist(methods=["POST"])
def release_hold(order: str, hold_type: str | None = None, note: str = "") -> dict:
	doc = get_order(order)
	holds.release_hold(doc, hold_type or None, note)
	return summary(doc)


@frappe.whitelist(methods=["POST"])
def cancel(order: str, reason: str = "") -> dict:
	doc = get_order(order, "cancel")
	actions.cancel_order(doc, reason)
	return summary(doc)


@frappe.whitelist(methods=["POST"])
def modify(order: str, changes: dict | str) -> dict:
	doc = get_order(order)
	changes = frappe.parse_json(changes) if isinstance(changes, str) else changes
	if not isinstance(changes, dict) or not changes:
		frappe.throw(_("changes must be an object with the fields to change"), title=_("Invalid Change"))
	actions.modify_order(doc, changes)
	return summary(doc)


@frappe.whitelist(methods=["POST"])
def merge(orders: list[str] | str) -> dict:
	names = as_list(orders)
	for name in names:
		get_order(name)
	frappe.has_permission("OMS Order", "create", throw=True)
	merged = actions.merge_orders(names)
	return summary(frappe.get_doc("OMS Order", merged))


@frappe.whitelist(methods=["POST"])
def split(order: str, groups: list | str | None = None, by: str | None = None) -> dict:
	doc = get_order(order)
	frappe.has_permission("OMS Order", "create", throw=True)
	groups = frappe.parse_json(groups) if isinstance(groups, str) else groups
	new_orders = actions.split_order(doc, groups, by)
	return {
		"order": summary(doc),
		"new_orders": [summary(frappe.get_doc("OMS Order", n)) for n in new_orders],
	}
