# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Shop platform connectors end to end: signed Shopify and WooCommerce webhooks over real HTTP (the
site served on a socket) become orders, cancellations and returns; stock and fulfilments reach a
stub platform API on 127.0.0.1, batched and retried."""

import base64
import copy
import hashlib
import hmac
import json
import statistics
import time
from pathlib import Path
from unittest.mock import patch

import frappe
import requests
from frappe.utils import add_to_date, now_datetime

from oms_omnichannel.channels import intake
from oms_omnichannel.channels.connectors import client as platform_client
from oms_omnichannel.channels.connectors import fulfilment, stock
from oms_omnichannel.channels.stock_events import publish_atp_changes
from oms_omnichannel.logistics.shipping import new_shipment
from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.stub_platform import StubPlatform, serve_site
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	balance,
	make_carrier,
	make_channel,
	make_item,
	make_location,
	receive,
	unique,
)

FIXTURES = Path(frappe.get_app_path("oms_omnichannel")).parent / "tests" / "fixtures"
SECRET = "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"
TOKEN = "shpat_0123456789abcdef0123456789abcdef"
SHOPIFY_API = "/api/method/oms_omnichannel.api.v1.webhooks.shopify"
WOO_API = "/api/method/oms_omnichannel.api.v1.webhooks.woocommerce"
V = "/admin/api/2024-10"


def fixture(name: str) -> dict:
	return json.loads((FIXTURES / name).read_text())


def sign(body: bytes, secret: str = SECRET) -> str:
	return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def purge_connector_customers(channels: list[str]) -> None:
	customers = frappe.get_all("Customer Profile", filters={"first_channel": ("in", channels)}, pluck="name")
	for child in ("Customer Channel Identity", "Customer Profile Email", "Customer Profile Phone"):
		frappe.db.delete(child, {"parent": ("in", customers or [""])})
	if customers:
		frappe.db.delete("Customer Profile", {"name": ("in", customers)})
	frappe.db.commit()


class ConnectorTestCase(OMSTestCase):
	"""A connector channel with stock of three items, its listings, the stub platform and the site
	on a socket. Subclasses set PLATFORM."""

	PLATFORM = ""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.stub = StubPlatform()
		cls.location = make_location().name
		cls.tee, cls.mug, cls.hoodie = (make_item(standard_price=20).name for _ in range(3))
		for item in (cls.tee, cls.mug, cls.hoodie):
			receive(item, cls.location, 200)
		cls.channel = make_channel(
			currency="EUR",
			platform=cls.PLATFORM,
			platform_base_url=cls.stub.url,
			platform_location_id="655441491",
			platform_api_key="ck_test",
			shared_secret=SECRET,
			access_token=TOKEN,
			fulfilment_locations=[{"location": cls.location}],
		).name
		cls.carrier = make_carrier(carrier_name=unique("CARRIER")).name
		cls.make_listings()
		frappe.db.commit()  # the webhooks arrive on their own connections
		cls.site_server = serve_site(frappe.local.site)
		cls.base = cls.site_server.__enter__()

	@classmethod
	def tearDownClass(cls):
		cls.site_server.__exit__(None, None, None)
		cls.stub.stop()
		purge_connector_customers([cls.channel])
		frappe.db.delete("Carrier", cls.carrier)
		frappe.db.delete("__Auth", {"doctype": "Sales Channel", "name": cls.channel})  # its secrets
		purge_committed_test_records()
		super().tearDownClass()

	@classmethod
	def listing(cls, channel_sku: str, item: str, **values) -> None:
		frappe.get_doc(
			{
				"doctype": "Channel Listing",
				"sales_channel": cls.channel,
				"channel_sku": channel_sku,
				"item": item,
				**values,
			}
		).insert()

	def setUp(self):
		self.stub.reset()
		frappe.db.commit()

	def tearDown(self):
		# This class commits: the site serves each webhook on its own connection, which must see
		# what a test wrote and must not wait for its row locks. Reads after a request commit too,
		# so they see what it wrote. Everything is purged with the class.
		frappe.db.commit()

	def post(self, path: str, body: bytes, headers: dict) -> requests.Response:
		frappe.db.commit()
		return requests.post(
			f"{self.base}{path}?channel={self.channel}",
			data=body,
			headers={"Content-Type": "application/json", "Host": frappe.local.site, **headers},
			timeout=60,
		)

	def count(self, doctype: str) -> int:
		frappe.db.commit()  # a new snapshot: what the requests committed
		return frappe.db.count(doctype, {"sales_channel": self.channel})


class TestShopifyConnector(ConnectorTestCase):
	PLATFORM = "Shopify"

	@classmethod
	def make_listings(cls):
		cls.listing("TEE-BLK-M", cls.tee, platform_variant_id="45000000000001")
		# the mug line has no SKU: its variant id finds this listing
		cls.listing(
			unique("MUG"),
			cls.mug,
			platform_variant_id="45000000000002",
			platform_inventory_item_id="39072856",
		)

	def order_payload(self, **changes) -> dict:
		payload = fixture("shopify/orders_create.json")
		payload["id"] = int(frappe.generate_hash(length=10), 16) % 10**13
		payload["customer"]["id"] = payload["id"] + 1
		payload["customer"]["phone"] = payload["shipping_address"]["phone"] = (
			f"+4915{payload['id'] % 10**9:09d}"
		)
		payload.update(changes)
		return payload

	def webhook(self, topic: str, payload, secret: str | None = SECRET, webhook_id: str | None = None):
		body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
		headers = {"X-Shopify-Topic": topic, "X-Shopify-Webhook-Id": webhook_id or unique("wh")}
		if secret is not None:
			headers["X-Shopify-Hmac-Sha256"] = sign(body, secret)
		return self.post(SHOPIFY_API, body, headers)

	def order_of(self, payload) -> frappe._dict:
		frappe.db.commit()
		return frappe.get_doc(
			"OMS Order", {"sales_channel": self.channel, "channel_order_id": str(payload["id"])}
		)

	def test_signed_order_becomes_one_order_twice_sent_still_one(self):
		payload = self.order_payload()
		response = self.webhook("orders/create", payload, webhook_id="wh-create-1")
		self.assertEqual(response.status_code, 200, response.text)
		answer = response.json()["message"]
		self.assertEqual(answer["outcome"], "Created", answer)
		order = self.order_of(payload)
		self.assertEqual([(row.item, row.qty) for row in order.items], [(self.tee, 2), (self.mug, 1)])
		self.assertEqual(order.grand_total, 60.52)  # 85.52 less the 25.00 gift card
		self.assertEqual((order.payment_status, order.paid_amount), ("Paid", 85.52))
		self.assertEqual(order.status, "Processing")  # sourced and reserved
		self.assertIsNone(frappe.db.get_value("Customer Profile", order.customer, "email"))
		log = frappe.get_doc("Intake Log", answer["intake_log"])
		self.assertEqual(
			(log.source, log.idempotency_key, log.outcome),
			("Shopify orders/create", "shopify:wh-create-1", "Created"),
		)
		self.assertNotIn(SECRET, log.payload)
		self.assertNotIn(TOKEN, json.dumps(log.as_dict(), default=str))
		again = self.webhook("orders/create", payload, webhook_id="wh-create-1").json()["message"]
		updated = self.webhook("orders/updated", payload).json()["message"]
		self.assertEqual((again["outcome"], again["order"]), ("Replayed", order.name))
		self.assertEqual((updated["outcome"], updated["order"]), ("Replayed", order.name))
		frappe.db.commit()
		self.assertEqual(
			frappe.db.count(
				"OMS Order", {"sales_channel": self.channel, "channel_order_id": str(payload["id"])}
			),
			1,
		)

	def test_wrong_or_missing_signature_is_401_and_nothing_is_written(self):
		payload = self.order_payload()
		before = (self.count("OMS Order"), self.count("Intake Log"))
		body = json.dumps(payload).encode()
		for response in (
			self.webhook("orders/create", payload, secret="not-the-secret"),
			self.webhook("orders/create", payload, secret=None),
			self.post(
				SHOPIFY_API,
				body,
				{"X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": sign(body + b" ")},
			),
			requests.post(
				f"{self.base}{SHOPIFY_API}?channel=nope",
				data=body,
				headers={"Host": frappe.local.site, "X-Shopify-Hmac-Sha256": sign(body)},
				timeout=60,
			),
			self.post(
				WOO_API, body, {"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Signature": sign(body)}
			),
		):
			self.assertEqual(response.status_code, 401, response.text)
			self.assertIn("Signature", response.text)
		self.assertEqual((self.count("OMS Order"), self.count("Intake Log")), before)

	def test_another_http_method_is_405_naming_post_and_nothing_is_written(self):
		payload = self.order_payload()
		body = json.dumps(payload).encode()
		headers = {
			"Content-Type": "application/json",
			"Host": frappe.local.site,
			"X-Shopify-Topic": "orders/create",
			"X-Shopify-Hmac-Sha256": sign(body),  # well signed: only the method is wrong
		}
		before = (self.count("OMS Order"), self.count("Intake Log"))
		for method in ("PUT", "DELETE", "PATCH"):
			frappe.db.commit()
			response = requests.request(
				method,
				f"{self.base}{SHOPIFY_API}?channel={self.channel}",
				data=body,
				headers=headers,
				timeout=60,
			)
			self.assertEqual(response.status_code, 405, response.text)
			self.assertEqual(response.headers.get("Allow"), "POST")
			self.assertIn(f"takes POST, not {method}", response.text)
			self.assertNotIn("Traceback", response.text)
		self.assertEqual((self.count("OMS Order"), self.count("Intake Log")), before)

	def test_two_megabyte_body_is_413_and_nothing_is_written(self):
		payload = self.order_payload(note="x" * (2 * 1024 * 1024))
		before = self.count("Intake Log")
		response = self.webhook("orders/create", payload)
		self.assertEqual(response.status_code, 413, response.text)
		self.assertEqual(self.count("Intake Log"), before)

	def test_unknown_sku_and_zero_lines_are_logged_and_a_fixed_one_replays(self):
		payload = self.order_payload()
		sku = unique("NEW")
		payload["line_items"][0].update(sku=sku, variant_id=1)
		answer = self.webhook("orders/create", payload).json()["message"]
		self.assertEqual(answer["outcome"], "Failed")
		self.assertEqual(answer["errors"][0]["field"], "orders[0].lines[0].channel_sku")
		log = frappe.get_doc("Intake Log", answer["intake_log"])
		self.assertEqual(
			(log.outcome, log.error_field, log.order), ("Failed", "orders[0].lines[0].channel_sku", None)
		)
		frappe.db.commit()
		self.assertFalse(
			frappe.db.exists(
				"OMS Order", {"sales_channel": self.channel, "channel_order_id": str(payload["id"])}
			)
		)
		self.listing(sku, self.hoodie)
		result = intake.replay(log.name)
		self.assertEqual(result["outcome"], "Created")
		gift_only = self.order_payload()
		gift_only["line_items"] = [gift_only["line_items"][2]]
		answer = self.webhook("orders/create", gift_only).json()["message"]
		self.assertEqual((answer["outcome"], answer["errors"][0]["field"]), ("Failed", "orders[0].lines"))

	def test_a_payload_shopify_never_sends_is_logged_as_sent_naming_the_field(self):
		payload = self.order_payload()
		payload["line_items"][0]["quantity"] = "two"
		answer = self.webhook("orders/create", payload).json()["message"]
		self.assertEqual(
			(answer["outcome"], answer["errors"][0]["field"]), ("Failed", "line_items[0].quantity")
		)
		log = frappe.get_doc("Intake Log", answer["intake_log"])
		self.assertEqual((log.platform_payload, json.loads(log.payload)["id"]), (1, payload["id"]))

	def test_cancellation_cancels_and_releases_stock(self):
		before = balance(self.tee, self.location).reserved_qty
		payload = self.order_payload()
		self.assertEqual(self.webhook("orders/create", payload).json()["message"]["outcome"], "Created")
		frappe.db.commit()
		self.assertEqual(balance(self.tee, self.location).reserved_qty, before + 2)
		cancelled = {**payload, "cancelled_at": "2026-11-25T09:00:00+01:00", "cancel_reason": "customer"}
		answer = self.webhook("orders/cancelled", cancelled).json()["message"]
		self.assertEqual((answer["outcome"], answer["status"]), ("Applied", "Cancelled"), answer)
		self.assertEqual(self.order_of(payload).status, "Cancelled")
		self.assertEqual(balance(self.tee, self.location).reserved_qty, before)
		self.assertEqual(
			frappe.db.get_value("Intake Log", answer["intake_log"], ["event", "outcome"]),
			("Cancellation", "Applied"),
		)
		self.assertEqual(self.webhook("orders/cancelled", cancelled).json()["message"]["outcome"], "Replayed")
		unknown = self.webhook("orders/cancelled", {**cancelled, "id": 1}).json()["message"]
		self.assertEqual((unknown["outcome"], unknown["error_field"]), ("Failed", "id"))

	def ship(self, order_name: str, tracking_number: str = "00340434161094000001"):
		shipment = new_shipment(frappe.get_doc("OMS Order", order_name))
		shipment.carrier = self.carrier
		shipment.tracking_number = tracking_number
		shipment.insert()
		shipment.submit()
		frappe.db.commit()
		return shipment

	def test_refund_becomes_one_return_and_a_shipment_one_fulfilment(self):
		payload = self.order_payload()
		self.webhook("orders/create", payload)
		order = self.order_of(payload)
		shipment = self.ship(order.name)
		self.assertEqual(frappe.db.get_value("OMS Shipment", shipment.name, "platform_sync_pending"), 1)
		fulfillment_orders = {"fulfillment_orders": [{"id": 1046000818, "status": "open", "line_items": [
			{"id": 1, "variant_id": 45000000000001, "fulfillable_quantity": 2},
			{"id": 2, "variant_id": 45000000000002, "fulfillable_quantity": 1}]}]}  # fmt: skip
		self.stub.on("GET", f"{V}/orders/{payload['id']}/fulfillment_orders.json", fulfillment_orders)
		self.stub.on("POST", f"{V}/fulfillments.json", {"fulfillment": {"id": 255858046}})
		self.assertTrue(fulfilment.push_fulfilment(shipment.name))
		sent = self.stub.calls("POST", f"{V}/fulfillments.json")
		self.assertEqual(len(sent), 1)
		self.assertEqual(sent[0]["headers"].get("X-Shopify-Access-Token"), TOKEN)
		body = sent[0]["body"]["fulfillment"]
		self.assertEqual(body["line_items_by_fulfillment_order"], [{"fulfillment_order_id": 1046000818}])
		self.assertEqual(body["tracking_info"]["number"], "00340434161094000001")
		self.assertTrue(body["tracking_info"]["url"].endswith("00340434161094000001"))
		self.assertEqual(
			frappe.db.get_value(
				"OMS Shipment", shipment.name, ["platform_fulfilment_id", "platform_sync_pending"]
			),
			("255858046", 0),
		)
		# later tracking: an update of that fulfilment
		doc = frappe.get_doc("OMS Shipment", shipment.name)
		doc.tracking_number = "00340434161094000002"
		doc.save()
		self.assertTrue(fulfilment.push_fulfilment(shipment.name))
		update = self.stub.calls("POST", f"{V}/fulfillments/255858046/update_tracking.json")
		self.assertEqual(update[0]["body"]["fulfillment"]["tracking_info"]["number"], "00340434161094000002")
		frappe.db.commit()

		refund = fixture("shopify/refunds_create.json")
		refund.update(order_id=payload["id"], id=int(frappe.generate_hash(length=8), 16))
		answer = self.webhook("refunds/create", refund).json()["message"]
		self.assertEqual(answer["outcome"], "Created", answer)
		returned = frappe.get_doc("Return Request", answer["return_request"])
		self.assertEqual(returned.docstatus, 1)
		self.assertEqual(
			[(r.item, r.qty, r.condition) for r in returned.items], [(self.tee, 1, "Resellable")]
		)
		self.assertEqual(
			(returned.return_location, returned.channel_return_id), (self.location, str(refund["id"]))
		)
		again = self.webhook("refunds/create", refund).json()["message"]
		self.assertEqual((again["outcome"], again["return_request"]), ("Replayed", returned.name))
		self.assertEqual(frappe.db.count("Return Request", {"order": order.name}), 1)

	def test_failed_fulfilment_report_stays_pending_with_its_error(self):
		payload = self.order_payload()
		self.webhook("orders/create", payload)
		shipment = self.ship(self.order_of(payload).name)
		path = f"{V}/orders/{payload['id']}/fulfillment_orders.json"
		self.stub.fail(path, times=3, status=502)
		with patch.object(platform_client, "BACKOFF_SECONDS", 0):
			self.assertFalse(fulfilment.push_fulfilment(shipment.name))
		self.assertEqual(len(self.stub.calls("GET", path)), 3)  # retried
		pending, error = frappe.db.get_value(
			"OMS Shipment", shipment.name, ["platform_sync_pending", "platform_sync_error"]
		)
		self.assertEqual(pending, 1)
		self.assertIn("502", error)
		self.assertNotIn(TOKEN, error)

	def test_atp_change_reaches_shopify_inventory_levels(self):
		self.stub.on(
			"GET",
			f"{V}/variants/45000000000001.json",
			{"variant": {"id": 45000000000001, "inventory_item_id": 808950810}},
		)
		receive(self.tee, self.location, 5)
		receive(self.mug, self.location, 5)
		publish_atp_changes([self.tee, self.mug])
		self.assertEqual(stock.push_due_stock(), {"pushed": 2, "failed": 0})
		sets = self.stub.calls("POST", f"{V}/inventory_levels/set.json")
		atp = {item: int(balance(item, self.location).available_qty) for item in (self.tee, self.mug)}
		self.assertEqual(
			sorted(
				(c["body"]["inventory_item_id"], c["body"]["available"], c["body"]["location_id"])
				for c in sets
			),
			sorted([(808950810, atp[self.tee], 655441491), (39072856, atp[self.mug], 655441491)]),
		)
		listing = frappe.get_doc("Channel Listing", {"sales_channel": self.channel, "item": self.tee})
		self.assertEqual(
			(listing.platform_inventory_item_id, listing.last_pushed_qty, listing.push_pending),
			("808950810", atp[self.tee], 0),
		)
		self.assertEqual(stock.push_due_stock(), {"pushed": 0, "failed": 0})  # nothing due: nothing sent

	def test_webhook_to_order_latency_over_http(self):
		payloads = [self.order_payload() for _ in range(20)]
		self.webhook("orders/create", self.order_payload())  # warm up
		timings = []
		for payload in payloads:
			started = time.perf_counter()
			response = self.webhook("orders/create", payload)
			timings.append((time.perf_counter() - started) * 1000)
			self.assertEqual(response.json()["message"]["outcome"], "Created", response.text)
		timings.sort()
		print(
			f"\nwebhook-to-order latency over HTTP (Shopify orders/create, 2 lines, {len(timings)} orders, "
			f"one client, site on 127.0.0.1): p50 {statistics.median(timings):.0f} ms, "
			f"p95 {timings[int(len(timings) * 0.95) - 1]:.0f} ms, max {timings[-1]:.0f} ms"
		)


class TestWooCommerceConnector(ConnectorTestCase):
	PLATFORM = "WooCommerce"

	@classmethod
	def make_listings(cls):
		cls.listing("HOOD-BLU-L", cls.hoodie, platform_product_id="93", platform_variant_id="101")
		cls.listing("94", cls.mug, platform_product_id="94")  # no SKU on the platform: the product id
		cls.listing(unique("TEE"), cls.tee, platform_product_id="96")

	def order_payload(self, **changes) -> dict:
		payload = fixture("woocommerce/order_created.json")
		payload["id"] = int(frappe.generate_hash(length=6), 16)
		payload["billing"]["phone"] = f"030 {payload['id']:08d}"
		payload.update(changes)
		return payload

	def webhook(self, topic: str, payload, secret: str | None = SECRET):
		body = json.dumps(payload).encode()
		headers = {"X-WC-Webhook-Topic": topic, "X-WC-Webhook-Delivery-ID": unique("d")}
		if secret is not None:
			headers["X-WC-Webhook-Signature"] = sign(body, secret)
		return self.post(WOO_API, body, headers)

	def test_order_created_then_cancelled(self):
		payload = self.order_payload()
		answer = self.webhook("order.created", payload).json()["message"]
		self.assertEqual(answer["outcome"], "Created", answer)
		frappe.db.commit()
		order = frappe.get_doc("OMS Order", answer["order"])
		self.assertEqual(
			sorted((row.item, row.qty) for row in order.items), sorted([(self.hoodie, 1), (self.mug, 3)])
		)
		self.assertEqual(order.grand_total, 68.48)  # 88.48 less the 20.00 gift card
		self.assertEqual(self.webhook("order.updated", payload).json()["message"]["outcome"], "Replayed")
		answer = self.webhook("order.updated", {**payload, "status": "cancelled"}).json()["message"]
		self.assertEqual((answer["outcome"], answer["order"]), ("Applied", order.name))
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("OMS Order", order.name, "status"), "Cancelled")

	def test_ping_and_failed_orders_write_nothing_and_a_bad_signature_is_refused(self):
		before = self.count("Intake Log")
		ping = self.post(WOO_API, b"webhook_id=12", {"Content-Type": "application/x-www-form-urlencoded"})
		self.assertEqual((ping.status_code, ping.json()["message"]), (200, {"ping": True}))
		self.assertEqual(self.webhook("order.created", self.order_payload(), secret="wrong").status_code, 401)
		failed = self.webhook("order.updated", self.order_payload(status="failed"))
		self.assertEqual(failed.json()["message"], {"outcome": "Ignored", "topic": "order.updated"})
		self.assertEqual(self.count("Intake Log"), before)

	def test_an_order_taken_unpaid_is_marked_paid_by_its_update(self):
		payload = self.order_payload(status="pending", date_paid=None, date_paid_gmt=None)
		answer = self.webhook("order.created", payload).json()["message"]
		self.assertEqual(frappe.db.get_value("OMS Order", answer["order"], "payment_status"), "Unpaid")
		paid = {**payload, "status": "processing", "date_paid_gmt": "2026-11-24T18:09:00"}
		answer = self.webhook("order.updated", paid).json()["message"]
		self.assertEqual((answer["outcome"], answer["payment_status"]), ("Replayed", "Paid"), answer)
		frappe.db.commit()
		self.assertEqual(
			frappe.db.get_value("OMS Order", answer["order"], ["payment_status", "paid_amount"]),
			("Paid", 88.48),
		)
		self.assertFalse(
			frappe.db.exists(
				"OMS Stock Reservation",
				{"voucher_no": answer["order"], "status": "Open", "expires_at": ("is", "set")},
			)
		)
		again = self.webhook("order.updated", paid).json()["message"]
		self.assertNotIn("payment_status", again)  # once

	def test_atp_change_reaches_woocommerce_once_batched_and_a_failed_push_is_retried(self):
		for item in (self.tee, self.mug, self.hoodie):
			receive(item, self.location, 3)
		publish_atp_changes([self.tee, self.mug, self.hoodie])
		self.assertEqual(stock.push_due_stock(), {"pushed": 3, "failed": 0})
		batch = self.stub.calls("POST", "/wp-json/wc/v3/products/batch")
		variations = self.stub.calls("POST", "/wp-json/wc/v3/products/93/variations/batch")
		self.assertEqual((len(batch), len(variations)), (1, 1))  # both simple products in one call
		available = {
			item: int(balance(item, self.location).available_qty)
			for item in (self.tee, self.mug, self.hoodie)
		}
		self.assertEqual(
			sorted((row["id"], row["stock_quantity"]) for row in batch[0]["body"]["update"]),
			sorted([(94, available[self.mug]), (96, available[self.tee])]),
		)
		self.assertEqual(
			variations[0]["body"]["update"],
			[{"id": 101, "manage_stock": True, "stock_quantity": available[self.hoodie]}],
		)
		self.assertEqual(
			batch[0]["headers"]["Authorization"],
			"Basic " + base64.b64encode(f"ck_test:{TOKEN}".encode()).decode(),
		)

		# the platform is down: three attempts, then the error and the next try on the listing
		self.stub.reset()
		self.stub.fail("/wp-json/wc/v3/products/batch", times=3, status=503)
		receive(self.tee, self.location, 2)
		publish_atp_changes([self.tee])
		with patch.object(platform_client, "BACKOFF_SECONDS", 0):
			self.assertEqual(stock.push_due_stock(), {"pushed": 0, "failed": 1})
		self.assertEqual(len(self.stub.calls("POST", "/wp-json/wc/v3/products/batch")), 3)
		listing = frappe.get_doc("Channel Listing", {"sales_channel": self.channel, "item": self.tee})
		self.assertEqual(
			(listing.push_pending, listing.push_attempts, listing.last_pushed_qty),
			(1, 1, available[self.tee]),
		)
		self.assertIn("503", listing.push_error)
		self.assertGreater(listing.next_push_at, now_datetime())
		self.assertEqual(stock.push_due_stock(), {"pushed": 0, "failed": 0})  # backing off
		frappe.db.set_value(
			"Channel Listing", listing.name, "next_push_at", add_to_date(now_datetime(), minutes=-1)
		)
		self.assertEqual(stock.push_due_stock(), {"pushed": 1, "failed": 0})
		listing.reload()
		self.assertEqual(
			(listing.push_pending, listing.push_error, listing.last_pushed_qty),
			(0, None, available[self.tee] + 2),
		)


class TestConnectorChannelSettings(OMSTestCase):
	def test_a_connector_channel_needs_its_base_url_and_shows_its_webhook_url(self):
		with self.assertRaisesRegex(frappe.MandatoryError, "Platform Base URL"):
			make_channel(platform="Shopify", shared_secret=SECRET)
		with self.assertRaisesRegex(frappe.ValidationError, "Platform Base URL must start with https://"):
			make_channel(platform="WooCommerce", platform_base_url="shop.example")
		channel = make_channel(
			platform="Shopify", platform_base_url="https://kiez.myshopify.com/", shared_secret=SECRET
		)
		self.assertEqual(channel.platform_base_url, "https://kiez.myshopify.com")
		channel.run_method("onload")
		url = channel.get_onload().webhook_url
		self.assertTrue(
			url.endswith(f"/api/method/oms_omnichannel.api.v1.webhooks.shopify?channel={channel.name}"), url
		)
		generic = make_channel()
		generic.run_method("onload")
		self.assertIsNone(generic.get_onload().webhook_url)

	def test_secrets_are_stored_encrypted_and_appear_in_no_version(self):
		channel = make_channel(
			platform="Shopify",
			platform_base_url="https://kiez.myshopify.com",
			shared_secret=SECRET,
			access_token=TOKEN,
		)
		channel.notes = "secret rotated"
		channel.shared_secret = SECRET + "2"
		channel.save(ignore_version=False)  # tests skip versions unless asked
		stored = frappe.db.get_value("Sales Channel", channel.name, ["shared_secret", "access_token"])
		self.assertNotIn(SECRET, "".join(stored))
		self.assertNotIn(TOKEN, "".join(stored))
		self.assertEqual(channel.get_password("shared_secret"), SECRET + "2")
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "Sales Channel", "docname": channel.name}, pluck="data"
		)
		self.assertTrue(versions)
		self.assertFalse([v for v in versions if SECRET in v or TOKEN in v])
