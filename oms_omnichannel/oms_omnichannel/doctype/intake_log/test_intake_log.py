# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Order intake over real HTTP: single, batch, replays, races, scope and every bad input."""

import json
import threading
from unittest.mock import patch

import frappe
import redis

from oms_omnichannel.channels.intake import process_batch
from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.rest import ApiUser, post
from oms_omnichannel.tests.utils import OMSTestCase, make_channel, make_item, make_location, receive, unique

INGEST = "/api/method/oms_omnichannel.api.v1.orders.ingest"


class TestIntakeOverHTTP(OMSTestCase):
	@classmethod
	def tearDownClass(cls):
		purge_committed_test_records()  # this class had to commit its data
		super().tearDownClass()

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.location = make_location().name
		cls.item = make_item(standard_price=20).name
		receive(cls.item, cls.location, 1000)
		cls.channel = make_channel(fulfilment_locations=[{"location": cls.location}]).name
		cls.other_channel = make_channel().name
		cls.listing_sku = unique("CH")
		frappe.get_doc(
			{
				"doctype": "Channel Listing",
				"sales_channel": cls.channel,
				"channel_sku": cls.listing_sku,
				"item": cls.item,
			}
		).insert()
		cls.integration = ApiUser(
			"oms.intake.bot@example.com", ["OMS Integration"], {"Sales Channel": [cls.channel]}
		)
		frappe.db.commit()

	def tearDown(self):
		# This class works with committed data (requests run on other connections): never leave
		# this connection holding row locks a request would wait for.
		frappe.db.commit()

	def order(self, **overrides):
		body = {
			"channel_order_id": unique("WEB"),
			"customer": {"name": "Rest Customer", "email": f"{unique('c').lower()}@example.com"},
			"shipping_address": {"line1": "Torstraße 1", "city": "Berlin", "postcode": "10119"},
			"lines": [
				{"sku": self.item, "qty": 2, "price": 19.9},
				{"channel_sku": self.listing_sku, "qty": 1, "price": 19.9},
			],
			"payment_status": "Paid",
		}
		body.update(overrides)
		return body

	def send(self, body, user=None, **kwargs):
		response = post(INGEST, user=user or self.integration, json_body=body, **kwargs)
		frappe.db.commit()  # a new snapshot: see what the request committed
		return response

	def test_single_order_is_created_submitted_and_reserved(self):
		order = self.order()
		response = self.send({"channel": self.channel, "order": order})
		self.assertEqual(response.status_code, 200, response.text)
		result = response.message["results"][0]
		self.assertEqual(
			(result["outcome"], result["status"], result["replay"]), ("Created", "Processing", False)
		)
		doc = frappe.get_doc("OMS Order", result["order"])
		self.assertEqual(
			(doc.channel_order_id, doc.docstatus, doc.items[1].channel_sku),
			(order["channel_order_id"], 1, self.listing_sku),
		)
		self.assertEqual(sum(row.reserved_qty for row in doc.items), 3)
		self.assertEqual(frappe.db.get_value("Intake Log", result["intake_log"], "outcome"), "Created")

	def test_the_same_order_twice_is_one_order_marked_replay(self):
		body = {"channel": self.channel, "order": self.order()}
		first, second = self.send(body), self.send(body)
		self.assertEqual(second.status_code, 200)
		self.assertEqual(first.message["results"][0]["order"], second.message["results"][0]["order"])
		self.assertTrue(second.message["results"][0]["replay"])
		self.assertEqual(
			frappe.db.count("OMS Order", {"channel_order_id": body["order"]["channel_order_id"]}), 1
		)

	def test_racing_posts_of_one_order_create_one_order(self):
		body = {"channel": self.channel, "order": self.order()}
		responses, site = [], frappe.local.site
		threads = [
			threading.Thread(
				target=lambda: responses.append(
					post(INGEST, user=self.integration, json_body=body, site=site)
				)
			)
			for _ in range(4)
		]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()
		frappe.db.commit()
		self.assertEqual(
			sorted(r.status_code for r in responses),
			[200] * 4,
			[r.text[:3000] for r in responses if r.status_code != 200],
		)
		orders = {r.message["results"][0]["order"] for r in responses}
		self.assertEqual(len(orders), 1)
		self.assertEqual(
			frappe.db.count("OMS Order", {"channel_order_id": body["order"]["channel_order_id"]}), 1
		)
		self.assertEqual(sum(not r.message["results"][0]["replay"] for r in responses), 1)

	def test_batch_with_one_bad_order_keeps_the_good_ones(self):
		good, bad = self.order(), self.order(lines=[{"sku": self.item, "qty": -1}])
		response = self.send({"channel": self.channel, "orders": [good, bad]})
		self.assertEqual(response.status_code, 200, response.text)
		results = response.message["results"]
		self.assertEqual([r["outcome"] for r in results], ["Created", "Failed"])
		self.assertEqual(results[1]["errors"][0]["field"], "orders[1].lines[0].qty")
		self.assertFalse(frappe.db.exists("OMS Order", {"channel_order_id": bad["channel_order_id"]}))

	def test_each_bad_input_is_a_clear_4xx_naming_the_field(self):
		cases = [
			({"lines": [{"sku": self.item, "qty": 1}], "channel_order_id": ""}, "orders[0].channel_order_id"),
			({"lines": [{"channel_sku": "NOT-LISTED", "qty": 1}]}, "orders[0].lines[0].channel_sku"),
			({"lines": [{"sku": self.item, "qty": -3}]}, "orders[0].lines[0].qty"),
			({"lines": [{"sku": self.item, "qty": 1, "price": "cheap"}]}, "orders[0].lines[0].price"),
			({"delivery_method": "Teleport"}, "orders[0].delivery_method"),
			({"pickup_store": self.location}, "orders[0].pickup_store"),  # offers no pickup
		]
		for change, field in cases:
			with self.subTest(field=field):
				body = self.order(**change)
				before = frappe.db.count("OMS Order")
				response = self.send({"channel": self.channel, "orders": [body]})
				self.assertEqual(response.status_code, 422, response.text)
				self.assertEqual(response.message["results"][0]["errors"][0]["field"], field)
				self.assertEqual(frappe.db.count("OMS Order"), before)

	def test_refused_requests(self):
		too_many = [self.order() for _ in range(3)]
		frappe.db.set_single_value("OMS Settings", "intake_batch_limit", 2)
		frappe.db.commit()
		try:
			response = self.send({"channel": self.channel, "orders": too_many})
		finally:
			frappe.db.set_single_value("OMS Settings", "intake_batch_limit", 500)
			frappe.db.commit()
		self.assertEqual(response.status_code, 400, response.text)
		self.assertIn("at most 2 orders", response.text)

		response = post(
			INGEST, user=self.integration, data="{not json", headers={"Content-Type": "text/plain"}
		)
		self.assertEqual(response.status_code, 400, response.text)
		self.assertIn("not valid JSON", response.text)

		big = {"channel": self.channel, "order": self.order(notes="x" * (5 * 1024 * 1024))}
		response = post(
			INGEST, user=self.integration, data=json.dumps(big), headers={"Content-Type": "text/plain"}
		)
		self.assertEqual(response.status_code, 413, response.text)

		response = self.send({"order": self.order()})
		self.assertEqual(response.status_code, 400, response.text)
		self.assertIn("channel", response.text)

	def test_a_channel_the_key_is_not_allowed_for_is_refused(self):
		body = self.order()
		response = self.send({"channel": self.other_channel, "order": body})
		self.assertEqual(response.status_code, 403, response.text)
		self.assertFalse(frappe.db.exists("OMS Order", {"channel_order_id": body["channel_order_id"]}))
		response = self.send({"channel": "No Such Channel", "order": body})
		self.assertEqual(response.status_code, 404, response.text)

	def test_idempotency_key_returns_the_first_answer(self):
		headers = {"Idempotency-Key": unique("key")}
		first = self.send({"channel": self.channel, "order": self.order()}, headers=headers)
		second = self.send(
			{"channel": self.channel, "order": self.order()}, headers=headers
		)  # different body, same key
		self.assertEqual(first.message["results"][0]["order"], second.message["results"][0]["order"])
		self.assertTrue(second.message["idempotent_replay"])

	def test_failed_order_can_be_fixed_and_replayed(self):
		channel_sku = unique("LATE")
		body = self.order(lines=[{"channel_sku": channel_sku, "qty": 1, "price": 5}])
		response = self.send({"channel": self.channel, "order": body})
		log = response.message["results"][0]["intake_log"]
		self.assertEqual(frappe.db.get_value("Intake Log", log, "outcome"), "Failed")
		frappe.get_doc(
			{
				"doctype": "Channel Listing",
				"sales_channel": self.channel,
				"channel_sku": channel_sku,
				"item": self.item,
			}
		).insert()
		manager = ApiUser("oms.intake.manager@example.com", ["OMS Manager"])
		frappe.db.commit()
		response = post(
			"/api/method/oms_omnichannel.api.v1.orders.replay_intake",
			user=manager,
			json_body={"logs": [log]},
		)
		frappe.db.commit()
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.message[0]["outcome"], "Created")
		self.assertEqual(frappe.db.get_value("Intake Log", log, ["outcome", "attempts"]), ("Created", 2))

	def test_large_batch_is_queued_and_completes_exactly_once(self):
		frappe.db.set_single_value("OMS Settings", "intake_async_threshold", 2)
		frappe.db.commit()
		try:
			orders = [self.order() for _ in range(3)]
			response = self.send({"channel": self.channel, "orders": orders})
		finally:
			frappe.db.set_single_value("OMS Settings", "intake_async_threshold", 50)
			frappe.db.commit()
		self.assertEqual(response.status_code, 202, response.text)
		batch = response.message["batch_id"]
		# A worker "killed" after the first order: process one log, then run the whole batch again.
		first_log = response.message["results"][0]["intake_log"]
		from oms_omnichannel.channels.intake import replay

		replay(first_log)
		summary = process_batch(batch, commit=False)
		self.assertEqual(summary, {"created": 3})
		for body in orders:
			self.assertEqual(frappe.db.count("OMS Order", {"channel_order_id": body["channel_order_id"]}), 1)

	def queued_batch(self, orders: int = 3) -> str:
		frappe.db.set_single_value("OMS Settings", "intake_async_threshold", orders - 1)
		frappe.db.commit()
		try:
			with patch("frappe.enqueue"):  # no worker here: the test runs the batch itself
				response = self.send(
					{"channel": self.channel, "orders": [self.order() for _ in range(orders)]}
				)
		finally:
			frappe.db.set_single_value("OMS Settings", "intake_async_threshold", 50)
			frappe.db.commit()
		self.assertEqual(response.status_code, 202, response.text)
		return response.message["batch_id"]

	def test_a_batch_whose_worker_died_is_resumed_over_rest_and_completes_once(self):
		batch = self.queued_batch()
		manager = ApiUser("oms.intake.manager@example.com", ["OMS Manager"])
		frappe.db.commit()
		resume = "/api/method/oms_omnichannel.api.v1.orders.resume_intake_batch"
		with patch("frappe.enqueue") as enqueue:
			response = post(resume, user=manager, json_body={"batch_id": batch})
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.message, {"batch_id": batch, "queued": 3})
		(job,) = enqueue.call_args_list
		self.assertEqual(job.kwargs["batch_id"], batch)
		# a job of its own: the dead worker's job may still look "started" to the queue
		self.assertNotEqual(job.kwargs["job_id"], f"oms-intake-{batch}")
		self.assertEqual(process_batch(batch, commit=False), {"created": 3})
		frappe.db.commit()  # what the resumed job did, for the next request to see
		with patch("frappe.enqueue") as enqueue:
			again = post(resume, user=manager, json_body={"batch_id": batch})
		self.assertEqual(again.message["queued"], 0)  # nothing left: nothing queued
		enqueue.assert_not_called()
		self.assertEqual(post(resume, user=manager, json_body={"batch_id": "no-such-batch"}).status_code, 404)
		analyst = ApiUser("oms.intake.analyst@example.com", ["OMS Analyst"])
		frappe.db.commit()
		self.assertEqual(post(resume, user=analyst, json_body={"batch_id": batch}).status_code, 403)

	def test_with_the_job_queue_down_intake_is_503_and_writes_nothing(self):
		body = self.order()
		down = redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:11000.")
		with patch("frappe.enqueue", side_effect=down):
			response = self.send({"channel": self.channel, "order": body})
		self.assertEqual(response.status_code, 503, response.text)
		self.assertIn("send the order again", response.text)
		self.assertNotIn("Traceback", response.text)
		self.assertFalse(frappe.db.exists("OMS Order", {"channel_order_id": body["channel_order_id"]}))
		self.assertFalse(frappe.db.exists("Intake Log", {"channel_order_id": body["channel_order_id"]}))
		again = self.send({"channel": self.channel, "order": body})  # the queue is back
		self.assertEqual(again.status_code, 200, again.text)
		self.assertEqual(frappe.db.count("OMS Order", {"channel_order_id": body["channel_order_id"]}), 1)

	def test_with_the_redis_cache_down_orders_are_taken_without_a_rate_count(self):
		body = self.order()
		down = redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:13000.")
		with patch.object(frappe.cache, "incr", side_effect=down):
			response = self.send({"channel": self.channel, "order": body})
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(frappe.db.count("OMS Order", {"channel_order_id": body["channel_order_id"]}), 1)

	def test_the_scheduler_resumes_only_batches_that_stalled(self):
		from oms_omnichannel.channels.intake import resume_stalled_batches
		from oms_omnichannel.channels.intake.batches import STALLED_AFTER_MINUTES

		stalled, live = self.queued_batch(), self.queued_batch()
		long_ago = frappe.utils.add_to_date(None, minutes=-(STALLED_AFTER_MINUTES + 1))
		frappe.db.set_value("Intake Log", {"batch_id": stalled}, "modified", long_ago, update_modified=False)
		with patch("frappe.enqueue") as enqueue:
			resumed = resume_stalled_batches()
		self.assertIn(stalled, resumed)
		self.assertNotIn(live, resumed)
		self.assertIn(stalled, [call.kwargs["batch_id"] for call in enqueue.call_args_list])
		process_batch(stalled, commit=False)
		with patch("frappe.enqueue"):
			self.assertNotIn(stalled, resume_stalled_batches())  # done now: nothing left to resume


