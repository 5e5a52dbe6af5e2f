# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

from datetime import timedelta

import frappe
from frappe.tests.utils import change_settings
from frappe.utils import get_datetime, now_datetime

from oms_omnichannel.api.v1.feedback import make_return
from oms_omnichannel.customers.feedback import FeedbackRefused, update_overdue_flags
from oms_omnichannel.logistics.shipping import ship
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_channel, make_user, refused


def make_feedback(**values):
	return frappe.get_doc(
		{"doctype": "Customer Feedback", "feedback_type": "Review", "rating": 5, **values}
	).insert()


def complaint(order, **values):
	return make_feedback(
		feedback_type="Complaint", rating=None, order=order, complaint_category="Damaged", **values
	)


class TestCustomerFeedback(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()
		self.order = self.fx.order(qty=2, other_qty=1)
		self.agent = make_user("feedback-agent@example.com", ("Customer Service",))

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_customer_and_channel_come_from_the_order(self):
		doc = make_feedback(order=self.order.name, rating=4)
		self.assertEqual(doc.sales_channel, self.fx.channel)
		self.assertEqual(doc.customer, self.fx.customer)
		self.assertEqual(doc.status, "Open")
		self.assertTrue(doc.opened_on)
		self.assertIsNone(doc.due_by)  # only complaints have a deadline

	def test_another_channels_order_is_refused_naming_the_order(self):
		other = make_channel().name
		with refused(self, FeedbackRefused, r"^order: .* belongs to Sales Channel"):
			make_feedback(order=self.order.name, sales_channel=other)
		self.assertFalse(frappe.db.exists("Customer Feedback", {"order": self.order.name}))

	def test_rating_outside_one_to_five_is_refused(self):
		for rating in (7, 0):
			with refused(self, FeedbackRefused, r"^rating:"):
				make_feedback(order=self.order.name, rating=rating)
		self.assertEqual(complaint(self.order.name).rating, 0)  # complaints may leave it out

	def test_status_moves_forward_and_closing_needs_a_resolution(self):
		doc = complaint(self.order.name)
		doc.status = "In Progress"
		doc.save()
		doc.status = "Resolved"
		with refused(self, FeedbackRefused, r"^resolution: a resolution is required"):
			doc.save()
		doc.reload()
		self.assertEqual(doc.status, "In Progress")
		doc.status, doc.resolution = "Resolved", "Replacement sent"
		doc.opened_on = now_datetime() - timedelta(hours=5)
		doc.save()
		self.assertTrue(doc.resolved_on)
		self.assertAlmostEqual(doc.time_to_resolve_hours, 5, delta=0.05)
		doc.status = "Open"
		with refused(self, FeedbackRefused, r"^status: feedback that is Resolved cannot become Open"):
			doc.save()

	def test_a_complaint_is_assigned_to_customer_service_with_a_due_time(self):
		doc = complaint(self.order.name, assigned_to=self.agent)
		self.assertEqual(doc.assigned_to, self.agent)
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{"reference_type": doc.doctype, "reference_name": doc.name, "allocated_to": self.agent},
			)
		)
		hours = frappe.db.get_single_value("OMS Settings", "complaint_sla_hours")
		self.assertEqual(
			get_datetime(doc.due_by), get_datetime(doc.opened_on) + timedelta(hours=float(hours))
		)
		doc.status = "In Progress"
		doc.save()  # the assignment left the document current

	def test_an_unassigned_complaint_goes_to_a_customer_service_user(self):
		doc = complaint(self.order.name)
		self.assertTrue(doc.assigned_to)
		self.assertIn("Customer Service", frappe.get_roles(doc.assigned_to))

	@change_settings("OMS Settings", {"complaint_sla_hours": 2})
	def test_the_scheduler_flags_open_complaints_past_their_sla(self):
		late = complaint(self.order.name, opened_on=now_datetime() - timedelta(hours=3))
		on_time = complaint(self.order.name)
		closed = complaint(self.order.name, opened_on=now_datetime() - timedelta(hours=3))
		closed.status, closed.resolution = "Rejected", "Not our fault"
		closed.save()
		frappe.db.set_value("Customer Feedback", late.name, "is_overdue", 0)  # as if saved before it was due
		update_overdue_flags()
		flags = dict(
			frappe.get_all(
				"Customer Feedback",
				{"name": ("in", [late.name, on_time.name, closed.name])},
				["name", "is_overdue"],
				as_list=True,
			)
		)
		self.assertEqual(flags, {late.name: 1, on_time.name: 0, closed.name: 0})

	def test_create_return_from_a_complaint(self):
		line, other = self.order.items
		ship(self.order, {line.name: 2, other.name: 1}, self.fx.north, ("OMS Order", self.order.name))
		doc = complaint(self.order.name)
		frappe.set_user(self.agent)
		ret = frappe.get_doc(make_return(doc.name))
		self.assertEqual(
			(ret.order, ret.reason, ret.sales_channel),
			(self.order.name, "Damaged in Transit", self.fx.channel),
		)
		self.assertEqual(
			{(r.item, r.qty, r.condition) for r in ret.items},
			{(self.fx.item, 2, "Damaged"), (self.fx.other_item, 1, "Damaged")},
		)
		frappe.set_user("Administrator")
		ret.return_location = self.fx.north
		ret.insert()
		ret.submit()
		self.assertGreater(ret.refund_amount, 0)

	def test_a_channel_manager_sees_only_their_channels_feedback(self):
		doc = make_feedback(order=self.order.name)
		other = make_channel().name
		user = make_user("oms.feedback.channel.manager@example.com", ("Channel Manager",))
		frappe.db.delete("User Permission", {"user": user})
		frappe.get_doc(
			{"doctype": "User Permission", "user": user, "allow": "Sales Channel", "for_value": other}
		).insert(ignore_permissions=True)
		frappe.clear_cache(user=user)
		frappe.set_user(user)
		self.assertFalse(frappe.has_permission("Customer Feedback", "read", doc=doc))
		self.assertNotIn(doc.name, frappe.get_list("Customer Feedback", pluck="name"))
		self.assertFalse(frappe.has_permission("Customer Feedback", "write"))

	def test_create_return_needs_a_shipped_order(self):
		doc = complaint(self.order.name)
		with refused(self, FeedbackRefused, r"^order: .* only shipped goods can be returned"):
			make_return(doc.name)
