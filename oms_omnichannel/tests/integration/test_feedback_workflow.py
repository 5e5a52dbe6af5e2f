# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""The Customer Feedback Handling workflow drives the feedback's own status: its actions are the
moves the status machine allows, closing needs a resolution, and only Customer Service acts."""

import frappe
from frappe.model.workflow import apply_workflow, get_transitions

from oms_omnichannel.oms_omnichannel.doctype.customer_feedback.test_customer_feedback import complaint
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_user


class TestFeedbackWorkflow(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()
		self.order = self.fx.order(qty=1)
		self.agent = make_user("oms.workflow.agent@example.com", ("Customer Service",))
		self.analyst = make_user("oms.workflow.analyst@example.com", ("OMS Analyst",))
		self.addCleanup(frappe.set_user, "Administrator")

	def actions(self, doc, user):
		frappe.set_user(user)
		try:
			return sorted(t.action for t in get_transitions(frappe.get_doc("Customer Feedback", doc.name)))
		finally:
			frappe.set_user("Administrator")

	def test_customer_service_works_a_complaint_through_to_resolved(self):
		doc = complaint(self.order.name)
		self.assertEqual(doc.status, "Open")
		self.assertEqual(self.actions(doc, self.agent), ["Start Work"])  # nothing closes without a resolution
		self.assertEqual(self.actions(doc, self.analyst), [])
		frappe.set_user(self.agent)
		doc = apply_workflow(frappe.get_doc("Customer Feedback", doc.name), "Start Work")
		self.assertEqual(doc.status, "In Progress")
		doc.resolution = "Replacement sent"
		doc.save()
		self.assertEqual(self.actions(doc, self.agent), ["Reject", "Resolve"])
		frappe.set_user(self.agent)
		doc = apply_workflow(frappe.get_doc("Customer Feedback", doc.name), "Resolve")
		self.assertEqual(doc.status, "Resolved")
		self.assertTrue(doc.resolved_on)  # the feedback's own rules ran on the workflow's change
		self.assertEqual(self.actions(doc, self.agent), [])  # resolved is final
