# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.inventory.reorder import scheduled_check
from oms_omnichannel.oms_omnichannel.doctype.reorder_suggestion.reorder_suggestion import set_status
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	make_item,
	make_location,
	make_stock_entry,
	make_user,
	receive,
)


def suggestions(item, status=None):
	filters = {"item": item}
	if status:
		filters["status"] = status
	return frappe.get_all("Reorder Suggestion", filters=filters, fields=["name", "status", "suggested_qty"])


class TestReorderSuggestion(OMSTestCase):
	def setUp(self):
		self.item = make_item(safety_stock=5, reorder_level=8, reorder_qty=20).name
		self.location = make_location().name
		receive(self.item, self.location, 10)

	def issue(self, qty):
		make_stock_entry("Issue", [{"item": self.item, "qty": qty}], from_location=self.location)

	def test_raised_once_per_breach_and_closed_when_restocked(self):
		self.assertEqual(suggestions(self.item), [])
		self.issue(3)  # 7 left: at/below reorder level 8
		open_ones = suggestions(self.item, "Open")
		self.assertEqual(len(open_ones), 1)
		self.assertEqual(open_ones[0].suggested_qty, 20)
		self.issue(1)  # still breached: no second suggestion
		scheduled_check()
		self.assertEqual(len(suggestions(self.item)), 1)

		receive(self.item, self.location, 30)  # restored
		self.assertEqual(suggestions(self.item, "Open"), [])
		self.assertEqual(len(suggestions(self.item, "Closed")), 1)

		self.issue(30)  # a new breach raises a new suggestion
		self.assertEqual(len(suggestions(self.item, "Open")), 1)
		self.assertEqual(len(suggestions(self.item)), 2)

	def test_inventory_managers_are_notified(self):
		user = make_user("oms.inventory.manager@example.com", ("Inventory Manager",))
		self.issue(3)
		name = suggestions(self.item, "Open")[0].name
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": user, "document_name": name, "type": "Alert"})
		)

	def test_location_levels_override_item_defaults(self):
		balance_name = frappe.db.get_value(
			"OMS Stock Balance", {"item": self.item, "location": self.location, "stock_status": "Available"}
		)
		doc = frappe.get_doc("OMS Stock Balance", balance_name)
		doc.safety_stock, doc.reorder_level = 1, 2
		doc.save()
		self.issue(3)  # 7 left: above this location's level 2
		self.assertEqual(suggestions(self.item), [])

	def test_bulk_status_change(self):
		self.issue(3)
		name = suggestions(self.item, "Open")[0].name
		set_status([name], "Ordered")
		self.assertEqual(frappe.db.get_value("Reorder Suggestion", name, "status"), "Ordered")
		with self.assertRaisesRegex(frappe.ValidationError, "Ordered or Dismissed"):
			set_status([name], "Open")

	def test_closed_suggestion_cannot_reopen(self):
		self.issue(3)
		doc = frappe.get_doc("Reorder Suggestion", suggestions(self.item, "Open")[0].name)
		doc.status = "Dismissed"
		doc.save()
		doc.status = "Open"
		with self.assertRaisesRegex(frappe.ValidationError, "cannot change"):
			doc.save()
