# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_delivery_method, unique


class TestDeliveryMethod(OMSTestCase):
	def test_cost_is_base_plus_weight(self):
		method = make_delivery_method(base_cost=5, cost_per_kg=1.5)
		self.assertAlmostEqual(method.get_cost(2), 8.0)
		self.assertAlmostEqual(method.get_cost(-3), 5.0)

	def test_carrier_required_for_standard_and_express(self):
		for delivery_type in ("Standard", "Express"):
			name = unique("M")
			with self.assertRaisesRegex(frappe.MandatoryError, "Carrier"):
				frappe.get_doc(
					{"doctype": "Delivery Method", "method_name": name, "delivery_type": delivery_type}
				).insert()
			self.assertFalse(frappe.db.exists("Delivery Method", name))

	def test_self_pickup_needs_no_carrier_and_drops_one(self):
		method = make_delivery_method(delivery_type="Self Pickup")
		self.assertTrue(method.is_self_pickup)
		self.assertFalse(method.carrier)

	def test_negative_cost_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_delivery_method(base_cost=-1)

	def test_unknown_delivery_type_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Delivery Type"):
			make_delivery_method(delivery_type="Teleport")
