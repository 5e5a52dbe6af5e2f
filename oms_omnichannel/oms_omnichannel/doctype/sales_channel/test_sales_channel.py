# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_channel, make_location


class TestSalesChannel(OMSTestCase):
	def test_physical_store_needs_its_store_location(self):
		with self.assertRaisesRegex(frappe.MandatoryError, "Store Location"):
			make_channel(channel_type="Physical Store")
		store = make_location(location_type="Store", can_pickup=1)
		channel = make_channel(channel_type="Physical Store", store_location=store.name)
		self.assertEqual(channel.store_location, store.name)

	def test_fulfilment_locations_in_priority_order(self):
		first, second = make_location(), make_location()
		channel = make_channel(
			fulfilment_locations=[
				{"location": second.name, "priority": 2},
				{"location": first.name, "priority": 1},
			]
		)
		self.assertEqual(channel.get_fulfilment_locations(), [first.name, second.name])

	def test_without_locations_every_shipping_location_serves(self):
		shipping = make_location(can_ship=1)
		not_shipping = make_location(can_ship=0)
		locations = make_channel().get_fulfilment_locations()
		self.assertIn(shipping.name, locations)
		self.assertNotIn(not_shipping.name, locations)

	def test_location_listed_twice_is_refused(self):
		location = make_location()
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			make_channel(fulfilment_locations=[{"location": location.name}, {"location": location.name}])

	def test_allocation_outside_0_to_100_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Allocation"):
			make_channel(atp_allocation_percent=150)

	def test_unknown_channel_type_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Channel Type"):
			make_channel(channel_type="Carrier Pigeon")

	def test_missing_currency_is_refused(self):
		with self.assertRaises(frappe.MandatoryError):
			frappe.get_doc(
				{"doctype": "Sales Channel", "channel_name": "No Currency", "channel_type": "Phone"}
			).insert()
