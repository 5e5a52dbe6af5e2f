# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.channels.stock_events import publish_atp_changes, queue_atp_update
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_stock_entry


class TestChannelStockUpdate(OMSTestCase):
	def test_changes_are_published_once_per_change(self):
		fx = OrderFixture(stock=10)
		self.assertGreaterEqual(publish_atp_changes([fx.item]), 1)
		update = frappe.get_last_doc(
			"Channel Stock Update", filters={"sales_channel": fx.channel, "item": fx.item}
		)
		self.assertEqual(update.available_to_promise, 20)
		self.assertEqual(publish_atp_changes([fx.item]), 0)  # nothing changed: nothing published
		fx.order(qty=3)
		publish_atp_changes([fx.item])
		update = frappe.get_last_doc(
			"Channel Stock Update", filters={"sales_channel": fx.channel, "item": fx.item}
		)
		self.assertEqual((update.available_to_promise, update.previous_available), (17, 20))

	def test_stock_movements_queue_the_item(self):
		fx = OrderFixture(stock=1)
		key = frappe.cache.make_key("oms:atp:pending-items")
		frappe.cache.delete(key)
		make_stock_entry("Issue", [{"item": fx.item, "qty": 1}], from_location=fx.north)
		queued = {i.decode() if isinstance(i, bytes) else i for i in frappe.cache.smembers(key)}
		self.assertIn(fx.item, queued)
		queue_atp_update([])  # no keys: nothing to do, no error
