"""Sourcing Rule records as core rules (two queries; read fresh so a rolled-back or just-saved
rule is never stale)."""

from __future__ import annotations

import frappe
from frappe.utils import flt

from oms_omnichannel.core.sourcing import SourcingRule


def get_sourcing_rules() -> list[SourcingRule]:
	"""Hook (`oms_sourcing_rules`): every enabled rule; the core decides which apply to each order."""
	rules = frappe.get_all(
		"Sourcing Rule",
		filters={"enabled": 1},
		fields=[
			"name",
			"sales_channel",
			"postcode_prefix",
			"region",
			"min_order_value",
			"max_order_value",
			"item_category",
			"never_split",
		],  # fmt: skip
		order_by="name",
	)
	if not rules:
		return []
	locations: dict[tuple[str, str], list[str]] = {}
	for row in frappe.get_all(
		"Sourcing Rule Location",
		filters={"parenttype": "Sourcing Rule", "parent": ("in", [r.name for r in rules])},
		fields=["parent", "parentfield", "location"],
		order_by="idx",
	):
		locations.setdefault((row.parent, row.parentfield), []).append(row.location)
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
