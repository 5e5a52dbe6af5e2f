# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt


from oms_omnichannel.inventory.integrity import check_stock_integrity
from oms_omnichannel.tests.utils import OMSTestCase, make_item, make_location, receive


class TestSiteIntegrity(OMSTestCase):
	def test_whole_site_has_no_drift(self):
		"""Every balance on the site equals its ledger and open reservations (invariant 1)."""
		self.assertEqual(check_stock_integrity(), [])

	def test_the_check_finds_drift(self):
		import frappe

		item, location = make_item().name, make_location().name
		receive(item, location, 5)
		frappe.db.set_value(
			"OMS Stock Balance", {"item": item, "location": location}, "actual_qty", 7, update_modified=False
		)
		try:
			drifts = check_stock_integrity(item)
		finally:  # the corruption must not outlive this test (rollback only comes at class end)
			frappe.db.set_value(
				"OMS Stock Balance",
				{"item": item, "location": location},
				"actual_qty",
				5,
				update_modified=False,
			)
		self.assertEqual([(d["field"], d["recorded"], d["expected"]) for d in drifts], [("actual_qty", 7, 5)])
