# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Returns above the approval limit wait for an OMS Manager: one rule in the Return Request, shown
the way by the Return Request Approval workflow, which an administrator may edit or switch off."""

import frappe
from frappe.model.workflow import apply_workflow, get_transitions
from frappe.tests.utils import change_settings

from oms_omnichannel.logistics.shipping import ship
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, balance, make_user, refused

WORKFLOW = "Return Request Approval"


class TestReturnApproval(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.service = make_user("oms.returns.service@example.com", ("Customer Service",))
		cls.manager = make_user("oms.returns.manager@example.com", ("OMS Manager",))

	def setUp(self):
		self.fx = OrderFixture()
		self.order = self.fx.order(qty=3)  # 3 x 9.99
		ship(self.order, {self.order.items[0].name: 3}, self.fx.north, ("OMS Order", self.order.name))
		self.order.reload()
		self.addCleanup(frappe.set_user, "Administrator")

	def draft(self, qty):
		return frappe.get_doc(
			{
				"doctype": "Return Request",
				"order": self.order.name,
				"return_location": self.fx.north,
				"items": [{"order_item": self.order.items[0].name, "item": self.fx.item, "qty": qty}],
			}
		).insert()

	@change_settings("OMS Settings", {"return_approval_above": 10})
	def test_above_the_limit_only_a_manager_submits_whatever_the_way_in(self):
		ret = self.draft(2)  # refunds 19.98
		self.assertEqual((ret.refund_amount, ret.needs_approval), (19.98, 1))
		stock = balance(self.fx.item, self.fx.north).actual_qty
		frappe.set_user(self.service)
		with refused(self, frappe.PermissionError, "above the approval limit"):
			frappe.get_doc("Return Request", ret.name).submit()
		self.assertEqual(frappe.db.get_value("Return Request", ret.name, "docstatus"), 0)
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, stock)  # nothing received
		frappe.set_user(self.manager)
		frappe.get_doc("Return Request", ret.name).submit()
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, stock + 2)

	@change_settings("OMS Settings", {"return_approval_above": 10})
	def test_the_workflow_sends_a_large_refund_to_a_manager_and_tells_them(self):
		ret = self.draft(2)
		self.assertEqual(ret.workflow_state, "Draft")
		frappe.set_user(self.service)
		self.assertEqual([t.action for t in get_transitions(ret)], ["Review"])  # no Approve for them
		ret = apply_workflow(ret, "Review")
		self.assertEqual((ret.workflow_state, ret.docstatus), ("Pending", 0))
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": self.manager, "document_name": ret.name})
		)
		frappe.set_user(self.manager)
		ret = apply_workflow(frappe.get_doc("Return Request", ret.name), "Approve")
		self.assertEqual((ret.workflow_state, ret.docstatus), ("Approved", 1))
		self.order.reload()
		self.assertEqual(self.order.items[0].returned_qty, 2)

	@change_settings("OMS Settings", {"return_approval_above": 10})
	def test_a_refund_within_the_limit_is_approved_by_customer_service(self):
		ret = self.draft(1)  # refunds 9.99
		frappe.set_user(self.service)
		self.assertEqual([t.action for t in get_transitions(ret)], ["Approve"])
		ret = apply_workflow(ret, "Approve")
		self.assertEqual((ret.workflow_state, ret.docstatus), ("Approved", 1))

	@change_settings("OMS Settings", {"return_approval_above": 10})
	def test_switching_the_workflow_off_keeps_returns_working_and_the_rule_standing(self):
		self.assertTrue(frappe.db.get_value("Workflow", WORKFLOW, "is_active"))  # ships switched on
		frappe.db.set_value("Workflow", WORKFLOW, "is_active", 0)
		frappe.clear_cache(doctype="Return Request")
		try:
			small, large = self.draft(1), self.draft(2)
			frappe.set_user(self.service)
			frappe.get_doc("Return Request", small.name).submit()
			with refused(self, frappe.PermissionError, "above the approval limit"):
				frappe.get_doc("Return Request", large.name).submit()
		finally:
			frappe.set_user("Administrator")
			frappe.db.set_value("Workflow", WORKFLOW, "is_active", 1)
			frappe.clear_cache(doctype="Return Request")
		self.assertEqual(frappe.db.get_value("Return Request", small.name, "docstatus"), 1)
