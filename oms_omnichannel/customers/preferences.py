"""A customer's preferences, derived from their order history: the most frequent channel,
delivery method, store and item categories. A profile whose preferences were set by hand
(`preferences_locked`) keeps them."""

from __future__ import annotations

from collections import defaultdict

import frappe
from frappe.utils import get_datetime

from oms_omnichannel.core.customers import favourites, most_frequent

PROFILE = "Customer Profile"
FIELDS = ("preferred_channel", "preferred_delivery_method", "preferred_store", "favourite_categories")


def derive_preferences(profiles: list[str]) -> dict[str, dict]:
	"""{profile: {field: value}} from the submitted orders of these profiles: two queries for all."""
	if not profiles:
		return {}
	order = frappe.qb.DocType("OMS Order")
	rows = (
		frappe.qb.from_(order)
		.select(order.name, order.customer, order.sales_channel, order.delivery_method, order.pickup_location)
		.where((order.customer.isin(profiles)) & (order.docstatus == 1) & (order.status != "Cancelled"))
		.orderby(order.order_datetime)
		.orderby(order.name)
		.run(as_dict=True)
	)
	line, item = frappe.qb.DocType("OMS Order Item"), frappe.qb.DocType("OMS Item")
	categories = defaultdict(list)
	if rows:
		for parent, category in (
			frappe.qb.from_(line)
			.join(item)
			.on(item.name == line.item)
			.select(line.parent, item.category)
			.where(line.parent.isin([row.name for row in rows]) & (line.parenttype == "OMS Order"))
			.run()
		):
			categories[parent].append(category)
	history = defaultdict(list)
	for row in rows:
		history[row.customer].append(row)
	return {profile: preferences_of(history[profile], categories) for profile in profiles}


def preferences_of(orders: list, categories: dict[str, list]) -> dict:
	"""{field: value} from one customer's orders, oldest first (`categories`: by order name, the
	categories of its lines)."""
	return {
		"preferred_channel": most_frequent([o.sales_channel for o in orders]),
		"preferred_delivery_method": most_frequent([o.delivery_method for o in orders]),
		"preferred_store": most_frequent([o.pickup_location for o in orders]),
		"favourite_categories": "\n".join(favourites([c for o in orders for c in categories[o.name]]))
		or None,
	}


def set_preferences_of_new_profiles(profiles: list, orders: list) -> None:
	"""Profiles about to be inserted with their first orders (order intake): their preferences
	come from those in-memory orders, with no query and no update afterwards."""
	history = defaultdict(list)
	for order in sorted(orders, key=lambda o: (get_datetime(o.order_datetime), o.name)):
		if order.status != "Cancelled":
			history[order.customer].append(order)
	categories = {
		order.name: [frappe.get_cached_value("OMS Item", row.item, "category") for row in order.items]
		for order in orders
	}
	for profile in profiles:
		if not profile.preferences_locked:
			profile.update(preferences_of(history[profile.name], categories))


def update_preferences(profiles: list[str]) -> None:
	"""Store the derived preferences of these profiles, except where they are locked."""
	if not profiles:
		return
	current = {
		row.name: row
		for row in frappe.get_all(
			PROFILE,
			filters={"name": ("in", profiles), "preferences_locked": 0},
			fields=["name", *FIELDS],
		)
	}
	same_change: dict[tuple, list[str]] = defaultdict(list)  # one UPDATE per distinct change
	for profile, values in derive_preferences(sorted(current)).items():
		changed = {
			field: value for field, value in values.items() if (current[profile].get(field) or None) != value
		}
		if changed:
			same_change[tuple(sorted(changed.items()))].append(profile)
	for changed, names in same_change.items():
		frappe.db.set_value(
			PROFILE,
			names[0] if len(names) == 1 else {"name": ("in", names)},
			dict(changed),
			update_modified=False,
		)
