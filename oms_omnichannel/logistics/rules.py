"""Sourcing Rule records as core rules (two plain queries, as sourcing runs for every order; read
fresh so a rolled-back or just-saved rule is never stale)."""

from __future__ import annotations

import frappe
from frappe.utils import flt

from oms_omnichannel.core.sourcing import SourcingRule


def get_sourcing_rules() -> list[SourcingRule]:
	"""Hook (`oms_sourcing_rules`): every enabled rule; the core decides which apply to each order."""
	rules = frappe.db.sql(
		"""SELECT `name`, `sales_channel`, `postcode_prefix`, `region`, `min_order_value`,
			`max_order_value`, `item_category`, `never_split`
		FROM `tabSourcing Rule` WHERE `enabled` = 1 ORDER BY `name`""",
		as_dict=True,
	)
	if not rules:
		return []
	locations: dict[tuple[str, str], list[str]] = {}
	for parent, parentfield, location in frappe.db.sql(
		"""SELECT `parent`, `parentfield`, `location` FROM `tabSourcing Rule Location`
		WHERE `parenttype` = 'Sourcing Rule' AND `parent` IN %s ORDER BY `idx`""",
		(tuple(rule.name for rule in rules),),
	):
		locations.setdefault((parent, parentfield), []).append(location)
	return [
		SourcingRule(
			name=rule.name,
			channel=rule.sales_channel or None,
			postcode_prefix=rule.postcode_prefix or None,
			region=rule.region or None,
			min_order_value=flt(rule.min_order_value) or None,
			max_order_value=flt(rule.max_order_value) or None,
			item_category=rule.item_category or None,
			allowed_locations=tuple(locations.get((rule.name, "allowed_locations"), ())),
			preferred_locations=tuple(locations.get((rule.name, "preferred_locations"), ())),
			never_split=bool(rule.never_split),
		)
		for rule in rules
	]
