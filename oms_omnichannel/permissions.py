"""Row-level access: every rule on which rows a user may see and change, in one place.

Two kinds of limited users:
- channel users (Channel Manager, OMS Integration) with User Permissions on `Sales Channel`:
  only their channels (the Sales Channel records themselves) and those channels' orders,
  listings, stock updates, intake logs and customers;
- store staff (Store Associate) with a User Permission on their `Stock Location`: only their
  store's orders (its own channel's and every channel's pickups there), stock, and the
  shipments and returns at the store or of its orders.
A user who also holds a wider role (OMS Manager, Order Processor, Customer Service...) is not
limited. Role permissions (the DocType JSON) still decide *what* a user may do; these rules only
narrow *which rows*.

Frappe's own User Permission check already filters the Link fields pointing at a restricted
DocType. The rules here repeat that for the channel DocTypes on purpose: Frappe lets a user
without any User Permission see every row and lets rows with an empty link through, where these
rules fail closed (no channel or store, no rows). Where a row belongs to a channel or store in a
way no single Link says (a customer through its orders and identities, a shipment through its
order's pickup location, a return through its order), the Link fields involved carry
`ignore_user_permissions` and the rule below decides alone.

Each rule is a pair: `query(scope)` gives the SQL condition for lists, reports and searches
(`permission_query_conditions`), `allows(doc, scope)` the same decision for one document
(`has_permission`). `RULES` says which DocType uses which; hooks.py registers every DocType in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import frappe
from frappe.permissions import get_allowed_docs_for_doctype

CHANNEL_ROLES = {"Channel Manager", "OMS Integration"}
# Roles that see every channel's rows.
ALL_CHANNEL_ROLES = {"Administrator", "System Manager", "OMS Manager", "Order Processor", "Customer Service"}
STORE_ROLE = "Store Associate"
# Roles that see every store's rows.
ALL_STORE_ROLES = ALL_CHANNEL_ROLES | {
	"Logistics Coordinator",
	"Channel Manager",
	"OMS Analyst",
	"Inventory Manager",
}
DENY_ALL = "1=0"


# ---------------------------------------------------------------- who is limited, to what


@dataclass(frozen=True)
class ChannelScope:
	channels: tuple[str, ...]


@dataclass(frozen=True)
class StoreScope:
	stores: tuple[str, ...]
	channels: tuple[str, ...]  # the stores' own channels (their POS)


def permitted(user: str, doctype: str) -> tuple[str, ...]:
	"""The records of `doctype` the user has User Permissions on."""
	rows = frappe.permissions.get_user_permissions(user).get(doctype, [])
	return tuple(sorted(set(get_allowed_docs_for_doctype(rows, doctype))))


def channel_scope(user: str) -> ChannelScope | None:
	"""The channels a channel-only user works for; None when the user is not limited."""
	roles = set(frappe.get_roles(user))
	if not roles & CHANNEL_ROLES or roles & ALL_CHANNEL_ROLES:
		return None
	return ChannelScope(permitted(user, "Sales Channel"))


def store_scope(user: str) -> StoreScope | None:
	"""The stores (and their channels) a store-only user works for; None when not limited."""
	roles = set(frappe.get_roles(user))
	if STORE_ROLE not in roles or roles & ALL_STORE_ROLES:
		return None
	stores = permitted(user, "Stock Location")
	channels = (
		frappe.get_all("Sales Channel", filters={"store_location": ("in", stores)}, pluck="name")
		if stores
		else []
	)
	return StoreScope(stores, tuple(sorted(channels)))


def sql_in(column: str, values) -> str:
	"""`column in ('a', 'b')`, escaped; never true for no values."""
	if not values:
		return DENY_ALL
	return f"{column} in ({', '.join(frappe.db.escape(v) for v in values)})"


def any_of(*conditions: str) -> str:
	kept = [c for c in conditions if c != DENY_ALL]
	return "(" + " or ".join(kept) + ")" if kept else DENY_ALL


# ---------------------------------------------------------------- the rules, one per kind of row


def channel_row_query(doctype: str, scope: ChannelScope) -> str:
	"""A row of one channel (its `sales_channel`): orders, listings, stock updates, intake logs."""
	return sql_in(f"`tab{doctype}`.`sales_channel`", scope.channels)


def channel_row_allows(doc, scope: ChannelScope) -> bool:
	return bool(doc.get("sales_channel")) and doc.sales_channel in scope.channels


def channel_self_query(doctype: str, scope: ChannelScope) -> str:
	"""The channels themselves: a channel user sees (and may use, e.g. for intake) only theirs."""
	return sql_in("`tabSales Channel`.`name`", scope.channels)


def channel_self_allows(doc, scope: ChannelScope) -> bool:
	return doc.name in scope.channels


def channel_customer_query(doctype: str, scope: ChannelScope) -> str:
	"""A customer who came from, has an identity on, or ordered through a permitted channel."""
	if not scope.channels:
		return DENY_ALL
	channels = ", ".join(frappe.db.escape(c) for c in scope.channels)
	# safe-sql: permission query conditions are SQL text by Frappe's design; channels are escaped above
	return (
		f"(`tabCustomer Profile`.`first_channel` in ({channels})"
		" or exists (select 1 from `tabCustomer Channel Identity` identity"
		" where identity.`parent` = `tabCustomer Profile`.`name`"
		" and identity.`parenttype` = 'Customer Profile'"
		f" and identity.`sales_channel` in ({channels}))"
		" or exists (select 1 from `tabOMS Order` channel_order"
		" where channel_order.`customer` = `tabCustomer Profile`.`name`"
		f" and channel_order.`sales_channel` in ({channels})))"
	)


def channel_customer_allows(doc, scope: ChannelScope) -> bool:
	channels = set(scope.channels)
	if not channels:
		return False
	if doc.get("first_channel") in channels:
		return True
	if any(row.sales_channel in channels for row in doc.get("channel_identities") or []):
		return True
	return not doc.is_new() and bool(
		frappe.db.exists("OMS Order", {"customer": doc.name, "sales_channel": ("in", list(channels))})
	)


def store_order_sql(alias: str, scope: StoreScope) -> str:
	"""An order (`alias`) of the store: its own channel's, or any channel's to pick up there."""
	return any_of(
		sql_in(f"{alias}.`pickup_location`", scope.stores), sql_in(f"{alias}.`sales_channel`", scope.channels)
	)


def is_store_order(order, scope: StoreScope) -> bool:
	return bool(order) and (
		(order.get("pickup_location") or None) in scope.stores
		or (order.get("sales_channel") or None) in scope.channels
	)


def store_order_query(doctype: str, scope: StoreScope) -> str:
	"""The store's own channel's orders and every channel's orders to pick up there."""
	return store_order_sql("`tabOMS Order`", scope)


