# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import add_days, today

from oms_omnichannel.channels.stats import get_channel_stats
from oms_omnichannel.oms_omnichannel.report.channel_performance.channel_performance import execute
from oms_omnichannel.tests.sales_scenario import HOSTILE, SalesScenario, rows_of
from oms_omnichannel.tests.utils import OMSTestCase


class TestChannelPerformance(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sc = SalesScenario()

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_report(self, **filters):
		columns, data, _message, chart, summary = execute(filters)
		return {row["sales_channel"]: row for row in rows_of(data, self.sc.channels)}, data, chart, summary

	def test_figures_match_hand_computed_values_per_currency(self):
		rows, data, chart, summary = self.run_report()
		usd, eur = rows[self.sc.usd], rows[self.sc.eur]
		self.assertEqual((usd["currency"], eur["currency"]), ("USD", "EUR"))
		self.assertEqual(usd["orders"], 3)
		self.assertAlmostEqual(usd["revenue"], 33.0)
		self.assertAlmostEqual(usd["average_order_value"], 16.5)
		self.assertEqual(usd["cancellation_rate"], 33.3)
		self.assertEqual(usd["return_rate"], 50.0)
		self.assertAlmostEqual(usd["fulfilment_hours"], 9.0)
		self.assertEqual((usd["previous_orders"], usd["previous_revenue"]), (1, 10.0))
		self.assertAlmostEqual(usd["revenue_change"], 230.0)
		self.assertEqual((eur["orders"], eur["revenue"], eur["fulfilment_hours"]), (1, 40.0, None))
		self.assertIsNone(eur["revenue_change"])
		self.assertEqual(chart["type"], "bar")

	def test_totals_and_summary_never_add_currencies(self):
		_c, data, _m, _ch, summary = execute({})
		totals = [row for row in data if row.get("is_total_row")]
		self.assertEqual(len({row["currency"] for row in totals}), len(totals))  # one per currency
		revenue = [item for item in summary if item.get("datatype") == "Currency"]
		self.assertTrue(all(item["currency"] for item in revenue))
		self.assertEqual(len({item["currency"] for item in revenue}), len(revenue))
		# one channel's report: its own currency's total equals its row
		_c, data, _m, _ch, summary = execute({"sales_channel": self.sc.eur})
		self.assertEqual(
			[(r["currency"], r["revenue"]) for r in data if r.get("is_total_row")], [("EUR", 40.0)]
		)
		self.assertEqual([(s["currency"], s["value"]) for s in summary if s.get("currency")], [("EUR", 40.0)])

	def test_channel_manager_sees_only_their_channel(self):
		user = self.sc.channel_manager(self.sc.usd)
		frappe.set_user(user)
		rows, data, _chart, _summary = self.run_report()
		self.assertEqual(set(rows), {self.sc.usd})
		self.assertEqual({row["sales_channel"] for row in data if not row.get("is_total_row")}, {self.sc.usd})
		rows, data, _chart, _summary = self.run_report(sales_channel=self.sc.eur)
		self.assertEqual(data, [])

	def test_hostile_text_filters_change_nothing(self):
		for text in HOSTILE:
			_c, data, _m, _ch, _s = execute({"sales_channel": text})
			self.assertEqual(data, [])
		self.assertTrue(frappe.db.exists("OMS Order", self.sc.a.name))

	def test_sales_channel_form_stats_keep_their_meaning(self):
		stats = get_channel_stats(self.sc.usd)
		self.assertEqual(stats["current"]["orders"], 3)
		self.assertAlmostEqual(stats["current"]["revenue"], 33.0)
		self.assertEqual(stats["previous"]["orders"], 1)
		self.assertEqual(get_channel_stats(self.sc.eur)["current"]["revenue"], 40.0)

	def test_bad_period_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": today(), "to_date": add_days(today(), -3)})
