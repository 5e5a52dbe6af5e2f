# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import change_settings
from frappe.utils import add_to_date, now_datetime

from oms_omnichannel.inventory import reservations
from oms_omnichannel.inventory.expiry import release_expired_reservations
from oms_omnichannel.inventory.reservations import ReservationRequest
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	assert_stock_integrity,
	balance,
	make_item,
	make_location,
	make_voucher,
	receive,
)


class TestOMSStockReservation(OMSTestCase):
	def setUp(self):
		self.item = make_item().name
		self.first, self.second = make_location().name, make_location().name
		receive(self.item, self.first, 3)
		receive(self.item, self.second, 5)
		self.voucher = make_voucher()

	def tearDown(self):
		assert_stock_integrity(self, self.item)

	def request(self, qty, line="L1"):
		return ReservationRequest(self.item, qty, line, [self.first, self.second])

	def test_reserve_fills_in_priority_order_and_splits(self):
		result = reservations.reserve(*self.voucher, [self.request(4)])
		self.assertTrue(result.fully_reserved)
		self.assertEqual(result.reserved["L1"], [(self.first, 3), (self.second, 1)])
		self.assertEqual(balance(self.item, self.first).available_qty, 0)
		self.assertEqual(balance(self.item, self.second).reserved_qty, 1)

	def test_no_split_takes_one_location_that_has_it_all(self):
		result = reservations.reserve(*self.voucher, [self.request(4)], allow_split=False)
		self.assertEqual(result.reserved["L1"], [(self.second, 4)])

	def test_shortfall_is_backorder(self):
		result = reservations.reserve(*self.voucher, [self.request(10)])
		self.assertFalse(result.fully_reserved)
		self.assertEqual(result.backorder, {"L1": 2})

	def test_all_or_nothing_reserves_nothing_when_short(self):
		result = reservations.reserve(*self.voucher, [self.request(10)], allow_partial=False)
		self.assertEqual(result.reserved, {})
		self.assertEqual(balance(self.item, self.first).reserved_qty, 0)

	def test_release_gives_stock_back(self):
		reservations.reserve(*self.voucher, [self.request(4)])
		released = reservations.release(*self.voucher)
		self.assertEqual(released, 4)
		self.assertEqual(balance(self.item, self.first).available_qty, 3)
		statuses = frappe.get_all(
			"OMS Stock Reservation", filters={"voucher_no": self.voucher[1]}, pluck="status"
		)
		self.assertEqual(set(statuses), {"Released"})

	def test_consume_ships_reserved_stock_and_posts_issue(self):
		reservations.reserve(*self.voucher, [self.request(2)])
		reservations.consume(*self.voucher, "L1", self.first, 2, issue_voucher=self.voucher)
		row = balance(self.item, self.first)
		self.assertEqual((row.actual_qty, row.reserved_qty, row.available_qty), (1, 0, 1))
		self.assertEqual(
			frappe.get_value("OMS Stock Reservation", {"voucher_no": self.voucher[1]}, "status"), "Consumed"
		)

	def test_consuming_more_than_reserved_is_refused(self):
		reservations.reserve(*self.voucher, [self.request(2)])
		with self.assertRaisesRegex(frappe.ValidationError, "only 2 reserved"):
			reservations.consume(*self.voucher, "L1", self.first, 3, issue_voucher=self.voucher)
		self.assertEqual(balance(self.item, self.first).actual_qty, 3)

	def test_reserved_stock_cannot_be_issued_by_a_stock_entry(self):
		from oms_omnichannel.tests.utils import make_stock_entry

		reservations.reserve(*self.voucher, [self.request(3)])
		with self.assertRaisesRegex(frappe.ValidationError, "Not enough stock"):
			make_stock_entry("Issue", [{"item": self.item, "qty": 1}], from_location=self.first)

	def test_expired_reservations_are_released_and_the_voucher_told(self):
		reservations.reserve(
			*self.voucher, [self.request(2)], expires_at=add_to_date(now_datetime(), minutes=-1)
		)
		with patch("oms_omnichannel.inventory.expiry.run_expiry_hooks") as told:
			release_expired_reservations()
		self.assertEqual(balance(self.item, self.first).reserved_qty, 0)
		told.assert_any_call(*self.voucher, 2)
		self.assertEqual(
			frappe.get_value("OMS Stock Reservation", {"voucher_no": self.voucher[1]}, "status"), "Expired"
		)

	def test_reservation_cannot_be_edited_by_hand(self):
		reservations.reserve(*self.voucher, [self.request(1)])
		doc = frappe.get_doc("OMS Stock Reservation", {"voucher_no": self.voucher[1]})
		doc.reserved_qty = 100
		with self.assertRaises(frappe.PermissionError):
			doc.save(ignore_permissions=True)

	def test_split_setting_is_respected(self):
		with change_settings("OMS Settings", {"allow_split_across_locations": 0}):
			result = reservations.reserve(*self.voucher, [self.request(4)])
		self.assertEqual(result.reserved["L1"], [(self.second, 4)])
