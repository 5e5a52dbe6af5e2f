# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, refused, unique


def make_rule(**values):
	return frappe.get_doc({"doctype": "Sourcing Rule", "rule_name": unique("Rule"), **values}).insert()


class TestSourcingRule(OMSTestCase):
	def test_a_rule_restricting_the_channel_moves_the_reservation(self):
		fx = OrderFixture()
		self.assertEqual(fx.order(qty=1).items[0].fulfilment_location, fx.north)
		make_rule(sales_channel=fx.channel, allowed_locations=[{"location": fx.south}])
		order = fx.order(qty=1)
		self.assertEqual(order.items[0].fulfilment_location, fx.south)
		self.assertIn(fx.south, order.sourcing_explanation)

	def test_preferred_location_wins_a_tie(self):
		fx = OrderFixture()
		make_rule(sales_channel=fx.channel, preferred_locations=[{"location": fx.south}])
		self.assertEqual(fx.order(qty=1).items[0].fulfilment_location, fx.south)

	def test_disabled_rules_do_not_apply(self):
		fx = OrderFixture()
		make_rule(sales_channel=fx.channel, allowed_locations=[{"location": fx.south}], enabled=0)
		self.assertEqual(fx.order(qty=1).items[0].fulfilment_location, fx.north)

	def test_bad_rules_are_refused(self):
		fx = OrderFixture()
		with refused(self, frappe.ValidationError, "Order Value From"):
			make_rule(min_order_value=100, max_order_value=10)
		with refused(self, frappe.ValidationError, "not among the locations"):
			make_rule(
				allowed_locations=[{"location": fx.north}], preferred_locations=[{"location": fx.south}]
			)
