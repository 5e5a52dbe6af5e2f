# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.oms_omnichannel.report.product_affinity.product_affinity import execute
from oms_omnichannel.tests.utils import OMSTestCase, make_item


class TestProductAffinity(OMSTestCase):
	def setUp(self):
		self.tea, self.cup, self.spoon = (make_item().name for _ in range(3))
		for item, other, lift in ((self.tea, self.cup, 3.5), (self.tea, self.spoon, 1.2)):
			frappe.get_doc(
				{
					"doctype": "OMS Item Affinity",
					"item": item,
					"other_item": other,
					"support": 0.05,
					"confidence": 0.6,
					"lift": lift,
				}
			).insert()

	def test_an_items_rules_strongest_first_with_percentages(self):
		rows = execute({"item": self.tea})[1]
		self.assertEqual([(r.other_item, r.lift) for r in rows], [(self.cup, 3.5), (self.spoon, 1.2)])
		self.assertEqual((rows[0].support, rows[0].confidence), (5, 60))
		self.assertEqual([r.item for r in execute({"item": self.cup})[1]], [self.tea])  # either side

	def test_minimum_lift_and_hostile_filters(self):
		self.assertEqual(len(execute({"item": self.tea, "min_lift": 2})[1]), 1)
		for hostile in ("'; drop table x; --", "%", "ü"):
			self.assertEqual(execute({"item": hostile})[1], [])
		self.assertTrue(frappe.db.exists("OMS Item Affinity", {"item": self.tea}))
