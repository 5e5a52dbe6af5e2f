# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.api.v1.inventory import atp
from oms_omnichannel.inventory import reservations
from oms_omnichannel.inventory.reservations import ReservationRequest
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	make_channel,
	make_item,
	make_location,
	make_user,
	make_voucher,
	receive,
)


class TestAvailableToPromise(OMSTestCase):
	def setUp(self):
		self.item = make_item().name
		self.north, self.south = make_location().name, make_location().name
		receive(self.item, self.north, 12)
		receive(self.item, self.south, 8)
		self.channel = make_channel(
			fulfilment_locations=[{"location": self.north}, {"location": self.south}],
			atp_buffer_qty=5,
			atp_allocation_percent=50,
		).name

	def test_buffer_and_allocation_apply_to_the_total(self):
		answer = atp([self.item], self.channel)["items"][self.item]
		# (12 + 8 - 5 buffer) * 50% = 7.5 -> 7 whole units; each location capped at the total
		self.assertEqual(answer["total"], 7)
		self.assertEqual(answer["locations"], {self.north: 7, self.south: 7})

	def test_reservations_reduce_atp(self):
		reservations.reserve(*make_voucher(), [ReservationRequest(self.item, 10, "L1", [self.north])])
		answer = atp([self.item], self.channel)["items"][self.item]
		# north has 2 free, south 8: (10 - 5) * 50% = 2.5 -> 2
		self.assertEqual(answer["total"], 2)
		self.assertEqual(answer["locations"], {self.north: 2, self.south: 2})

	def test_without_channel_every_shipping_location_counts_unbuffered(self):
		answer = atp(frappe.as_json([self.item]))["items"][self.item]
		self.assertEqual(answer["locations"][self.north], 12)
		self.assertGreaterEqual(answer["total"], 20)

	def test_unknown_channel_is_refused(self):
		with self.assertRaises(frappe.DoesNotExistError):
			atp([self.item], "No Such Channel")

	def test_user_without_stock_access_is_refused(self):
		user = make_user("oms.nobody@example.com")
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				atp([self.item], self.channel)
		finally:
			frappe.set_user("Administrator")


class TestOutboundEvents(OMSTestCase):
	def test_example_webhooks_ship_disabled(self):
		from oms_omnichannel.hooks import EXAMPLE_WEBHOOKS

		for name in EXAMPLE_WEBHOOKS:
			self.assertEqual(frappe.db.get_value("Webhook", name, "enabled"), 0, name)

	def test_an_enabled_order_webhook_is_enqueued_on_status_change(self):
		from unittest.mock import patch

		from oms_omnichannel.api.v1 import orders as api
		from oms_omnichannel.tests.utils import OrderFixture

		fx = OrderFixture()
		webhook = frappe.copy_doc(frappe.get_doc("Webhook", "OMS Order Events to Web Store (example)"))
		webhook.name = f"Test order webhook {fx.channel}"
		webhook.condition = f'doc.sales_channel == "{fx.channel}"'
		webhook.enabled = 1
		webhook.insert()
		frappe.cache.delete_value("webhooks")
		order = fx.order()
		with patch("frappe.enqueue") as enqueue:
			api.hold(order.name, "Manual", "check webhook")
			from frappe.integrations.doctype.webhook import flush_webhook_execution_queue

			flush_webhook_execution_queue()
		calls = [c for c in enqueue.call_args_list if "enqueue_webhook" in str(c)]
		self.assertTrue(calls, enqueue.call_args_list)
		self.assertEqual(calls[0].kwargs["doc"].name, order.name)
