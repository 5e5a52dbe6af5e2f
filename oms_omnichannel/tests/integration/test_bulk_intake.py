# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Orders of one request are written together: what each order gets must be what it would get
alone, stock goes first come first served, and a batch the database refuses is taken order by
order."""

from unittest.mock import patch

import frappe

from oms_omnichannel.channels import intake
from oms_omnichannel.channels.intake.context import IntakeContext
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	assert_order_invariants,
	assert_stock_integrity,
	balance,
	make_channel,
	make_item,
	make_location,
	make_order,
	make_user,
	receive,
	unique,
)


class TestBulkIntake(OMSTestCase):
	def setUp(self):
		self.location = make_location().name
		self.item = make_item(standard_price=10).name
		self.channel = make_channel(fulfilment_locations=[{"location": self.location}]).name
		frappe.set_user(make_user("oms.bulk.bot@example.com", ("OMS Integration", "OMS Manager")))

	def tearDown(self):
		frappe.set_user("Administrator")

	def order(self, qty=1, email=None, **values):
		return {
			"channel_order_id": unique("B"),
			"customer": {"name": "Batch Buyer", "email": email or f"{unique('b').lower()}@example.com"},
			"shipping_address": {"line1": "Kastanienallee 1", "city": "Berlin", "postcode": "10435"},
			"lines": [{"sku": self.item, "qty": qty, "price": 10}],
			"payment_status": "Paid",
			**values,
		}

	def ingest(self, orders):
		return intake.ingest({"channel": self.channel, "orders": orders})["results"]

	def test_stock_goes_first_come_first_served_within_a_batch(self):
		receive(self.item, self.location, 5)
		results = self.ingest([self.order(qty=2), self.order(qty=2), self.order(qty=2)])
		self.assertEqual([r["outcome"] for r in results], ["Created"] * 3)
		reserved = [
			frappe.db.get_value("OMS Order Item", {"parent": r["order"]}, "reserved_qty") for r in results
		]
		self.assertEqual(reserved, [2, 2, 1])
		self.assertEqual([r["status"] for r in results], ["Processing", "Processing", "Pending"])
		self.assertEqual((balance(self.item, self.location).reserved_qty), 5)
		for result in results:
			assert_order_invariants(self, result["order"])
		assert_stock_integrity(self, self.item)

	def test_an_order_of_a_batch_is_what_it_would_be_alone(self):
		receive(self.item, self.location, 10)
		alone = self.ingest([self.order(qty=3)])[0]
		together = self.ingest([self.order(qty=1), self.order(qty=3), self.order(qty=1)])[1]
		docs = [frappe.get_doc("OMS Order", r["order"]) for r in (alone, together)]
		for doc in docs:
			self.assertEqual(doc.docstatus, 1)
			self.assertEqual(doc.owner, "oms.bulk.bot@example.com")
			self.assertEqual(doc.grand_total, 30)
			self.assertEqual([(row.idx, row.qty, row.reserved_qty) for row in doc.items], [(1, 3, 3)])
			self.assertEqual(doc.items[0].fulfilment_location, self.location)
			self.assertEqual(
				[(s.from_status, s.to_status) for s in doc.status_log],
				[("Draft", "Pending"), ("Pending", "Processing")],
			)
			self.assertIn(self.location, doc.sourcing_explanation)
			timeline = frappe.get_all(
				"Comment",
				filters={"reference_doctype": "OMS Order", "reference_name": doc.name},
				pluck="content",
			)
			self.assertEqual(len(timeline), 2)
			reservations = frappe.get_all(
				"OMS Stock Reservation",
				filters={"voucher_no": doc.name},
				fields=["voucher_detail_no", "open_qty", "status", "sales_channel"],
			)
			self.assertEqual(
				[(r.voucher_detail_no, r.open_qty, r.status, r.sales_channel) for r in reservations],
				[(doc.items[0].name, 3, "Open", self.channel)],
			)
			log = frappe.get_doc("Intake Log", {"order": doc.name})
			self.assertEqual((log.outcome, log.attempts, log.received_by), ("Created", 1, doc.owner))
			self.assertEqual(frappe.parse_json(log.payload)["channel_order_id"], doc.channel_order_id)
		prefix, number = docs[0].name.rsplit("-", 1)
		self.assertTrue(docs[1].name.startswith(prefix))
		self.assertEqual(int(docs[1].name.rsplit("-", 1)[1]), int(number) + 2)  # the series, unbroken

	def test_names_continue_the_series_the_desk_uses(self):
		receive(self.item, self.location, 10)
		before = make_order(self.channel, [{"item": self.item, "qty": 1, "rate": 10}]).name
		batch = [r["order"] for r in self.ingest([self.order(), self.order()])]
		after = make_order(self.channel, [{"item": self.item, "qty": 1, "rate": 10}]).name
		numbers = [int(name.rsplit("-", 1)[1]) for name in (before, *batch, after)]
		self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 4)))

	def test_the_same_order_twice_in_a_batch_is_one_order(self):
		receive(self.item, self.location, 10)
		body = self.order()
		results = self.ingest([body, dict(body)])
		self.assertEqual([r["outcome"] for r in results], ["Created", "Replayed"])
		self.assertEqual(results[0]["order"], results[1]["order"])
		self.assertEqual(
			frappe.db.count(
				"OMS Order", {"sales_channel": self.channel, "channel_order_id": body["channel_order_id"]}
			),
			1,
		)

	def test_one_new_profile_for_every_order_of_a_person_in_a_batch(self):
		email = f"{unique('p').lower()}@example.com"
		results = self.ingest(
			[
				self.order(email=email.upper()),
				{**self.order(email=email), "customer": {"email": email, "channel_customer_id": "C-1"}},
			]
		)
		customers = {frappe.db.get_value("OMS Order", r["order"], "customer") for r in results}
		self.assertEqual(len(customers), 1)
		profile = frappe.get_doc("Customer Profile", customers.pop())
		self.assertEqual(profile.email, email)
		self.assertEqual(profile.first_channel, self.channel)
		self.assertEqual([(r.sales_channel, r.channel_customer_id) for r in profile.channel_identities],
			[(self.channel, "C-1")])  # fmt: skip
		self.assertEqual(frappe.db.count("Customer Profile", {"email": email}), 1)

	def test_a_bad_order_leaves_no_customer_and_no_stock_held(self):
		receive(self.item, self.location, 10)
		email = f"{unique('x').lower()}@example.com"
		results = self.ingest([self.order(email=email, delivery_method="No Such Method"), self.order(qty=2)])
		self.assertEqual([r["outcome"] for r in results], ["Failed", "Created"])
		self.assertEqual(results[0]["errors"][0]["field"], "orders[0].delivery_method")
		self.assertFalse(frappe.db.exists("Customer Profile", {"email": email}))
		self.assertEqual(balance(self.item, self.location).reserved_qty, 2)

	def test_a_batch_the_database_refuses_is_taken_order_by_order(self):
		"""Another request committed one of the orders after this batch looked (its snapshot is
		stale): the unique index refuses the batch, which is then taken one order at a time."""
		receive(self.item, self.location, 10)
		taken = self.order(qty=1)
		first = self.ingest([taken])[0]
		stale_lookup = IntakeContext.existing_orders
		calls = []

		def existing_orders(context, ids):
			calls.append(context.locking)
			return {} if len(calls) == 1 else stale_lookup(context, ids)

		with patch.object(IntakeContext, "existing_orders", existing_orders):
			results = self.ingest([self.order(qty=2), taken, self.order(qty=3)])
		self.assertEqual([r["outcome"] for r in results], ["Created", "Replayed", "Created"])
		self.assertEqual(results[1]["order"], first["order"])
		self.assertEqual(frappe.db.count("OMS Order", {"sales_channel": self.channel}), 3)
		self.assertEqual(balance(self.item, self.location).reserved_qty, 6)
		self.assertEqual(
			frappe.db.count("Intake Log", {"sales_channel": self.channel}), 4
		)  # nothing of the refused attempt is left
		assert_stock_integrity(self, self.item)

	def test_insert_events_run_for_every_order_of_a_batch(self):
		"""Another app's doc_events (and so Notifications and Webhooks, run the same way) see
		each order of a batch once, submitted."""
		receive(self.item, self.location, 10)
		frappe.flags.oms_test_submitted = seen = []
		hooks = frappe.get_doc_hooks()
		events = {**hooks, "OMS Order": {"on_submit": [f"{__name__}.record_submit"]}}
		try:
			with patch.object(frappe.local, "doc_events_hooks", events):
				results = self.ingest([self.order(), self.order()])
		finally:
			frappe.flags.oms_test_submitted = None
		self.assertEqual(sorted(seen), sorted((r["order"], 1) for r in results))


def record_submit(doc, method=None):
	frappe.flags.oms_test_submitted.append((doc.name, doc.docstatus))
