# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.api.v1 import orders as api
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	OrderFixture,
	assert_order_invariants,
	assert_stock_integrity,
	balance,
	refused,
)


class TestStoreRejection(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture(stock=5)

	def tearDown(self):
		assert_stock_integrity(self, self.fx.item)

	def test_not_found_counts_stock_down_requests_a_count_and_re_sources(self):
		order = self.fx.order(qty=2)
		line = order.items[0]
		self.assertEqual(line.fulfilment_location, self.fx.north)
		result = api.reject(order.name, self.fx.north, [line.name], "Not Found", "shelf empty")
		order.reload()
		self.assertFalse(result["needs_person"])
		self.assertEqual((order.status, order.items[0].fulfilment_location), ("Processing", self.fx.south))
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, 3)  # 2 counted out
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_name": self.fx.north, "description": ("like", f"%{order.name}%")}
			)
		)
		self.assertIn("rejected lines (Not Found)", order.sourcing_explanation)
		assert_order_invariants(self, order.name)

	def test_damaged_moves_stock_to_damaged(self):
		order = self.fx.order(qty=2)
		api.reject(order.name, self.fx.north, [order.items[0].name], "Damaged")
		self.assertEqual(balance(self.fx.item, self.fx.north, "Damaged").actual_qty, 2)
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, 3)

	def test_too_busy_changes_no_stock(self):
		order = self.fx.order(qty=2)
		api.reject(order.name, self.fx.north, [order.items[0].name], "Too Busy")
		order.reload()
		self.assertEqual(order.items[0].fulfilment_location, self.fx.south)
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, 5)

	def test_when_no_other_location_can_fill_a_person_decides(self):
		order = self.fx.order(qty=8)  # 5 north + 3 south
		result = api.reject(order.name, self.fx.north, [order.items[0].name], "Too Busy")
		order.reload()
		self.assertTrue(result["needs_person"])
		self.assertEqual(order.status, "On Hold")
		self.assertEqual(order.holds[-1].hold_type, "Stock")

	def test_bad_rejections_are_refused(self):
		order = self.fx.order(qty=1)
		with refused(self, frappe.ValidationError, "Unknown rejection reason Lazy"):
			api.reject(order.name, self.fx.north, [order.items[0].name], "Lazy")
		with refused(self, frappe.ValidationError, "not assigned to"):
			api.reject(order.name, self.fx.south, [order.items[0].name], "Too Busy")
