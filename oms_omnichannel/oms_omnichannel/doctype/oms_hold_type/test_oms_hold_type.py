# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.api.v1 import orders as api
from oms_omnichannel.orders.holds import DEFAULT_HOLD_TYPES, ensure_hold_types
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, refused


class TestOMSHoldType(OMSTestCase):
	def test_default_hold_types_exist(self):
		ensure_hold_types()
		for name in DEFAULT_HOLD_TYPES:
			self.assertTrue(frappe.db.exists("OMS Hold Type", name))

	def test_administrators_can_add_hold_types_and_use_them(self):
		name = "Customs Check"
		if not frappe.db.exists("OMS Hold Type", name):
			frappe.get_doc({"doctype": "OMS Hold Type", "hold_type_name": name}).insert()
		order = OrderFixture().order()
		api.hold(order.name, name, "papers missing")
		order.reload()
		self.assertEqual((order.status, order.holds[0].hold_type), ("On Hold", name))

	def test_unknown_hold_type_is_refused(self):
		order = OrderFixture().order()
		with refused(self, frappe.LinkValidationError, "Hold Type Teleport does not exist"):
			api.hold(order.name, "Teleport", "x")