class TestIntakeFuzz(OMSTestCase):
	"""Random bodies at the real endpoint: never a 500, never an order without its Created result."""

	@classmethod
	def tearDownClass(cls):
		purge_committed_test_records()  # this class had to commit its data
		super().tearDownClass()

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.location = make_location().name
		cls.item = make_item().name
		receive(cls.item, cls.location, 500)
		cls.channel = make_channel(fulfilment_locations=[{"location": cls.location}]).name
		cls.user = ApiUser(
			"oms.intake.fuzz@example.com", ["OMS Integration"], {"Sales Channel": [cls.channel]}
		)
		frappe.db.commit()

	def tearDown(self):
		frappe.db.commit()

	def test_random_bodies(self):
		from hypothesis import HealthCheck, given, settings
		from hypothesis import strategies as st

		scalars = (
			st.none()
			| st.booleans()
			| st.integers(-5, 10**6)
			| st.floats(allow_nan=False)
			| st.text(max_size=12)
		)
		values = st.recursive(
			scalars,
			lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
			max_leaves=10,
		)
		line = st.fixed_dictionaries(
			{"sku": st.sampled_from([self.item, "NOPE", 5, None]), "qty": scalars, "price": scalars}
		)
		order = st.fixed_dictionaries(
			{
				"channel_order_id": st.text(min_size=0, max_size=10) | st.integers(),
				"lines": st.lists(line, max_size=3) | values,
			},
			optional={
				"customer": values,
				"shipping_address": values,
				"payment_status": scalars,
				"ordered_at": scalars,
			},
		)
		body = st.fixed_dictionaries(
			{
				"channel": st.sampled_from([self.channel, "", 7]),
				"orders": st.lists(order, min_size=1, max_size=3) | values,
			}
		)

		@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
		@given(body)
		def check(payload):
			before = frappe.db.count("OMS Order", {"sales_channel": self.channel})
			response = post(INGEST, user=self.user, json_body=payload)
			frappe.db.commit()
			self.assertLess(response.status_code, 500, response.text[:2000])
			created = [
				r for r in ((response.message or {}).get("results") or []) if r.get("outcome") == "Created"
			]
			self.assertEqual(
				frappe.db.count("OMS Order", {"sales_channel": self.channel}), before + len(created)
			)

		check()
