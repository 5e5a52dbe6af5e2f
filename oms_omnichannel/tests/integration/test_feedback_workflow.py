# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""The Customer Feedback Handling workflow (shipped switched off) drives the feedback's own
status when an administrator switches it on: its actions are the moves the status machine allows,
closing still needs a resolution, and only Customer Service and managers act."""

import frappe
from frappe.model.workflow import apply_workflow, get_transitions

from oms_omnichannel.customers.feedback import FeedbackRefused
from oms_omnichannel.oms_omnichannel.doctype.customer_feedback.test_customer_feedback import complaint
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_user, refused

WORKFLOW = "Customer Feedback Handling"


class TestFeedbackWorkflow(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()
		self.order = self.fx.order(qty=1)
		self.agent = make_user("oms.workflow.agent@example.com", ("Customer Service",))
		self.analyst = make_user("oms.workflow.analyst@example.com", ("OMS Analyst",))
		self.assertFalse(frappe.db.get_value("Workflow", WORKFLOW, "is_active"))  # ships switched off
		frappe.db.set_value("Workflow", WORKFLOW, "is_active", 1)  # as an administrator would
		frappe.clear_cache(doctype="Customer Feedback")
		self.addCleanup(frappe.clear_cache, doctype="Customer Feedback")
		self.addCleanup(frappe.db.set_value, "Workflow", WORKFLOW, "is_active", 0)
		self.addCleanup(frappe.set_user, "Administrator")

	def actions(self, name, user):
		frappe.set_user(user)
		try:
			return sorted(t.action for t in get_transitions(frappe.get_doc("Customer Feedback", name)))
		finally:
			frappe.set_user("Administrator")

	def test_customer_service_works_a_complaint_through_to_resolved(self):
		doc = complaint(self.order.name)
		self.assertEqual(doc.status, "Open")
		self.assertEqual(self.actions(doc.name, self.agent), ["Reject", "Resolve", "Start Work"])
		self.assertEqual(self.actions(doc.name, self.analyst), [])
		frappe.set_user(self.agent)
		doc = apply_workflow(frappe.get_doc("Customer Feedback", doc.name), "Start Work")
		self.assertEqual(doc.status, "In Progress")
		with refused(self, FeedbackRefused, "a resolution is required"):  # the status machine still decides
			apply_workflow(frappe.get_doc("Customer Feedback", doc.name), "Resolve")
		self.assertEqual(frappe.db.get_value("Customer Feedback", doc.name, "status"), "In Progress")
		doc = frappe.get_doc("Customer Feedback", doc.name)
		doc.resolution = "Replacement sent"
		doc.save()
		doc = apply_workflow(doc, "Resolve")
		self.assertEqual(doc.status, "Resolved")
		self.assertTrue(doc.resolved_on)  # the feedback's own rules ran on the workflow's change
		self.assertEqual(self.actions(doc.name, self.agent), [])  # resolved is final
