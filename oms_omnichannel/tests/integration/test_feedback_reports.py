# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""The reports read real Customer Feedback: figures on a fixed scenario, worked out by hand.

On the scenario's USD channel, opened today:
- a review rated 5 (order A) and a review rated 4 (order B);
- a Late Delivery complaint rated 2, resolved 6 hours after it was opened;
- a Damaged complaint without a rating, rejected 30 hours after it was opened;
- a Damaged complaint rated 1, still open.
On the EUR channel: a review rated 4 (order E).

USD: ratings 5, 4, 2, 1 -> average 3.0; 2 of 4 rated are 4 or 5 -> CSAT 50 %; 3 complaints, 1 open,
resolution (6 + 30) / 2 = 18 h. EUR: average 4.0, CSAT 100 %, no complaints.
USD complaints by category: Late Delivery 1 (rating 2, 6 h, none open); Damaged 2 (rating 1,
30 h, 1 open)."""

from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from oms_omnichannel.oms_omnichannel.report.channel_performance.channel_performance import (
	execute as channel_performance,
)
from oms_omnichannel.oms_omnichannel.report.customer_satisfaction.customer_satisfaction import (
	execute as customer_satisfaction,
)
from oms_omnichannel.tests.sales_scenario import SalesScenario, rows_of
from oms_omnichannel.tests.utils import OMSTestCase


def feedback(**values):
	return frappe.get_doc({"doctype": "Customer Feedback", **values}).insert()


def closed(doc, status: str, resolution: str):
	doc.status, doc.resolution = status, resolution
	doc.save()
	return doc


class TestReportsReadFeedback(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		sc = cls.sc = SalesScenario()
		hours_ago = lambda hours: now_datetime() - timedelta(hours=hours)  # noqa: E731
		feedback(feedback_type="Review", rating=5, order=sc.a.name)
		feedback(feedback_type="Review", rating=4, order=sc.b.name)
		late = feedback(
			feedback_type="Complaint",
			rating=2,
			order=sc.a.name,
			complaint_category="Late Delivery",
			opened_on=hours_ago(6),
		)
		closed(late, "Resolved", "Refunded the shipping fee")
		damaged = feedback(
			feedback_type="Complaint", order=sc.b.name, complaint_category="Damaged", opened_on=hours_ago(30)
		)
		closed(damaged, "Rejected", "Damaged after delivery")
		feedback(feedback_type="Complaint", rating=1, order=sc.a.name, complaint_category="Damaged")
		feedback(feedback_type="Review", rating=4, order=sc.e.name)

	def test_channel_performance_shows_the_average_rating(self):
		_c, data, *_rest = channel_performance({})
		rows = {row["sales_channel"]: row for row in rows_of(data, self.sc.channels)}
		self.assertEqual(rows[self.sc.usd]["average_rating"], 3.0)
		self.assertEqual(rows[self.sc.eur]["average_rating"], 4.0)

	def test_satisfaction_per_channel(self):
		_c, data, message, chart, _summary = customer_satisfaction({"group_by": "Sales Channel"})
		self.assertIsNone(message)
		rows = {row["name"]: row for row in data if row["name"] in self.sc.channels}
		usd, eur = rows[self.sc.usd], rows[self.sc.eur]
		self.assertEqual((usd["feedback"], usd["average_rating"], usd["csat"]), (5, 3.0, 50.0))
		self.assertEqual((usd["complaints"], usd["open_complaints"]), (3, 1))
		self.assertAlmostEqual(usd["resolution_hours"], 18.0, delta=0.1)
		self.assertEqual((eur["feedback"], eur["average_rating"], eur["csat"]), (1, 4.0, 100.0))
		self.assertEqual((eur["complaints"], eur["resolution_hours"]), (0, None))
		self.assertEqual(chart["type"], "line")

	def test_complaints_by_category(self):
		_c, data, *_rest = customer_satisfaction(
			{"group_by": "Complaint Category", "sales_channel": self.sc.usd}
		)
		rows = {row["name"]: row for row in data}
		self.assertEqual(set(rows), {"Late Delivery", "Damaged"})
		late, damaged = rows["Late Delivery"], rows["Damaged"]
		self.assertEqual((late["complaints"], late["open_complaints"], late["average_rating"]), (1, 0, 2.0))
		self.assertAlmostEqual(late["resolution_hours"], 6.0, delta=0.1)
		self.assertEqual(
			(damaged["complaints"], damaged["open_complaints"], damaged["average_rating"]), (2, 1, 1.0)
		)
		self.assertAlmostEqual(damaged["resolution_hours"], 30.0, delta=0.1)
