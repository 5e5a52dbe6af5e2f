# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Order handling extended without code: the shipped Server Script examples, enabled, run at the
documented point — after the app's own rules for the same event — through the desk and intake."""

from unittest.mock import patch

import frappe

from oms_omnichannel.channels import intake
from oms_omnichannel.hooks import EXAMPLE_SERVER_SCRIPTS
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, balance, unique

TAG_LARGE, REFUSE_REGION = EXAMPLE_SERVER_SCRIPTS


class TestServerScripts(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()
		# Server Scripts run only where the bench enables them (common_site_config); the test
		# enables them for itself. The script map is cached in Redis: drop it after the rollback.
		enabled = patch("frappe.utils.safe_exec.is_safe_exec_enabled", return_value=True)
		enabled.start()
		self.addCleanup(enabled.stop)
		self.addCleanup(frappe.cache.delete_value, "server_script_map")

	def enable_copy(self, example: str, **replace) -> str:
		"""A copy of a shipped (disabled) example with its constants set, enabled."""
		source = frappe.get_doc("Server Script", example)
		self.assertTrue(source.disabled)  # examples ship switched off
		script = source.script
		for old, new in replace.items():
			self.assertIn(old, script)
			script = script.replace(old, new)
		copy = frappe.copy_doc(source)
		copy.update({"name": unique("Script"), "__newname": None, "disabled": 0, "script": script})
		copy.insert()
		frappe.cache.delete_value("server_script_map")
		return copy.name

	def test_the_examples_ship_disabled_and_change_nothing(self):
		order = self.fx.order(qty=3, shipping_region="Bavaria")
		self.assertEqual(order.status, "Processing")
		self.assertNotIn("Large Order", order.get_tags())

	def test_an_after_submit_script_tags_large_orders_after_the_order_is_reserved(self):
		self.enable_copy(TAG_LARGE, **{"LIMIT = 500": "LIMIT = 50"})
		large, small = self.fx.order(qty=6), self.fx.order(qty=1)  # 59.94 and 9.99
		self.assertIn("Large Order", frappe.get_doc("OMS Order", large.name).get_tags())
		self.assertNotIn("Large Order", frappe.get_doc("OMS Order", small.name).get_tags())
		self.assertEqual(large.items[0].reserved_qty, 6)

	def test_a_before_submit_script_sees_the_validated_order_and_its_refusal_writes_nothing(self):
		self.enable_copy(
			REFUSE_REGION,
			**{
				'CHANNEL = "Marketplace"': f'CHANNEL = "{self.fx.channel}"',
				# the app's validate ran first: the message shows the total it computed
				'" orders cannot ship to " + REGION': '" orders cannot ship to " + REGION + " (" + str(doc.grand_total) + ")"',
			},
		)
		stock_before = balance(self.fx.item, self.fx.north).reserved_qty
		payload = {
			"channel_order_id": unique("SS"),
			"customer": {"name": "Script Buyer", "email": f"{unique('s').lower()}@example.com"},
			"shipping_address": {
				"line1": "Marienplatz 1",
				"city": "München",
				"postcode": "80331",
				"region": "Bavaria",
			},
			"lines": [{"sku": self.fx.item, "qty": 2, "price": 9.99}],
			"payment_status": "Paid",
		}
		result = intake.ingest({"channel": self.fx.channel, "order": payload})["results"][0]
		self.assertEqual(result["outcome"], "Failed", result)
		self.assertIn("cannot ship to Bavaria (19.98)", str(result))
		self.assertFalse(frappe.db.exists("OMS Order", {"channel_order_id": payload["channel_order_id"]}))
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, stock_before)

		with self.assertRaisesRegex(frappe.ValidationError, "cannot ship to Bavaria"):
			self.fx.order(shipping_region="bavaria ")
		self.assertEqual(self.fx.order(shipping_region="Berlin").status, "Processing")
