# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import add_days, today

from oms_omnichannel.core.forecast import DEAD_STOCK, SLOW_MOVER
from oms_omnichannel.oms_omnichannel.report.inventory_turnover.inventory_turnover import execute
from oms_omnichannel.tests.analytics import HOSTILE, StockScenario, run_prepared
from oms_omnichannel.tests.utils import OMSTestCase


class TestInventoryTurnover(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.s = StockScenario()

	def run_report(self, **filters):
		filters = {
			"from_date": add_days(today(), -29),
			"to_date": today(),
			"category": self.s.category,
			**filters,
		}
		_columns, data, _message, chart, summary = execute(filters)
		return {row.group_key: row for row in data}, chart, {row["label"]: row["value"] for row in summary}

	def figures(self, row):
		return (
			row.opening_value,
			row.closing_value,
			row.average_inventory_value,
			row.shipped_qty,
			row.cost_of_goods_shipped,
			row.turnover,
			row.days_of_inventory,
			row.flag,
		)

	def test_per_item_by_hand(self):
		s = self.s
		rows, chart, summary = self.run_report()
		# item: 20 x 5 before the period, 7 x 5 after; 8 issued + 5 shipped at 5 = 65
		self.assertEqual(self.figures(rows[s.item]), (100, 35, 67.5, 13, 65, 0.96, 31.2, None))
		self.assertEqual(rows[s.item].movements, 4)
		# other: 4 x 10 that never moved
		self.assertEqual(self.figures(rows[s.other]), (40, 40, 40, 0, 0, 0, None, DEAD_STOCK))
		self.assertEqual(
			(summary["Cost of Goods Shipped"], summary["Average Inventory"], summary["Turnover"]),
			(65, 107.5, 0.6),
		)
		self.assertEqual((summary["Slow Movers"], summary["Dead Stock"]), (0, 1))
		self.assertEqual(chart["data"]["labels"][0], s.item)

	def test_per_location_and_category_by_hand(self):
		s = self.s
		rows = self.run_report(group_by="Location")[0]
		self.assertEqual(set(rows), {s.north, s.south})
		self.assertEqual(self.figures(rows[s.north]), (100, 25, 62.5, 13, 65, 1.04, 28.8, None))
		# south: only the 2 transferred in moved (not shipped): a slow mover
		self.assertEqual(self.figures(rows[s.south]), (40, 50, 45, 0, 0, 0, None, SLOW_MOVER))
		rows = self.run_report(group_by="Category")[0]
		self.assertEqual(self.figures(rows[s.category]), (140, 75, 107.5, 13, 65, 0.6, 49.6, None))

	def test_every_filter(self):
		s = self.s
		self.assertEqual(set(self.run_report(item=s.item)[0]), {s.item})
		self.assertEqual(set(self.run_report(location=s.south)[0]), {s.item, s.other})
		self.assertEqual(self.run_report(slow_after_days=30)[0][s.item].flag, SLOW_MOVER)
		self.assertEqual(set(self.run_report(flagged_only=1)[0]), {s.other})
		earlier = self.run_report(from_date=add_days(today(), -50), to_date=add_days(today(), -45))[0]
		self.assertEqual(earlier, {})  # nothing received yet
		with self.assertRaises(frappe.ValidationError):
			self.run_report(group_by="Item`; drop table x; --")

	def test_hostile_text_filters_change_nothing(self):
		for value in HOSTILE:
			for key in ("item", "location", "category"):
				self.assertEqual(self.run_report(**{key: value})[0], {}, f"{key}={value!r}")
		self.assertEqual(len(self.run_report(slow_after_days=HOSTILE[0])[0]), 2)

	def test_runs_as_a_prepared_report_with_a_total_row(self):
		result = run_prepared(
			"Inventory Turnover",
			filters={"from_date": add_days(today(), -29), "to_date": today(), "category": self.s.category},
		)
		total = result["result"][-1]
		self.assertEqual((total[2], total[6]), (140, 65))  # opening value, cost of goods shipped
