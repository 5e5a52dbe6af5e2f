# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""A store's staff see the store's own orders and every channel's orders to pick up there."""

import frappe

from oms_omnichannel.tests.utils import (
	OMSTestCase,
	make_channel,
	make_delivery_method,
	make_item,
	make_location,
	make_order,
	make_user,
	receive,
)


class TestStoreAccess(OMSTestCase):
	def setUp(self):
		self.mitte = make_location(location_type="Store", can_pickup=1).name
		self.kreuzberg = make_location(location_type="Store", can_pickup=1).name
		self.warehouse = make_location().name
		self.item = make_item().name
		for location in (self.mitte, self.kreuzberg, self.warehouse):
			receive(self.item, location, 20)
		self.web = make_channel(fulfilment_locations=[{"location": self.warehouse}]).name
		self.pos = make_channel(
			channel_type="Physical Store",
			store_location=self.mitte,
			fulfilment_locations=[{"location": self.mitte}],
		).name
		pickup = make_delivery_method(delivery_type="Self Pickup").name
		line = [{"item": self.item, "qty": 1, "rate": 10}]
		self.pickup_here = make_order(self.web, line, delivery_method=pickup, pickup_location=self.mitte).name
		self.pickup_elsewhere = make_order(
			self.web, line, delivery_method=pickup, pickup_location=self.kreuzberg
		).name
		self.delivery = make_order(self.web, line).name
		self.sold_in_store = make_order(self.pos, line).name
		self.associate = make_user("oms.store.mitte@example.com", ("Store Associate",))
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": self.associate,
				"allow": "Stock Location",
				"for_value": self.mitte,
			}
		).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible_orders(self, user):
		frappe.set_user(user)
		ours = {self.pickup_here, self.pickup_elsewhere, self.delivery, self.sold_in_store}
		return set(frappe.get_list("OMS Order", filters={"name": ("in", list(ours))}, pluck="name"))

	def test_the_store_sees_its_sales_and_every_channels_pickups_there(self):
		self.assertEqual(self.visible_orders(self.associate), {self.pickup_here, self.sold_in_store})
		for order, allowed in (
			(self.pickup_here, True),
			(self.sold_in_store, True),
			(self.pickup_elsewhere, False),
			(self.delivery, False),
		):
			self.assertEqual(
				frappe.has_permission("OMS Order", "read", doc=order, user=self.associate), allowed, order
			)

	def test_a_store_associate_without_a_store_sees_no_orders(self):
		other = make_user("oms.store.none@example.com", ("Store Associate",))
		self.assertEqual(self.visible_orders(other), set())

	def test_wider_roles_are_not_limited_to_a_store(self):
		processor = make_user("oms.store.processor@example.com", ("Store Associate", "Order Processor"))
		self.assertEqual(len(self.visible_orders(processor)), 4)
