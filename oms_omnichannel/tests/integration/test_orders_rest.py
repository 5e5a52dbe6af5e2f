# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Every order action over real HTTP, as an Order Processor and as a user without the role."""

import frappe

from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.rest import ApiUser, post
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture

API = "/api/method/oms_omnichannel.api.v1.orders."


class TestOrderActionsOverREST(OMSTestCase):
	@classmethod
	def tearDownClass(cls):
		purge_committed_test_records()  # this class had to commit its data
		super().tearDownClass()

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fx = OrderFixture(stock=50)
		cls.processor = ApiUser("oms.rest.processor@example.com", ["Order Processor"])
		cls.outsider = ApiUser("oms.rest.outsider@example.com", ["OMS Analyst"])
		frappe.db.commit()  # the HTTP requests run on their own connections

	def order(self, **kwargs):
		order = self.fx.order(**kwargs)
		frappe.db.commit()
		return order

	def test_hold_and_release(self):
		order = self.order()
		response = post(
			API + "hold", user=self.processor, json_body={"order": order.name, "reason": "call customer"}
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.message["status"], "On Hold")
		response = post(API + "release_hold", user=self.processor, json_body={"order": order.name})
		self.assertEqual(response.message["status"], "Processing")

	def test_modify(self):
		order = self.order(qty=2)
		changes = {"items": [{"name": order.items[0].name, "qty": 3}], "shipping_city": "Potsdam"}
		response = post(
			API + "modify", user=self.processor, json_body={"order": order.name, "changes": changes}
		)
		self.assertEqual(response.status_code, 200, response.text)
		order.reload()
		self.assertEqual((order.items[0].qty, order.shipping_city), (3, "Potsdam"))

	def test_split_and_merge(self):
		order = self.order(qty=2, other_qty=2)
		groups = [{order.items[0].name: 2}, {order.items[1].name: 2}]
		response = post(API + "split", user=self.processor, json_body={"order": order.name, "groups": groups})
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(len(response.message["new_orders"]), 1)
		for name in (order.name, response.message["new_orders"][0]["name"]):
			post(API + "hold", user=self.processor, json_body={"order": name, "reason": "merge them"})
		response = post(
			API + "merge",
			user=self.processor,
			json_body={"orders": [order.name, response.message["new_orders"][0]["name"]]},
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.message["status"], "On Hold")

	def test_cancel(self):
		order = self.order()
		response = post(
			API + "cancel", user=self.processor, json_body={"order": order.name, "reason": "duplicate"}
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.message["status"], "Cancelled")

	def test_refusals_are_clear_4xx(self):
		order = self.order()
		response = post(API + "cancel", user=self.processor, json_body={"order": order.name})
		self.assertEqual(response.status_code, 400, response.text)  # a missing parameter, named
		self.assertIn("reason", response.text)
		response = post(API + "hold", user=self.processor, json_body={"order": "ORD-NOPE", "reason": "x"})
		self.assertEqual(response.status_code, 404, response.text)

	def test_user_without_role_is_denied(self):
		order = self.order()
		for action, body in (
			("hold", {"order": order.name, "reason": "x"}),
			("cancel", {"order": order.name, "reason": "x"}),
			("modify", {"order": order.name, "changes": {"shipping_city": "X"}}),
			("split", {"order": order.name, "by": "location"}),
		):
			response = post(API + action, user=self.outsider, json_body=body)
			self.assertEqual(response.status_code, 403, f"{action}: {response.text}")
		order.reload()
		self.assertEqual(order.status, "Processing")

	def test_changes_need_post(self):
		from oms_omnichannel.tests.rest import get

		order = self.order()
		response = get(API + "hold", user=self.processor, query={"order": order.name, "reason": "x"})
		self.assertIn(response.status_code, (403, 405), response.text)
