# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.desk.query_report import run

from oms_omnichannel.oms_omnichannel.report.oms_stock_balance.oms_stock_balance import execute
from oms_omnichannel.tests.analytics import HOSTILE, StockScenario
from oms_omnichannel.tests.utils import OMSTestCase, make_stock_entry, make_user


class TestOMSStockBalance(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.s = StockScenario()

	def run_report(self, **filters):
		columns, data, _message, chart, summary = execute({"category": self.s.category, **filters})
		return columns, data, chart, {row["label"]: row["value"] for row in summary}

	def test_balances_and_values_by_hand(self):
		s = self.s
		_columns, data, chart, summary = self.run_report()
		rows = {(r.item, r.location, r.stock_status): r for r in data}
		self.assertEqual(
			set(rows),
			{(s.item, s.north, "Available"), (s.item, s.south, "Available"), (s.other, s.south, "Available")},
		)
		north = rows[(s.item, s.north, "Available")]
		self.assertEqual((north.actual_qty, north.reserved_qty, north.available_qty), (5, 0, 5))
		self.assertEqual((north.valuation_rate, north.stock_value), (5, 25))  # (10x4 + 10x6) / 20
		self.assertEqual(rows[(s.other, s.south, "Available")].stock_value, 40)
		self.assertEqual(summary["Actual"], 11)
		self.assertEqual(summary["Stock Value"], 75)  # 25 + 10 + 40
		self.assertEqual(
			dict(zip(chart["data"]["labels"], chart["data"]["datasets"][0]["values"], strict=True)),
			{s.north: 5, s.south: 6},
		)

	def test_every_filter(self):
		s = self.s
		self.assertEqual({r.location for r in self.run_report(location=s.north)[1]}, {s.north})
		self.assertEqual({r.item for r in self.run_report(item=s.other)[1]}, {s.other})
		self.assertEqual(self.run_report(stock_status="Damaged")[1], [])
		self.assertEqual(self.run_report(item=s.item, location=s.south)[3]["Stock Value"], 10)
		make_stock_entry(
			"Transfer",
			[{"item": s.other, "qty": 1}],
			from_location=s.south,
			to_location=s.north,
			via_in_transit=1,
		)
		in_transit = self.run_report(stock_status="In Transit")[1]
		self.assertEqual([(r.item, r.in_transit_qty) for r in in_transit], [(s.other, 1)])
		empty = self.run_report(show_zero=1, item=s.other, location=s.north)[1]
		self.assertTrue(all(r.location == s.north for r in empty))

	def test_hostile_text_filters_change_nothing(self):
		before = self.run_report()[1]
		for value in HOSTILE:
			for key in ("item", "location", "category", "stock_status"):
				self.assertEqual(execute({key: value})[1], [], f"{key}={value!r}")
		self.assertTrue(frappe.db.table_exists("OMS Item"))
		self.assertEqual(self.run_report()[1], before)

	def test_runs_through_the_report_api_with_a_total_row(self):
		result = run("OMS Stock Balance", filters={"category": self.s.category})
		total = result["result"][-1]
		self.assertEqual(total[5], 11)  # actual
		self.assertEqual(total[11], 75)  # value

	def test_a_user_limited_to_a_location_sees_only_its_rows(self):
		s = self.s
		user = make_user("oms.north.stock@example.com", ("Inventory Manager",))
		frappe.get_doc(
			{"doctype": "User Permission", "user": user, "allow": "Stock Location", "for_value": s.north}
		).insert(ignore_permissions=True)
		frappe.set_user(user)
		try:
			self.assertEqual({row.location for row in self.run_report()[1]}, {s.north})
			self.assertEqual(self.run_report(location=s.south)[1], [])
		finally:
			frappe.set_user("Administrator")
