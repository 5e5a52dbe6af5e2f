# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import add_days, today

from oms_omnichannel.oms_omnichannel.report.oms_stock_ledger.oms_stock_ledger import execute
from oms_omnichannel.tests.analytics import HOSTILE, StockScenario, run_prepared
from oms_omnichannel.tests.utils import OMSTestCase


class TestOMSStockLedger(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.s = StockScenario()

	def run_report(self, days=30, **filters):
		filters = {
			"from_date": add_days(today(), -(days - 1)),
			"to_date": today(),
			"item": self.s.item,
			**filters,
		}
		_columns, data, _message, _chart, summary = execute(filters)
		return data, {row["label"]: row["value"] for row in summary}

	def test_running_balance_starts_from_the_opening_balance(self):
		s = self.s
		data, summary = self.run_report()
		# opening 20 at north (received 40 days ago) -> issue 8, transfer 2 out, ship 5; 2 into south
		self.assertEqual(
			[(r.location, r.in_qty, r.out_qty, r.balance_qty) for r in data],
			[(s.north, 0, 8, 12), (s.north, 0, 2, 10), (s.south, 2, 0, 2), (s.north, 0, 5, 5)],
		)
		self.assertEqual(
			(summary["In"], summary["Out"], summary["Net Change"], summary["Movements"]), (2, 15, -13, 4)
		)

		whole, _summary = self.run_report(days=60)
		self.assertEqual([r.balance_qty for r in whole if r.location == s.north], [10, 20, 12, 10, 5])

	def test_every_filter(self):
		s = self.s
		self.assertEqual([r.balance_qty for r in self.run_report(location=s.south)[0]], [2])
		self.assertEqual(self.run_report(stock_status="Damaged")[0], [])
		shipped = self.run_report(voucher_type="OMS Shipment")[0]
		self.assertEqual([(r.voucher_no, r.out_qty, r.balance_qty) for r in shipped], [(s.shipment, 5, 5)])
		self.assertEqual(len(self.run_report(voucher_type="OMS Stock Entry")[0]), 3)
		self.assertEqual(self.run_report(days=3, item=s.other)[0], [])
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": today(), "to_date": add_days(today(), -1)})

	def test_hostile_text_filters_change_nothing(self):
		for value in HOSTILE:
			for key in ("item", "location", "stock_status", "voucher_type"):
				self.assertEqual(self.run_report(**{key: value})[0], [], f"{key}={value!r}")
		self.assertEqual(len(self.run_report()[0]), 4)

	def test_runs_as_a_prepared_report_with_a_total_row(self):
		result = run_prepared(
			"OMS Stock Ledger",
			filters={"from_date": add_days(today(), -29), "to_date": today(), "item": self.s.item},
		)
		total = result["result"][-1]
		self.assertEqual((total[5], total[6]), (2, 15))
