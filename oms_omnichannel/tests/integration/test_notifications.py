"""The Notifications the app ships (fixtures/notification.json) reach the users of the role that
must act, as Notification Log entries (System Notification: in the desk's bell, and by email
where a mail server is set up and the user's Notification Settings ask for it)."""

import frappe
from frappe.email.doctype.notification.notification import evaluate_alert
from frappe.utils import add_days, getdate

from oms_omnichannel.logistics.shipping import new_shipment
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	OrderFixture,
	make_item,
	make_location,
	make_stock_entry,
	make_user,
	receive,
)


def logs_for(user: str, doctype: str, name: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": user, "document_type": doctype, "document_name": name, "type": "Alert"},
		fields=["subject", "email_content"],
	)


class TestShippedNotifications(OMSTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.inventory = make_user("notify.inventory@example.com", ("Inventory Manager",))
		self.logistics = make_user("notify.logistics@example.com", ("Logistics Coordinator",))
		self.service = make_user("notify.service@example.com", ("Customer Service",))
		self.bystander = make_user("notify.bystander@example.com", ("OMS Analyst",))

	def test_the_fixtures_are_installed_and_enabled(self):
		from oms_omnichannel.hooks import NOTIFICATIONS

		enabled = frappe.get_all(
			"Notification", filters={"name": ("in", NOTIFICATIONS), "enabled": 1}, pluck="name"
		)
		self.assertEqual(sorted(enabled), sorted(NOTIFICATIONS))

	def test_low_stock_tells_the_inventory_managers(self):
		item = make_item(safety_stock=5, reorder_level=8, reorder_qty=20).name
		location = make_location().name
		receive(item, location, 10)
		make_stock_entry("Issue", [{"item": item, "qty": 3}], from_location=location)  # 7 left
		suggestion = frappe.get_all("Reorder Suggestion", filters={"item": item}, pluck="name")
		self.assertEqual(len(suggestion), 1)
		logs = logs_for(self.inventory, "Reorder Suggestion", suggestion[0])
		self.assertEqual(len(logs), 1)
		self.assertIn(f"Low stock: {item} at {location}", logs[0].subject)
		self.assertIn("Suggested reorder quantity: 20", logs[0].email_content)
		self.assertEqual(logs_for(self.bystander, "Reorder Suggestion", suggestion[0]), [])
		self.assertEqual(logs_for(self.logistics, "Reorder Suggestion", suggestion[0]), [])

	def test_an_overdue_delivery_tells_the_logistics_coordinators(self):
		fx = OrderFixture()
		late, delivered = (self.shipment(fx) for _ in range(2))
		delivered.record_event("In Transit", "left the depot")
		delivered.record_event("Delivered", "handed over")
		yesterday = add_days(getdate(), -1)
		for shipment in (late, delivered):
			frappe.db.set_value("OMS Shipment", shipment.name, "promised_date", yesterday)

		# what the daily scheduler (frappe's trigger_daily_alerts) does, for these shipments
		alert = frappe.get_doc("Notification", "Shipment Delivery Overdue")
		# the date selects both; the condition leaves out what was delivered
		due = [doc for doc in alert.get_documents_for_today() if doc.name in (late.name, delivered.name)]
		self.assertEqual([doc.name for doc in due], [late.name])
		for doc in due:
			evaluate_alert(doc, alert, alert.event)

		logs = logs_for(self.logistics, "OMS Shipment", late.name)
		self.assertEqual(len(logs), 1)
		self.assertIn(f"Shipment {late.name} of order {late.order} is overdue", logs[0].subject)
		self.assertEqual(logs_for(self.logistics, "OMS Shipment", delivered.name), [])  # not overdue
		self.assertEqual(logs_for(self.inventory, "OMS Shipment", late.name), [])

	def test_a_shipment_promised_for_today_is_not_overdue(self):
		fx = OrderFixture()
		shipment = self.shipment(fx)
		frappe.db.set_value("OMS Shipment", shipment.name, "promised_date", getdate())
		alert = frappe.get_doc("Notification", "Shipment Delivery Overdue")
		self.assertNotIn(shipment.name, [doc.name for doc in alert.get_documents_for_today()])

	def test_a_complaint_tells_customer_service_and_a_review_does_not(self):
		fx = OrderFixture()
		order = fx.order(qty=1)
		complaint = frappe.get_doc(
			{
				"doctype": "Customer Feedback",
				"feedback_type": "Complaint",
				"order": order.name,
				"complaint_category": "Damaged",
				"description": "The box was <b>crushed</b>",
			}
		).insert()
		review = frappe.get_doc(
			{"doctype": "Customer Feedback", "feedback_type": "Review", "rating": 5, "order": order.name}
		).insert()
		logs = logs_for(self.service, "Customer Feedback", complaint.name)
		self.assertEqual(len(logs), 1)
		self.assertIn(f"Complaint {complaint.name}", logs[0].subject)
		self.assertIn("Damaged", logs[0].subject)
		self.assertIn("The box was &lt;b&gt;crushed&lt;/b&gt;", logs[0].email_content)  # escaped
		self.assertEqual(logs_for(self.service, "Customer Feedback", review.name), [])
		self.assertEqual(logs_for(self.bystander, "Customer Feedback", complaint.name), [])

	def shipment(self, fx):
		order = fx.order(qty=1)
		doc = frappe.get_doc(new_shipment(order, fx.north).as_dict())
		doc.insert()
		doc.submit()
		return doc