def store_order_allows(doc, scope: StoreScope) -> bool:
	return is_store_order(doc, scope)


def store_stock_query(doctype: str, scope: StoreScope) -> str:
	"""Stock at the store."""
	return sql_in(f"`tab{doctype}`.`location`", scope.stores)


def store_stock_allows(doc, scope: StoreScope) -> bool:
	return doc.get("location") in scope.stores


def store_customer_query(doctype: str, scope: StoreScope) -> str:
	"""A customer with an order of the store (its own channel's, or a pickup there)."""
	# safe-sql: permission query conditions are SQL text by Frappe's design; store_order_sql escapes values
	return (
		"exists (select 1 from `tabOMS Order` store_order"
		" where store_order.`customer` = `tabCustomer Profile`.`name`"
		f" and {store_order_sql('store_order', scope)})"
	)


def store_customer_allows(doc, scope: StoreScope) -> bool:
	if doc.is_new():
		return True  # a walk-in customer the store records; their orders then tie them to it
	orders = frappe.get_all(
		"OMS Order", filters={"customer": doc.name}, fields=["pickup_location", "sales_channel"]
	)
	return any(is_store_order(order, scope) for order in orders)


# The store's documents of an order: those at the store (the location field named here), and
# those of the store's orders (pickups there included, wherever they ship from).
STORE_DOCUMENT_LOCATION = {"OMS Shipment": "source_location", "Return Request": "return_location"}


def store_document_query(doctype: str, scope: StoreScope) -> str:
	"""Shipments leaving the store and returns brought there, and those of the store's orders."""
	# safe-sql: doctype and its location field come from RULES and STORE_DOCUMENT_LOCATION (metadata); values are escaped by sql_in and store_order_sql
	return any_of(
		sql_in(f"`tab{doctype}`.`{STORE_DOCUMENT_LOCATION[doctype]}`", scope.stores),
		"exists (select 1 from `tabOMS Order` store_order"
		f" where store_order.`name` = `tab{doctype}`.`order` and {store_order_sql('store_order', scope)})",
	)


