# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import add_to_date, now_datetime

from oms_omnichannel.logistics.shipping import new_shipment, ship
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	OrderFixture,
	assert_order_invariants,
	assert_stock_integrity,
	balance,
	make_delivery_method,
	make_location,
	make_user,
	receive,
	refused,
)


def ship_from(order, location, lines=None, **values):
	data = new_shipment(order, location).as_dict()
	if lines is not None:
		data["items"] = [row for row in data["items"] if row["order_item"] in lines]
		for row in data["items"]:
			row["qty"] = lines[row["order_item"]]
	doc = frappe.get_doc({**data, **values})
	doc.insert()
	doc.submit()
	return doc


class TestOMSShipment(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture(stock=5)

	def tearDown(self):
		assert_stock_integrity(self, self.fx.item)

	def test_two_shipments_from_two_locations_complete_the_order(self):
		order = self.fx.order(qty=8)  # 5 north + 3 south
		first = ship_from(order, self.fx.north)
		order.reload()
		self.assertEqual(order.status, "Partially Shipped")
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, 0)
		second = ship_from(order, self.fx.south)
		order.reload()
		self.assertEqual(order.status, "Shipped")
		for shipment in (first, second):
			shipment.reload()
			shipment.record_event("In Transit", "left the depot")
			shipment.record_event("Delivered", "handed over")
		order.reload()
		self.assertEqual(order.status, "Completed")
		assert_order_invariants(self, order.name)

	def test_the_forms_create_shipment_path_returns_what_is_reserved_and_checks_permission(self):
		order = self.fx.order(qty=2)  # fits at one location, whatever the split setting
		location = frappe.db.get_value(
			"OMS Stock Reservation",
			{"voucher_no": order.name, "voucher_detail_no": order.items[0].name},
			"location",
		)
		method = "oms_omnichannel.api.v1.shipments.make_shipment"  # as oms_order.js calls it
		data = frappe.call(method, order=order.name)
		self.assertEqual((data["order"], data["source_location"]), (order.name, location))
		self.assertEqual(
			[(row["order_item"], row["qty"]) for row in data["items"]], [(order.items[0].name, 2)]
		)
		frappe.set_user(make_user("oms.no.role@example.com"))
		try:
			with self.assertRaises(frappe.PermissionError):
				frappe.call(method, order=order.name)
		finally:
			frappe.set_user("Administrator")

	def test_a_line_of_another_order_is_refused(self):
		order, stranger = self.fx.order(qty=1), self.fx.order(qty=1)
		data = new_shipment(order, self.fx.north).as_dict()
		data["items"][0]["order_item"] = stranger.items[0].name
		with refused(
			self, frappe.ValidationError, f"Row 1: line {stranger.items[0].name} is not on order {order.name}"
		):
			frappe.get_doc(data).insert()
		self.assertFalse(frappe.db.exists("OMS Shipment", {"order": order.name}))

	def test_shipping_more_than_reserved_is_refused(self):
		order = self.fx.order(qty=8)  # 5 reserved north, 3 south
		data = new_shipment(order, self.fx.south).as_dict()
		data["items"][0]["qty"] = 4
		with refused(self, frappe.ValidationError, "only 3 reserved there"):
			frappe.get_doc(data).insert().submit()
		self.assertEqual(balance(self.fx.item, self.fx.south).actual_qty, 5)

	def test_one_rule_for_shipment_lines_in_the_form_and_the_service(self):
		order = self.fx.order(qty=2)
		data = new_shipment(order, self.fx.north).as_dict()
		line = order.items[0].name
		for qty, message in (
			(3, "Row 1: cannot ship 3 of .*; only 2 left to ship"),
			(0, "Row 1: Quantity must be greater than 0"),
		):
			with self.subTest(qty=qty):
				data["items"][0]["qty"] = qty
				with refused(self, frappe.ValidationError, message):
					frappe.get_doc(data).insert()  # refused when saved, before it is submitted
				with refused(self, frappe.ValidationError, message):
					ship(order, {line: qty}, self.fx.north, ("OMS Order", order.name))
		self.assertFalse(frappe.db.exists("OMS Shipment", {"order": order.name}))
		order.reload()
		self.assertEqual((order.items[0].shipped_qty, order.status), (0, "Processing"))

	def test_shipment_for_a_cancelled_order_is_refused(self):
		order = self.fx.order(qty=1)
		data = new_shipment(order, self.fx.north).as_dict()
		order.reload()
		order.flags.cancel_reason = "test"
		order.cancel()
		with refused(self, frappe.ValidationError, "Cannot (ship|link cancelled document)"):
			frappe.get_doc(data).insert()

	def test_cancelling_before_it_leaves_puts_the_reservation_back(self):
		order = self.fx.order(qty=2)
		shipment = ship_from(order, self.fx.north)
		shipment.reload()
		shipment.cancel()
		order.reload()
		self.assertEqual(
			(order.status, order.items[0].shipped_qty, order.items[0].reserved_qty), ("Processing", 0, 2)
		)
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, 5)

	def test_cannot_cancel_once_in_transit(self):
		shipment = ship_from(self.fx.order(qty=1), self.fx.north)
		shipment.reload()
		shipment.record_event("In Transit")
		with refused(self, frappe.ValidationError, "already left"):
			shipment.cancel()

	def test_tracking_is_idempotent_and_never_goes_backwards(self):
		shipment = ship_from(self.fx.order(qty=1), self.fx.north)
		shipment.reload()
		now = now_datetime()
		self.assertTrue(
			shipment.record_event("In Transit", event_time=now, event_id="e1", latitude=52.5, longitude=13.4)
		)
		self.assertFalse(shipment.record_event("In Transit", event_time=now, event_id="e1"))
		shipment.record_event(
			"Out for Delivery", event_time=add_to_date(now, minutes=30), latitude=52.51, longitude=13.41
		)
		shipment.record_event("Packed", event_time=add_to_date(now, minutes=-30))  # late, older report
		shipment.reload()
		self.assertEqual(shipment.status, "Out for Delivery")
		self.assertEqual(len(shipment.tracking_events), 4)  # created + 3 reports
		self.assertEqual((shipment.last_latitude, shipment.last_longitude), (52.51, 13.41))
		self.assertIn("LineString", shipment.courier_map)

	def test_bad_tracking_events_are_refused(self):
		shipment = ship_from(self.fx.order(qty=1), self.fx.north)
		shipment.reload()
		with refused(self, frappe.ValidationError, "Unknown shipment status Lost"):
			shipment.record_event("Lost")
		with refused(self, frappe.ValidationError, "Latitude 95 is out of range"):
			shipment.record_event("In Transit", latitude=95, longitude=13)
		shipment.reload()
		self.assertEqual(len(shipment.tracking_events), 1)

	def test_self_pickup_needs_the_right_code(self):
		store = make_location(location_type="Store", can_pickup=1).name
		receive(self.fx.item, store, 2)
		pickup = make_delivery_method(delivery_type="Self Pickup").name
		order = self.fx.order(qty=1, delivery_method=pickup, pickup_location=store)
		shipment = ship_from(order, store)
		shipment.reload()
		self.assertEqual(shipment.status, "Ready for Pickup")
		self.assertRegex(shipment.pickup_code, r"^\d{6}$")
		wrong = "000000" if shipment.pickup_code != "000000" else "111111"
		with refused(self, frappe.PermissionError, "Wrong pickup code"):
			shipment.confirm_pickup(wrong)
		shipment.reload()
		self.assertEqual(shipment.status, "Ready for Pickup")
		shipment.confirm_pickup(shipment.pickup_code)
		order.reload()
		self.assertEqual((shipment.status, order.status), ("Picked Up", "Completed"))
