"""Demo step: opening stock at every demo location (one Receipt per location, posted once)."""

from __future__ import annotations

import random

import frappe

OPENING_REASON = "Opening stock (demo)"


def create_opening_stock(rng: random.Random) -> None:
	items = frappe.get_all(
		"OMS Item",
		filters={"disabled": 0, "is_stock_item": 1},
		fields=["name", "standard_price"],
		order_by="name",
	)
	locations = frappe.get_all(
		"Stock Location", filters={"disabled": 0}, fields=["name", "location_type"], order_by="name"
	)
	for location in locations:
		if frappe.db.exists(
			"OMS Stock Entry", {"to_location": location.name, "reason": OPENING_REASON, "docstatus": 1}
		):
			continue
		big = location.location_type in ("Warehouse", "3PL")
		rows = []
		for item in items:
			qty = rng.randint(20, 120) if big else rng.choice([0, 0, 2, 4, 6, 8, 12])
			if qty:
				rows.append(
					{
						"item": item.name,
						"qty": qty,
						"valuation_rate": round((item.standard_price or 10) * 0.45, 2),
					}
				)
		if not rows:
			continue
		entry = frappe.get_doc(
			{
				"doctype": "OMS Stock Entry",
				"entry_type": "Receipt",
				"to_location": location.name,
				"to_status": "Available",
				"reason": OPENING_REASON,
				"items": rows,
			}
		)
		entry.insert(ignore_permissions=True)
		entry.submit()
