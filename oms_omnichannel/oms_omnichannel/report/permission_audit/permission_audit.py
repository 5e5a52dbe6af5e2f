# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Who may do what in the OMS: every user with an OMS role, their OMS roles, and the channels and
stock locations their User Permissions limit them to (empty: not limited by that DocType)."""

import frappe
from frappe import _
from frappe.query_builder import Order

from oms_omnichannel.hooks import OMS_ROLES

AUDITORS = ("OMS Manager", "System Manager")  # as the report's roles
SCOPES = {"Sales Channel": "sales_channels", "Stock Location": "stock_locations"}


@frappe.read_only()
def execute(filters: dict | None = None):
	if not set(AUDITORS) & set(frappe.get_roles()):
		frappe.throw(
			_("Only {0} may audit permissions").format(_(" or ").join(_(role) for role in AUDITORS)),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	filters = frappe._dict(filters or {})
	roles = [filters.role] if filters.role else OMS_ROLES
	users = users_with_roles(roles, filters.user, bool(filters.include_disabled))
	oms_roles = roles_of(list(users), OMS_ROLES)
	scopes = user_permissions(list(users))
	data = [
		{
			"user": user,
			"full_name": info.full_name,
			"enabled": info.enabled,
			"roles": ", ".join(oms_roles.get(user, [])),
			**{column: ", ".join(scopes.get((user, doctype), [])) for doctype, column in SCOPES.items()},
		}
		for user, info in users.items()
	]
	return columns(), data


def users_with_roles(roles: list[str], user: str | None, include_disabled: bool) -> dict:
	User, HasRole = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
	query = (
		frappe.qb.from_(User)
		.join(HasRole)
		.on((HasRole.parent == User.name) & (HasRole.parenttype == "User"))
		.select(User.name, User.full_name, User.enabled)
		.distinct()
		.where(HasRole.role.isin(roles))
		.orderby(User.name, order=Order.asc)
	)
	if user:
		query = query.where(User.name == user)
	if not include_disabled:
		query = query.where(User.enabled == 1)
	return {row.name: row for row in query.run(as_dict=True)}


def roles_of(users: list[str], roles: list[str]) -> dict[str, list[str]]:
	if not users:
		return {}
	found: dict[str, list[str]] = {}
	for row in frappe.get_all(
		"Has Role",
		filters={"parent": ("in", users), "parenttype": "User", "role": ("in", roles)},
		fields=["parent", "role"],
	):
		found.setdefault(row.parent, []).append(row.role)
	order = {role: i for i, role in enumerate(roles)}
	return {user: sorted(found_roles, key=order.get) for user, found_roles in found.items()}


def user_permissions(users: list[str]) -> dict[tuple[str, str], list[str]]:
	if not users:
		return {}
	found: dict[tuple[str, str], list[str]] = {}
	for row in frappe.get_all(
		"User Permission",
		filters={"user": ("in", users), "allow": ("in", list(SCOPES))},
		fields=["user", "allow", "for_value", "applicable_for"],
		order_by="for_value asc",
	):
		value = row.for_value + (
			f" ({_('only for {0}').format(row.applicable_for)})" if row.applicable_for else ""
		)
		found.setdefault((row.user, row.allow), []).append(value)
	return found


def columns() -> list[dict]:
	return [
		{"fieldname": "user", "label": _("User"), "fieldtype": "Link", "options": "User", "width": 240},
		{"fieldname": "full_name", "label": _("Full Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "enabled", "label": _("Enabled"), "fieldtype": "Check", "width": 80},
		{"fieldname": "roles", "label": _("OMS Roles"), "fieldtype": "Data", "width": 260},
		{"fieldname": "sales_channels", "label": _("Sales Channels"), "fieldtype": "Data", "width": 220},
		{"fieldname": "stock_locations", "label": _("Stock Locations"), "fieldtype": "Data", "width": 220},
	]
