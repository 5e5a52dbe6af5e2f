# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

from unittest.mock import patch

import frappe
import redis

from oms_omnichannel.channels.stock_events import publish_atp_changes, publish_pending, queue_atp_update
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

	def test_with_the_redis_cache_down_the_job_is_given_the_items(self):
		"""The pending set cannot be written: the stock change still goes through, and the job is
		queued with the items themselves, so none is lost."""
		fx = OrderFixture(stock=5)
		down = redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:13000.")
		with (
			patch.object(frappe.cache, "sadd", side_effect=down),
			patch.object(frappe.cache, "smembers", side_effect=down),
			patch("frappe.enqueue") as enqueue,
		):
			make_stock_entry("Issue", [{"item": fx.item, "qty": 1}], from_location=fx.north)
			publish = [
				call.kwargs
				for call in enqueue.call_args_list
				if call.args[0] == "oms_omnichannel.channels.stock_events.publish_pending"
			]
			self.assertEqual(len(publish), 1)
			self.assertIn(fx.item, publish[0]["given"])
			self.assertNotIn("deduplicate", publish[0])  # nothing to coalesce with
			self.assertGreaterEqual(publish_pending(given=publish[0]["given"]), 1)
		update = frappe.get_last_doc(
			"Channel Stock Update", filters={"sales_channel": fx.channel, "item": fx.item}
		)
		self.assertEqual(update.available_to_promise, 9)  # 2 locations x 5, one issued
