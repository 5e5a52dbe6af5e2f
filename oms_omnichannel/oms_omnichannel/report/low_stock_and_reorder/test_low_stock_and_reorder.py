# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.desk.query_report import run
from frappe.utils import getdate, now_datetime, today

from oms_omnichannel.core.forecast import week_start
from oms_omnichannel.oms_omnichannel.report.low_stock_and_reorder.low_stock_and_reorder import execute
from oms_omnichannel.tests.analytics import HOSTILE, StockScenario
from oms_omnichannel.tests.utils import OMSTestCase


class TestLowStockAndReorder(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.s = StockScenario()
		frappe.get_doc(
			{
				"doctype": "OMS Demand Forecast",
				"item": cls.s.item,
				"week_start": week_start(getdate(today())),
				"forecast_qty": 14,  # 2 a day
				"method": "Mean",
				"computed_at": now_datetime(),
			}
		).insert()

	def run_report(self, **filters):
		_columns, data, _message, chart, summary = execute({"category": self.s.category, **filters})
		return data, chart, {row["label"]: row["value"] for row in summary}

	def test_items_below_their_levels_with_days_of_cover(self):
		s = self.s
		data, chart, summary = self.run_report()
		rows = {(r.item, r.location): r for r in data}
		self.assertEqual(set(rows), {(s.item, s.north), (s.item, s.south)})  # other has no levels
		north, south = rows[(s.item, s.north)], rows[(s.item, s.south)]
		self.assertEqual((north.available_qty, north.reorder_level, north.suggested_qty), (5, 8, 20))
		self.assertEqual((south.available_qty, south.below_safety_stock), (2, 1))
		self.assertEqual((north.days_of_cover, south.days_of_cover), (2.5, 1.0))  # 5 / 2, 2 / 2
		self.assertTrue(north.reorder_suggestion and south.reorder_suggestion)  # raised by the breaches
		self.assertEqual(
			(summary["To Reorder"], summary["Below Safety Stock"], summary["Suggested Qty"]), (2, 1, 40)
		)
		self.assertEqual(summary["Shortest Cover (days)"], 1.0)
		self.assertEqual(sorted(chart["data"]["labels"]), sorted([s.north, s.south]))

	def test_every_filter(self):
		s = self.s
		self.assertEqual([r.location for r in self.run_report(location=s.south)[0]], [s.south])
		self.assertEqual(self.run_report(item=s.other)[0], [])
		shown = self.run_report(item=s.other, show_all=1)[0]
		self.assertEqual(
			[(r.location, r.days_of_cover, r.suggested_qty) for r in shown], [(s.south, None, 0)]
		)

	def test_hostile_text_filters_change_nothing(self):
		for value in HOSTILE:
			for key in ("item", "location", "category"):
				self.assertEqual(execute({key: value})[1], [], f"{key}={value!r}")
		self.assertEqual(len(self.run_report()[0]), 2)

	def test_runs_through_the_report_api(self):
		result = run("Low Stock and Reorder", filters={"category": self.s.category})
		self.assertEqual(result["result"][-1][8], 40)  # total suggested
