# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.logistics.shipping import ship
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, assert_stock_integrity, balance, refused


def make_return(order, rows, submit=True, location=None):
	doc = frappe.get_doc(
		{
			"doctype": "Return Request",
			"order": order.name,
			"return_location": location,
			"items": rows,
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	return doc


class TestReturnRequest(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()
		self.order = self.fx.order(qty=3, other_qty=2, paid_amount=39.47)
		self.line, self.other_line = self.order.items
		ship(
			self.order,
			{self.line.name: 3, self.other_line.name: 2},
			self.fx.north,
			("OMS Order", self.order.name),
		)
		self.order.reload()

	def tearDown(self):
		assert_stock_integrity(self, self.fx.item)

	def test_resellable_goes_back_to_available_damaged_to_damaged_and_refunds(self):
		before = balance(self.fx.item, self.fx.north).actual_qty
		ret = make_return(
			self.order,
			[
				{"order_item": self.line.name, "item": self.fx.item, "qty": 1, "condition": "Resellable"},
				{"order_item": self.line.name, "item": self.fx.item, "qty": 1, "condition": "Damaged"},
			],
			location=self.fx.north,
		)
		self.assertEqual(ret.refund_amount, 19.98)
		self.assertEqual(
			ret.currency, frappe.db.get_value("OMS Order", ret.order, "currency")
		)  # refunds in the order's money
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, before + 1)
		self.assertEqual(balance(self.fx.item, self.fx.north, "Damaged").actual_qty, 1)
		self.order.reload()
		self.assertEqual(self.order.items[0].returned_qty, 2)
		self.assertEqual(self.order.refunded_amount, 19.98)
		self.assertEqual(self.order.payment_status, "Partially Refunded")

		ret.cancel()
		self.order.reload()
		self.assertEqual((self.order.items[0].returned_qty, self.order.refunded_amount), (0, 0))
		self.assertEqual(self.order.payment_status, "Paid")

	def test_returning_everything_refunds_in_full(self):
		make_return(
			self.order,
			[
				{"order_item": self.line.name, "item": self.fx.item, "qty": 3},
				{"order_item": self.other_line.name, "item": self.fx.other_item, "qty": 2},
			],
			location=self.fx.north,
		)
		self.order.reload()
		self.assertEqual(self.order.refunded_amount, 39.47)
		self.assertEqual(self.order.payment_status, "Refunded")

	def test_more_than_shipped_minus_returned_is_refused(self):
		make_return(
			self.order,
			[{"order_item": self.line.name, "item": self.fx.item, "qty": 2}],
			location=self.fx.north,
		)
		with refused(self, frappe.ValidationError, "at most 1 can be returned"):
			make_return(
				self.order,
				[{"order_item": self.line.name, "item": self.fx.item, "qty": 2}],
				location=self.fx.north,
			)

	def test_a_line_of_another_order_is_refused(self):
		stranger = self.fx.order(qty=1).items[0].name
		with refused(
			self, frappe.ValidationError, f"Row 1: line {stranger} is not on order {self.order.name}"
		):
			make_return(
				self.order, [{"order_item": stranger, "item": self.fx.item, "qty": 1}], location=self.fx.north
			)
		self.assertFalse(frappe.db.exists("Return Request", {"order": self.order.name}))

	def test_return_against_an_unshipped_order_is_refused(self):
		unshipped = self.fx.order(qty=1)
		with refused(self, frappe.ValidationError, "not shipped"):
			make_return(
				unshipped,
				[{"order_item": unshipped.items[0].name, "item": self.fx.item, "qty": 1}],
				location=self.fx.north,
			)
