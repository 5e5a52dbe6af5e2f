# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import add_days, today

from oms_omnichannel.api.v1 import orders as api
from oms_omnichannel.channels.stats import get_channel_stats
from oms_omnichannel.oms_omnichannel.report.channel_performance.channel_performance import execute
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture


class TestChannelPerformance(OMSTestCase):
	def test_figures_match_hand_computed_values(self):
		fx = OrderFixture()
		kept = [fx.order(qty=1), fx.order(qty=2, shipping_fee=5)]  # 9.99 and 24.98
		cancelled = fx.order(qty=3)
		api.cancel(cancelled.name, "test")
		old = fx.order(qty=1)
		frappe.db.set_value("OMS Order", old.name, "order_datetime", add_days(today(), -40))

		columns, data, _message, chart, summary = execute({"sales_channel": fx.channel})
		row = next(r for r in data if r["sales_channel"] == fx.channel)
		self.assertEqual(row["orders"], 3)
		self.assertAlmostEqual(row["revenue"], 34.97)
		self.assertAlmostEqual(row["average_order_value"], 17.49)  # 34.97 / 2, to the cent
		self.assertEqual(row["cancellation_rate"], 33.3)
		self.assertEqual((row["previous_orders"], row["previous_revenue"]), (1, 9.99))
		self.assertAlmostEqual(row["revenue_change"], 250.1)
		self.assertEqual(chart["type"], "bar")
		self.assertEqual(summary[0]["value"], 3)
		self.assertIn("revenue", [c["fieldname"] for c in columns])
		self.assertTrue(all(kept))

		stats = get_channel_stats(fx.channel)
		self.assertEqual(stats["current"]["orders"], 3)
		self.assertEqual(stats["previous"]["orders"], 1)

	def test_bad_period_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": today(), "to_date": add_days(today(), -3)})
