# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Hold rules written in the desk: they hold the orders they describe, and only those."""

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_delivery_method, refused, unique


class TestOMSHoldRule(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()

	def rule(self, **values):
		return frappe.get_doc(
			{"doctype": "OMS Hold Rule", "rule_name": unique("RULE"), "hold_type": "Fraud Review", **values}
		).insert()

	def test_a_rule_holds_the_orders_it_describes_and_no_others(self):
		express = make_delivery_method(delivery_type="Express").name
		rule = self.rule(sales_channel=self.fx.channel, delivery_method=express, min_order_value=50)
		held = self.fx.order(qty=6, delivery_method=express)  # 59.94
		self.assertEqual(held.status, "On Hold")
		self.assertEqual([(h.hold_type, h.rule) for h in held.holds], [("Fraud Review", rule.name)])
		self.assertIn(f"meets hold rule {rule.name}", held.holds[0].reason)
		self.assertEqual(held.items[0].reserved_qty, 0)  # nothing downstream while held
		self.assertEqual(self.fx.order(qty=1, delivery_method=express).status, "Processing")  # 9.99
		self.assertEqual(self.fx.order(qty=6).status, "Processing")  # another delivery method

	def test_a_disabled_rule_holds_nothing(self):
		self.rule(sales_channel=self.fx.channel, enabled=0)
		self.assertEqual(self.fx.order(qty=1).status, "Processing")

	def test_a_rule_may_place_a_hold_type_an_administrator_added(self):
		hold_type = (
			frappe.get_doc({"doctype": "OMS Hold Type", "hold_type_name": unique("Customs")}).insert().name
		)
		self.rule(sales_channel=self.fx.channel, hold_type=hold_type)
		order = self.fx.order(qty=1)
		self.assertEqual((order.status, order.holds[0].hold_type), ("On Hold", hold_type))

	def test_a_rule_without_a_condition_is_refused_and_not_saved(self):
		name = unique("RULE")
		with refused(self, frappe.ValidationError, "set at least one condition"):
			frappe.get_doc({"doctype": "OMS Hold Rule", "rule_name": name, "hold_type": "Manual"}).insert()
		self.assertFalse(frappe.db.exists("OMS Hold Rule", name))
