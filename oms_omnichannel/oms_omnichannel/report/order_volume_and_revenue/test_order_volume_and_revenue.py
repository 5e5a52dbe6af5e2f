# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import add_days, getdate, today

from oms_omnichannel.oms_omnichannel.report.order_volume_and_revenue.order_volume_and_revenue import execute
from oms_omnichannel.tests.sales_scenario import HOSTILE, SalesScenario, rows_of
from oms_omnichannel.tests.utils import OMSTestCase


class TestOrderVolumeAndRevenue(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sc = SalesScenario()

	def tearDown(self):
		frappe.set_user("Administrator")

	def ours(self, **filters):
		return rows_of(execute(filters)[1], self.sc.channels)

	def test_day_rows_match_hand_computed_values(self):
		rows = {row["sales_channel"]: row for row in self.ours(period="Day")}
		usd, eur = rows[self.sc.usd], rows[self.sc.eur]
		self.assertEqual(getdate(usd["period"]), getdate(self.sc.day))
		self.assertEqual((usd["currency"], usd["orders"], usd["units"]), ("USD", 2, 3))
		self.assertEqual((usd["gross"], usd["discounts"], usd["net"]), (30.0, 2.0, 28.0))
		self.assertEqual(usd["average_order_value"], 14.0)
		self.assertEqual(
			(eur["currency"], eur["orders"], eur["net"], eur["average_order_value"]), ("EUR", 1, 40.0, 40.0)
		)

	def test_every_period_and_the_previous_period_per_currency(self):
		for period in ("Day", "Week", "Month"):
			rows = self.ours(period=period, sales_channel=self.sc.usd)
			self.assertEqual(sum(row["orders"] for row in rows), 2, period)
			_c, data, _m, chart, summary = execute({"period": period, "sales_channel": self.sc.usd})
			total = next(row for row in data if row.get("is_total_row"))
			self.assertEqual((total["currency"], total["net"], total["previous_net"]), ("USD", 28.0, 10.0))
			self.assertEqual(total["net_change"], 180.0)
			self.assertEqual(chart["type"], "axis-mixed")
			self.assertEqual([s["currency"] for s in summary if s.get("currency")], ["USD", "USD"])

	def test_totals_never_add_currencies(self):
		_c, data, _m, chart, summary = execute({"group_by_channel": 0})
		totals = [row for row in data if row.get("is_total_row")]
		self.assertEqual(len({row["currency"] for row in totals}), len(totals))
		currencies = [s["currency"] for s in summary if s.get("label", "").startswith("Net (")]
		self.assertEqual(len(set(currencies)), len(currencies))
		self.assertIn("Net (EUR)", [d["name"] for d in chart["data"]["datasets"]])
		_c, data, _m, _chart, _s = execute({"sales_channel": self.sc.eur})
		self.assertEqual([(r["currency"], r["net"]) for r in data if r.get("is_total_row")], [("EUR", 40.0)])

	def test_channel_manager_sees_only_their_channel(self):
		frappe.set_user(self.sc.channel_manager(self.sc.eur))
		_c, data, _m, _chart, summary = execute({})
		self.assertEqual(
			{row.get("sales_channel") for row in data if not row.get("is_total_row")}, {self.sc.eur}
		)
		self.assertEqual([s["currency"] for s in summary if s.get("currency")], ["EUR"])
		self.assertEqual(execute({"sales_channel": self.sc.usd})[1], [])

	def test_hostile_text_filters_change_nothing(self):
		for text in HOSTILE:
			_c, data, *_rest = execute({"sales_channel": text, "period": text})
			self.assertEqual(data, [])
			self.assertEqual(len(self.ours(period=text)), 2)  # an unknown period counts by day

	def test_bad_period_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": today(), "to_date": add_days(today(), -3)})
