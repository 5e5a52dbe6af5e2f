"""Remove records that tests had to commit (HTTP and multi-process tests), so the site a suite
runs on keeps only real data. Matches only the names the test factories generate."""

from __future__ import annotations

import frappe

TEST_CHANNELS = "CHANNEL-%"
TEST_LOCATIONS = "LOC-%"
TEST_ITEMS = "SKU-%"
TEST_CUSTOMER_EMAILS = "c-%@example.com"


def names(doctype: str, field: str, values: list[str]) -> list[str]:
	"""Names of `doctype` whose `field` is one of `values`; none for no values (never "all")."""
	if not values:
		return []
	return frappe.get_all(doctype, filters={field: ("in", values)}, pluck="name")


def purge_committed_test_records() -> None:
	channels = frappe.get_all("Sales Channel", filters={"name": ("like", TEST_CHANNELS)}, pluck="name")
	locations = frappe.get_all("Stock Location", filters={"name": ("like", TEST_LOCATIONS)}, pluck="name")
	items = frappe.get_all("OMS Item", filters={"name": ("like", TEST_ITEMS)}, pluck="name")
	orders = names("OMS Order", "sales_channel", channels)
	shipments = names("OMS Shipment", "order", orders)
	returns = names("Return Request", "order", orders)
	entries = set(
		frappe.get_all("OMS Stock Entry Item", filters={"item": ("in", items)}, pluck="parent")
		if items
		else []
	)
	entries |= set(names("OMS Stock Entry", "to_location", locations)) | set(
		names("OMS Stock Entry", "from_location", locations)
	)
	vouchers = [*orders, *shipments, *returns, *entries]
	feedback = names("Customer Feedback", "sales_channel", channels)
	delete_where("ToDo", "reference_name", feedback)
	delete_documents("Customer Feedback", feedback, ())
	delete_where("OMS Item Affinity", "item", items)

	delete_documents("OMS Shipment", shipments, ("OMS Shipment Item", "Shipment Tracking Event"))
	delete_documents("Return Request", returns, ("Return Request Item",))
	delete_documents("OMS Order", orders, ("OMS Order Item", "OMS Order Hold", "OMS Order Status Log"))
	delete_documents("OMS Stock Entry", sorted(entries), ("OMS Stock Entry Item",))
	for doctype in (
		"OMS Stock Reservation",
		"OMS Stock Ledger Entry",
		"OMS Stock Balance",
		"Reorder Suggestion",
	):
		delete_where(doctype, "item", items)
		delete_where(doctype, "location", locations)
	for doctype in ("OMS Stock Reservation", "OMS Stock Ledger Entry"):
		delete_where(doctype, "voucher_no", vouchers)
	delete_where("Channel Listing", "sales_channel", channels)
	delete_where("Intake Log", "sales_channel", channels)
	delete_where("Channel Stock Update", "sales_channel", channels)
	delete_where("Channel Stock Update", "item", items)
	customers = frappe.get_all(
		"Customer Profile", filters={"email": ("like", TEST_CUSTOMER_EMAILS)}, pluck="name"
	)
	delete_documents("Customer Profile", customers, ("Customer Channel Identity",))
	delete_documents("Sales Channel", channels, ("Sales Channel Location",))
	delete_documents("Stock Location", locations, ())
	delete_documents("OMS Item", items, ())
	frappe.db.commit()


def delete_where(doctype: str, field: str, values: list[str]) -> None:
	if values:
		frappe.db.delete(doctype, {field: ("in", values)})


def delete_documents(doctype: str, doc_names: list[str], child_doctypes: tuple[str, ...]) -> None:
	if not doc_names:
		return
	for child in child_doctypes:
		frappe.db.delete(child, {"parent": ("in", doc_names), "parenttype": doctype})
	frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": ("in", doc_names)})
	frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", doc_names)})
	frappe.db.delete(doctype, {"name": ("in", doc_names)})
