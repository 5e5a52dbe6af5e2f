# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import math
from datetime import timedelta

import frappe
from frappe.utils import getdate, today

from oms_omnichannel.analytics import forecasting
from oms_omnichannel.api.v1 import orders as api
from oms_omnichannel.core import forecast as fc
from oms_omnichannel.tests.analytics import past_order, weeks_ago
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_channel, make_user


def stored(item, channel=None):
	return frappe.get_all(
		"OMS Demand Forecast",
		filters={"item": item, "sales_channel": channel or ("is", "not set")},
		fields=["week_start", "forecast_qty", "lower", "upper", "method", "mase", "history_weeks"],
		order_by="week_start asc",
	)


class TestOMSDemandForecast(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fx = OrderFixture()
		cls.this_week = fc.week_start(getdate(today()))

	def test_weekly_demand_is_aggregated_per_channel_and_in_total(self):
		fx = self.fx
		other = make_channel(fulfilment_locations=[{"location": fx.north, "priority": 1}]).name
		past_order(fx.channel, fx.item, 3, weeks_ago(2))
		past_order(fx.channel, fx.item, 4, weeks_ago(2) + timedelta(days=3))  # Friday, same week
		past_order(other, fx.item, 5, weeks_ago(1))
		past_order(fx.channel, fx.item, 7, weeks_ago(0))  # this week: not history yet
		merged = past_order(fx.channel, fx.item, 100, weeks_ago(1))
		frappe.db.set_value("OMS Order", merged, "status", "Merged")
		cancelled = fx.order(qty=2)  # submitted, then cancelled: not demand
		api.cancel(cancelled.name, "test")
		frappe.db.set_value("OMS Order", cancelled.name, "order_datetime", weeks_ago(1))

		demand = forecasting.weekly_demand([fx.item], self.this_week - timedelta(weeks=10), self.this_week)
		two, one = fc.week_start(weeks_ago(2).date()), fc.week_start(weeks_ago(1).date())
		self.assertEqual(dict(demand[(fx.item, fx.channel)]), {two: 7})
		self.assertEqual(dict(demand[(fx.item, other)]), {one: 5})
		self.assertEqual(dict(demand[(fx.item, forecasting.ALL_CHANNELS)]), {two: 7, one: 5})

		written = forecasting.compute_forecasts([fx.item])
		self.assertEqual(written, 3 * forecasting.HORIZON_WEEKS)  # all channels + two channels
		rows = stored(fx.item)
		self.assertEqual(rows[0].week_start, self.this_week)
		self.assertEqual(rows[0].method, fc.MEAN)  # 2 weeks of history: mean of 7 and 5
		self.assertEqual(rows[0].forecast_qty, 6)
		self.assertEqual(rows[0].history_weeks, 2)
		self.assertEqual(forecasting.daily_demand([fx.item]), {fx.item: 6 / 7})

	def test_forecast_job_stores_a_seasonal_items_forecast(self):
		fx = self.fx
		weeks = 110
		for k in range(weeks, 0, -1):  # weeks ago: a yearly wave around 20 a week
			past_order(
				fx.channel, fx.other_item, round(20 + 10 * math.sin(2 * math.pi * k / 52)), weeks_ago(k)
			)

		written = forecasting.compute_forecasts([fx.other_item])
		self.assertEqual(written, 2 * forecasting.HORIZON_WEEKS)
		rows = stored(fx.other_item)
		self.assertEqual(len(rows), forecasting.HORIZON_WEEKS)
		self.assertEqual(
			[row.week_start for row in rows],
			[self.this_week + timedelta(weeks=k) for k in range(forecasting.HORIZON_WEEKS)],
		)
		self.assertTrue(all(row.method == fc.ETS and row.history_weeks == weeks for row in rows))
		self.assertTrue(all(row.lower <= row.forecast_qty <= row.upper for row in rows))
		self.assertTrue(all(5 <= row.forecast_qty <= 35 for row in rows))
		self.assertLess(rows[0].mase, 1)  # a clean wave: far better than in-sample seasonal naive
		self.assertEqual(len(stored(fx.other_item, fx.channel)), forecasting.HORIZON_WEEKS)

		# run again: the item's rows are replaced, not added to
		forecasting.compute_forecasts([fx.other_item])
		self.assertEqual(len(stored(fx.other_item)), forecasting.HORIZON_WEEKS)

	def test_only_managers_may_queue_the_job(self):
		analyst = make_user("oms.forecast.analyst@example.com", ("OMS Analyst",))
		manager = make_user("oms.forecast.manager@example.com", ("Inventory Manager",))
		# frappe.only_for lets every call through while tests run: check the roles as in production
		in_test, frappe.flags.in_test = frappe.flags.in_test, False
		try:
			frappe.set_user(analyst)
			with self.assertRaises(frappe.PermissionError):
				forecasting.queue_forecasts()
			frappe.set_user(manager)
			self.assertEqual(forecasting.queue_forecasts(self.fx.item), "queued")
		finally:
			frappe.flags.in_test = in_test
			frappe.set_user("Administrator")
