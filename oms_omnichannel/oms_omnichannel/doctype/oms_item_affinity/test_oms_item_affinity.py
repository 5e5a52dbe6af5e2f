# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""The customer analysis job on a small fixed set of customers and orders.

Five customers, today T (one unit per order; segments are quintiles among these five, so a
score is simply 1 + the number of customers strictly worse):
- A: 4 orders, the last 1 day ago        R5 F5  Champions
- B: 3 orders, the last 10 days ago      R3 F4  Loyal
- C: 1 order, 2 days ago                 R4 F1  New
- D: 2 orders, the last 100 days ago     R2 F3  At Risk
- E: 1 order, 300 days ago (and a cancelled one yesterday, which does not count)  R1 F1  Lost
A rated two orders 5 and 2: average rating 3.5.
A's and B's seven orders each hold the item and the other item; C's, D's and E's four orders
hold only a third item. So item → other item: support 7/11, confidence 1, lift 11/7."""

from datetime import timedelta

import frappe
from frappe.tests.utils import change_settings
from frappe.utils import add_days, now_datetime, today

from oms_omnichannel.api.v1 import orders as api
from oms_omnichannel.customers.analysis import cohort_table, run_analysis, run_now
from oms_omnichannel.tests.sales_scenario import ensure_currency
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	OrderFixture,
	make_customer,
	make_item,
	make_order,
	make_user,
	receive,
)


class TestCustomerAnalysis(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()
		self.solo = make_item(standard_price=5).name
		receive(self.solo, self.fx.north, 10)
		self.customers = {key: make_customer().name for key in "ABCDE"}
		self.orders = {key: [] for key in "ABCDE"}
		for key, days_ago in [("A", 30), ("A", 20), ("A", 5), ("A", 1), ("B", 40), ("B", 25), ("B", 10)]:
			self.order(key, days_ago, pair=True)
		for key, days_ago in [("C", 2), ("D", 200), ("D", 100), ("E", 300)]:
			self.order(key, days_ago, pair=False)
		cancelled = self.order("E", 1, pair=False, keep=False)
		api.cancel(cancelled.name, "test")

	def order(self, key, days_ago, pair, keep=True):
		if pair:
			lines = [
				{"item": self.fx.item, "qty": 1, "rate": 10},
				{"item": self.fx.other_item, "qty": 1, "rate": 5},
			]
		else:
			lines = [{"item": self.solo, "qty": 1, "rate": 5}]
		doc = make_order(self.fx.channel, lines, customer=self.customers[key])
		moment = now_datetime() - timedelta(days=days_ago)
		frappe.db.set_value("OMS Order", doc.name, "order_datetime", moment)
		if keep:
			self.orders[key].append(doc)
		return doc

	def profile(self, key):
		return frappe.get_doc("Customer Profile", self.customers[key])

	def test_segments_figures_and_affinities_are_stored(self):
		currency = ensure_currency(frappe.db.get_value("Sales Channel", self.fx.channel, "currency"))
		for rating, order in ((5, self.orders["A"][0]), (2, self.orders["A"][1])):
			frappe.get_doc(
				{
					"doctype": "Customer Feedback",
					"feedback_type": "Review",
					"rating": rating,
					"order": order.name,
				}
			).insert()
		with change_settings("OMS Settings", {"default_currency": currency}):
			result = run_analysis(customers=list(self.customers.values()))
		self.assertEqual(result["customers"], 5)
		segments = {key: (self.profile(key).rfm_segment, self.profile(key).rfm_score[:2]) for key in "ABCDE"}
		self.assertEqual(
			segments,
			{
				"A": ("Champions", "55"),
				"B": ("Loyal", "34"),
				"C": ("New", "41"),
				"D": ("At Risk", "23"),
				"E": ("Lost", "11"),
			},
		)
		a = self.profile("A")
		self.assertEqual(a.order_count, 4)
		self.assertEqual(str(a.first_order), add_days(today(), -30))
		self.assertEqual(str(a.last_order), add_days(today(), -1))
		self.assertAlmostEqual(a.lifetime_value, sum(o.grand_total for o in self.orders["A"]))
		self.assertAlmostEqual(a.average_order_value, a.lifetime_value / 4, places=2)
		self.assertEqual(a.average_rating, 3.5)
		self.assertEqual(self.profile("E").order_count, 1)  # the cancelled order does not count
		rule = frappe.get_all(
			"OMS Item Affinity",
			{"item": self.fx.item, "other_item": self.fx.other_item},
			["support", "confidence", "lift"],
		)
		self.assertEqual(len(rule), 1)
		self.assertAlmostEqual(rule[0].support, round(7 / 11, 4))
		self.assertAlmostEqual(rule[0].confidence, 1.0)
		self.assertAlmostEqual(rule[0].lift, round(11 / 7, 4))
		self.assertFalse(frappe.get_all("OMS Item Affinity", {"item": self.solo}))

	def test_a_full_run_clears_the_figures_of_customers_without_orders_now(self):
		stale = make_customer().name
		frappe.db.set_value(
			"Customer Profile",
			stale,
			{"order_count": 3, "rfm_segment": "Loyal", "insights_updated_on": add_days(today(), -1)},
		)
		run_analysis()
		self.assertEqual(
			frappe.db.get_value("Customer Profile", stale, ["order_count", "rfm_segment"]), (0, None)
		)
		self.assertEqual(frappe.db.get_value("Customer Profile", self.customers["A"], "order_count"), 4)

	def test_cohorts_of_the_fixed_customers(self):
		cohorts = cohort_table(list(self.customers.values()))
		self.assertEqual(sum(c.customers for c in cohorts), 5)
		self.assertEqual(sum(c.repeat_customers for c in cohorts), 3)  # A, B and D ordered again
		first_month = {c.month: c for c in cohorts}[add_days(today(), -300)[:7]]
		self.assertEqual((first_month.customers, first_month.active_by_offset[0]), (1, 1))  # E alone

	def test_on_demand_run_is_for_managers_and_analysts(self):
		agent = make_user("oms.analysis.cs@example.com", ("Customer Service",))
		analyst = make_user("oms.analysis.analyst@example.com", ("OMS Analyst",))
		frappe.set_user(agent)
		with self.assertRaises(frappe.PermissionError):
			run_now()
		frappe.set_user(analyst)
		self.assertEqual(run_now()["queued"], True)

	def tearDown(self):
		frappe.set_user("Administrator")