def store_document_allows(doc, scope: StoreScope) -> bool:
	if doc.get(STORE_DOCUMENT_LOCATION[doc.doctype]) in scope.stores:
		return True
	order = doc.get("order") and frappe.db.get_value(
		"OMS Order", doc.order, ["pickup_location", "sales_channel"], as_dict=True
	)
	return is_store_order(order, scope)


@dataclass(frozen=True)
class Rule:
	scope: Callable[[str], object]  # user -> the user's scope, None when not limited
	query: Callable[[str, object], str]
	allows: Callable[[object, object], bool]


CHANNEL_SELF = Rule(channel_scope, channel_self_query, channel_self_allows)
CHANNEL_ROW = Rule(channel_scope, channel_row_query, channel_row_allows)
CHANNEL_CUSTOMER = Rule(channel_scope, channel_customer_query, channel_customer_allows)
STORE_ORDER = Rule(store_scope, store_order_query, store_order_allows)
STORE_STOCK = Rule(store_scope, store_stock_query, store_stock_allows)
STORE_DOCUMENT = Rule(store_scope, store_document_query, store_document_allows)
STORE_CUSTOMER = Rule(store_scope, store_customer_query, store_customer_allows)

# Which DocType uses which rules; a row must pass all of them. hooks.py registers these DocTypes.
RULES: dict[str, tuple[Rule, ...]] = {
	"Sales Channel": (CHANNEL_SELF,),
	"OMS Order": (CHANNEL_ROW, STORE_ORDER),
	"Channel Listing": (CHANNEL_ROW,),
	"Channel Stock Update": (CHANNEL_ROW,),
	"Intake Log": (CHANNEL_ROW,),
	"Customer Profile": (CHANNEL_CUSTOMER, STORE_CUSTOMER),
	"OMS Stock Balance": (STORE_STOCK,),
	"OMS Shipment": (STORE_DOCUMENT,),
	"Return Request": (STORE_DOCUMENT,),
}


# ---------------------------------------------------------------- for reports


# ---------------------------------------------------------------- prepared report results

# Who may read any user's prepared report results; everyone else reads only the ones they queued.
ALL_PREPARED_ROLES = {"Administrator", "System Manager"}


def oms_reports() -> list[str]:
	return frappe.get_all("Report", filters={"module": "OMS Omnichannel"}, pluck="name", order_by="name")


def sees_every_prepared_report(user: str) -> bool:
	return user == "Administrator" or bool(ALL_PREPARED_ROLES & set(frappe.get_roles(user)))


def prepared_report_query(user: str | None = None) -> str:
	"""Hook (`permission_query_conditions` of Prepared Report). A prepared result of an OMS report
	holds the rows its owner may see (the job runs as the user who queued it); Frappe lets anyone
	who may open the report list and download it. Here only its owner can."""
	user = user or frappe.session.user
	if sees_every_prepared_report(user):
		return ""
	reports = oms_reports()
	if not reports:
		return ""
	return any_of(
		f"`tabPrepared Report`.`report_name` not in ({', '.join(frappe.db.escape(r) for r in reports)})",
		f"`tabPrepared Report`.`owner` = {frappe.db.escape(user)}",
	)


def prepared_report_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Hook (`has_permission` of Prepared Report): the same rule for one document."""
	user = user or frappe.session.user
	if sees_every_prepared_report(user) or doc.owner == user or doc.report_name not in oms_reports():
		return None
	return False


# ---------------------------------------------------------------- the hooks


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Hook (`permission_query_conditions`): the rows of `doctype` the user may list."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	if doctype not in RULES:
		return DENY_ALL  # registered in hooks.py but without a rule here: fail closed
	conditions = []
	for rule in RULES[doctype]:
		scope = rule.scope(user)
		if scope is not None:
			conditions.append(rule.query(doctype, scope))
	return " and ".join(conditions)


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Hook (`has_permission`): whether the user may touch this one document (None: no objection)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	rules = RULES.get(doc.doctype)
	if rules is None:
		return False
	for rule in rules:
		scope = rule.scope(user)
		if scope is not None and not rule.allows(doc, scope):
			return False
	return None
