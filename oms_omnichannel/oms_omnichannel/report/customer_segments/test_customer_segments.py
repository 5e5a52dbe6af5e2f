# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.oms_omnichannel.report.customer_segments.customer_segments import execute
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_customer, refused


def by_segment() -> dict:
	return {row["segment"]: row for row in execute({"view": "Segments"})[1]}


class TestCustomerSegments(OMSTestCase):
	def test_segment_sizes_and_values_add_what_the_analysis_stored(self):
		before = by_segment()
		for segment, value, orders in (("Champions", 500, 6), ("Champions", 300, 4), ("Lost", 20, 1)):
			profile = make_customer()
			profile.db_set({"rfm_segment": segment, "lifetime_value": value, "order_count": orders})
		merged = make_customer()  # a merged profile is a pointer, not a customer of its own
		merged.db_set({"rfm_segment": "Lost", "lifetime_value": 999, "status": "Merged"})
		after = by_segment()

		def grew(segment, field):
			return after[segment][field] - (before.get(segment) or {}).get(field, 0)

		self.assertEqual((grew("Champions", "customers"), grew("Champions", "lifetime_value")), (2, 800))
		self.assertEqual((grew("Lost", "customers"), grew("Lost", "lifetime_value")), (1, 20))
		self.assertEqual(grew("Champions", "orders"), 10)
		total = sum(row["customers"] for row in after.values())
		self.assertAlmostEqual(after["Lost"]["share"], round(100 * after["Lost"]["customers"] / total, 1))
		segments = [row["segment"] for row in execute({"view": "Segments"})[1]]
		self.assertLess(segments.index("Champions"), segments.index("Lost"))  # best first

	def test_cohorts_count_a_new_customer_who_ordered_again(self):
		def this_month(rows):
			month = frappe.utils.nowdate()[:7]
			return next((r for r in rows if r["month"] == month), {"customers": 0, "repeat_customers": 0})

		before = this_month(execute({"view": "Cohorts"})[1])
		fx = OrderFixture()
		fx.order(qty=1), fx.order(qty=1)  # the fixture's one customer, twice
		after = this_month(execute({"view": "Cohorts"})[1])
		self.assertEqual(after["customers"] - before["customers"], 1)
		self.assertEqual(after["repeat_customers"] - before["repeat_customers"], 1)

	def test_an_unknown_view_is_refused(self):
		with refused(self, frappe.ValidationError, "View must be one of"):
			execute({"view": "'; drop table x; --"})
