# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import getdate

from oms_omnichannel.oms_omnichannel.dashboard_chart_source.oms_revenue_per_day.oms_revenue_per_day import (
	daily_revenue,
	get,
)
from oms_omnichannel.tests.sales_scenario import SalesScenario
from oms_omnichannel.tests.utils import OMSTestCase


class TestRevenuePerDay(OMSTestCase):
	def test_one_line_per_currency(self):
		sc = SalesScenario()
		revenue = daily_revenue(sc.day, sc.day, sc.channels)
		self.assertEqual(
			{c: float(v[getdate(sc.day)]) for c, v in revenue.items()}, {"USD": 33.0, "EUR": 40.0}
		)
		self.assertEqual(daily_revenue(sc.day, sc.day, []), {})
		data = get(timespan="Last Week")
		self.assertEqual(len(data["labels"]), 7)
		self.assertEqual(len({d["name"] for d in data["datasets"]}), len(data["datasets"]))
		frappe.set_user(sc.channel_manager(sc.usd))
		try:
			data = get(timespan="Last Week")
			self.assertEqual([d["name"] for d in data["datasets"]], ["USD"])
			self.assertEqual(sum(data["datasets"][0]["values"]), 33.0)
		finally:
			frappe.set_user("Administrator")

	def test_revenue_card_counts_only_the_reporting_currency(self):
		from oms_omnichannel.analytics.cards import revenue_on, revenue_today

		sc = SalesScenario()
		self.assertEqual(revenue_on(sc.day, "USD", sc.channels), 33.0)
		self.assertEqual(revenue_on(sc.day, "EUR", sc.channels), 40.0)
		self.assertEqual(revenue_on(sc.day, "USD", [sc.eur]), 0.0)
		self.assertEqual(revenue_on(sc.day, "USD", []), 0.0)
		self.assertIsInstance(revenue_today(), str)
