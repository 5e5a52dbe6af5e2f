"""Factories for tier-2 tests: small, valid master records with unique names."""

from __future__ import annotations

import frappe


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=8).upper()}"


def make_location(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Stock Location",
			"location_name": values.pop("location_name", None) or unique("LOC"),
			"location_type": "Warehouse",
			"latitude": 52.52,
			"longitude": 13.40,
			"can_ship": 1,
			"priority": 10,
			**values,
		}
	)
	return doc.insert()


def make_category(name: str = "Test Category"):
	if not frappe.db.exists("OMS Item Category", name):
		frappe.get_doc({"doctype": "OMS Item Category", "category_name": name}).insert()
	return name


def make_item(**values):
	doc = frappe.get_doc(
		{
			"doctype": "OMS Item",
			"sku": values.pop("sku", None) or unique("SKU"),
			"item_name": values.pop("item_name", None) or "Test Item",
			"standard_price": 10,
			"weight_kg": 0.5,
			**values,
		}
	)
	return doc.insert()


def make_carrier(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Carrier",
			"carrier_name": values.pop("carrier_name", None) or unique("CARRIER"),
			"tracking_url_template": "https://track.example/{tracking_number}",
			**values,
		}
	)
	return doc.insert()


def make_delivery_method(**values):
	delivery_type = values.pop("delivery_type", "Standard")
	carrier = values.pop("carrier", None)
	if carrier is None and delivery_type != "Self Pickup":
		carrier = make_carrier().name
	doc = frappe.get_doc(
		{
			"doctype": "Delivery Method",
			"method_name": values.pop("method_name", None) or unique("METHOD"),
			"delivery_type": delivery_type,
			"carrier": carrier,
			"transit_days": 2,
			"base_cost": 4.9,
			"cost_per_kg": 0.5,
			**values,
		}
	)
	return doc.insert()


def make_channel(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Channel",
			"channel_name": values.pop("channel_name", None) or unique("CHANNEL"),
			"channel_type": values.pop("channel_type", "Online Store"),
			"currency": values.pop("currency", "USD"),
			**values,
		}
	)
	return doc.insert()


def make_customer(**values):
	doc = frappe.get_doc(
		{
			"doctype": "Customer Profile",
			"full_name": values.pop("full_name", "Test Customer"),
			"email": values.pop("email", None) or f"{unique('c').lower()}@example.com",
			**values,
		}
	)
	return doc.insert()


def make_stock_entry(entry_type: str, items: list[dict], submit: bool = True, **values):
	doc = frappe.get_doc({"doctype": "OMS Stock Entry", "entry_type": entry_type, "items": items, **values})
	doc.insert()
	if submit:
		doc.submit()
	return doc


def receive(item: str, location: str, qty: float, status: str = "Available"):
	return make_stock_entry(
		"Receipt", [{"item": item, "qty": qty, "valuation_rate": 5}], to_location=location, to_status=status
	)


def balance(item: str, location: str, status: str = "Available") -> frappe._dict:
	return frappe.db.get_value(
		"OMS Stock Balance",
		{"item": item, "location": location, "stock_status": status},
		["actual_qty", "reserved_qty", "available_qty", "name"],
		as_dict=True,
	) or frappe._dict(actual_qty=0, reserved_qty=0, available_qty=0, name=None)


def assert_stock_integrity(test_case, item: str | None = None) -> None:
	"""Invariant 1 of DESIGN.md: balances equal the ledger and the open reservations."""
	from oms_omnichannel.inventory.integrity import find_drift

	test_case.assertEqual(find_drift(item), [])


def make_voucher() -> tuple[str, str]:
	"""A document to hang reservations on in inventory tests (orders do this in real use)."""
	doc = frappe.get_doc({"doctype": "ToDo", "description": "reservation test voucher"}).insert()
	return doc.doctype, doc.name
