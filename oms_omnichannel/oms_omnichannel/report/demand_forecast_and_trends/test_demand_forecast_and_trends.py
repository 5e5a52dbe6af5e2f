# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

from datetime import timedelta

from frappe.utils import getdate, today

from oms_omnichannel.core import forecast as fc
from oms_omnichannel.oms_omnichannel.report.demand_forecast_and_trends.demand_forecast_and_trends import (
	execute,
)
from oms_omnichannel.tests.analytics import HOSTILE, past_order, run_prepared, weeks_ago
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	make_category,
	make_channel,
	make_item,
	make_location,
	unique,
)


class TestDemandForecastAndTrends(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		location = make_location().name
		cls.category = make_category(unique("CAT"))
		cls.first = make_item(category=cls.category).name
		cls.second = make_item(category=cls.category).name
		cls.web, cls.shop = (
			make_channel(fulfilment_locations=[{"location": location, "priority": 1}]).name for _ in range(2)
		)
		for k, qty in zip((4, 3, 2, 1), (10, 20, 30, 40), strict=True):
			past_order(cls.web, cls.first, qty, weeks_ago(k))
			past_order(cls.shop, cls.second, 5, weeks_ago(k))

	def run_report(self, **filters):
		_columns, data, _message, chart, summary = execute(filters)
		history = [row for row in data if row["demand"] is not None]
		forecast = [row for row in data if row["forecast"] is not None]
		return history, forecast, chart, {row["label"]: row["value"] for row in summary}

	def test_one_item_by_hand(self):
		history, forecast, chart, summary = self.run_report(item=self.first, horizon_weeks=3)
		this_week = fc.week_start(getdate(today()))
		self.assertEqual([row["demand"] for row in history], [10, 20, 30, 40])
		self.assertEqual(history[0]["week_start"], this_week - timedelta(weeks=4))
		self.assertEqual([row["growth_week"] for row in history], [None, 100.0, 50.0, 33.3])
		self.assertEqual([row["moving_average"] for row in history], [None, None, None, 25])
		# four weeks: the mean; backtest on the last week: mean 20 of [10, 20, 30] against 40,
		# scaled by the one-step naive error of 10
		self.assertEqual((forecast[0]["week_start"], forecast[0]["forecast"]), (this_week, 25))
		self.assertEqual(len(forecast), 3)
		self.assertEqual(summary["Method"], fc.MEAN)
		self.assertEqual(summary["Backtest MASE (last 1 weeks)"], 2.0)
		self.assertEqual(summary["Forecast, next 3 weeks"], 75)
		self.assertEqual(chart["type"], "line")
		self.assertEqual(len(chart["data"]["datasets"]), 4)
		self.assertEqual(chart["data"]["datasets"][1]["values"][3], 40)  # the forecast line starts at history

	def test_aggregated_per_category_and_channel(self):
		history = self.run_report(category=self.category)[0]
		self.assertEqual([row["demand"] for row in history], [15, 25, 35, 45])
		history, _forecast, _chart, summary = self.run_report(sales_channel=self.shop, category=self.category)
		self.assertEqual([row["demand"] for row in history], [5, 5, 5, 5])
		self.assertIsNone(summary["Backtest MASE (last 1 weeks)"])  # a flat history: MASE undefined
		history = self.run_report(item=self.first, history_weeks=2, moving_average_weeks=2)[0]
		self.assertEqual([(row["demand"], row["moving_average"]) for row in history], [(30, 25), (40, 35)])

	def test_hostile_text_filters_change_nothing(self):
		for value in HOSTILE:
			for key in ("item", "category", "sales_channel"):
				history, forecast, _chart, summary = self.run_report(**{key: value})
				self.assertEqual((history, summary["Method"]), ([], fc.NO_HISTORY), f"{key}={value!r}")
				self.assertTrue(all(row["forecast"] == 0 for row in forecast))
		history = self.run_report(item=self.first, history_weeks=HOSTILE[0], horizon_weeks="%")[0]
		self.assertEqual(len(history), 4)

	def test_runs_as_a_prepared_report_with_a_total_row(self):
		result = run_prepared("Demand Forecast and Trends", filters={"item": self.first, "horizon_weeks": 2})
		total = result["result"][-1]
		self.assertEqual((total[1], total[5]), (100, 50))  # ordered, forecast
