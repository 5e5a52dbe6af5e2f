# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.analytics import feedback
from oms_omnichannel.oms_omnichannel.report.customer_satisfaction.customer_satisfaction import GROUPS, execute
from oms_omnichannel.tests.sales_scenario import HOSTILE, SalesScenario
from oms_omnichannel.tests.utils import OMSTestCase


class TestCustomerSatisfaction(OMSTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_runs_with_every_filter_and_hostile_text(self):
		sc = SalesScenario()
		for group_by in (*GROUPS, *HOSTILE):
			for channel in (None, sc.usd, *HOSTILE):
				columns, data, message, _chart, summary = execute(
					{"group_by": group_by, "sales_channel": channel}
				)
				self.assertTrue(columns)
				if not feedback.feedback_available():
					self.assertEqual(data, [])
					self.assertIn("No customer feedback yet", message)
				elif channel in HOSTILE:
					self.assertEqual(data, [])

	def test_channel_manager_sees_only_their_channel(self):
		sc = SalesScenario()
		frappe.set_user(sc.channel_manager(sc.usd))
		self.assertEqual(execute({"sales_channel": sc.eur})[1], [])
		_c, data, *_rest = execute({"group_by": "Sales Channel"})
		self.assertEqual({row["name"] for row in data} - {sc.usd}, set())
