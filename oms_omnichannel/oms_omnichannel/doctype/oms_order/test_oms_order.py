# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import change_settings

from oms_omnichannel.api.v1 import orders as api
from oms_omnichannel.core.order_status import allowed_actions
from oms_omnichannel.inventory.reservations import OPEN_STATUSES, reserved_qty_by_line
from oms_omnichannel.logistics.shipping import deliver, new_shipment, ship
from oms_omnichannel.orders.backorders import retry_backorders_for, retry_pending_backorders, waiting_orders
from oms_omnichannel.tests.utils import (
	OMSTestCase,
	OrderFixture,
	assert_order_invariants,
	assert_stock_integrity,
	balance,
	make_customer,
	make_delivery_method,
	make_item,
	make_location,
	make_order,
	make_user,
	receive,
	refused,
)


def statuses(order):
	return [(row.from_status, row.to_status) for row in frappe.get_doc("OMS Order", order.name).status_log]


def ship_all(order, location=None):
	order.reload()
	for row in order.items:
		if row.reserved_qty:
			ship(
				order,
				{row.name: row.reserved_qty},
				location or row.fulfilment_location,
				("OMS Order", order.name),
			)
			order.reload()


class TestOMSOrder(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture()

	def tearDown(self):
		assert_stock_integrity(self, self.fx.item)
		assert_stock_integrity(self, self.fx.other_item)
		for name in frappe.get_all(
			"OMS Order", filters={"sales_channel": self.fx.channel, "docstatus": 1}, pluck="name"
		):
			assert_order_invariants(self, name)

	# ------------------------------------------------------------ intake and reservation

	def test_submit_reserves_and_moves_to_processing_with_history(self):
		order = self.fx.order(qty=3, other_qty=2)
		self.assertEqual(order.status, "Processing")
		self.assertEqual([row.reserved_qty for row in order.items], [3, 2])
		self.assertEqual(order.items[0].fulfilment_location, self.fx.north)
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 3)
		self.assertEqual(statuses(order), [("Draft", "Pending"), ("Pending", "Processing")])
		log = order.status_log[0]
		self.assertEqual(log.changed_by, "Administrator")
		self.assertTrue(log.changed_at)
		self.assertIn("Shipped from", order.sourcing_explanation)
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": order.name, "content": ("like", "%Pending%Processing%")}
			)
		)

	def test_totals_are_exact_to_the_cent(self):
		order = self.fx.order(qty=3, other_qty=2, shipping_fee=4.9)
		# 3 x 9.99 = 29.97; 2 x 5 - 0.5 = 9.50; + 4.90 shipping
		self.assertEqual(order.merchandise_value, 39.97)
		self.assertEqual(order.discount_total, 0.5)
		self.assertEqual(order.grand_total, 44.37)

	def test_short_stock_leaves_backorder_pending(self):
		order = self.fx.order(qty=25)
		self.assertEqual(order.status, "Pending")
		self.assertEqual(order.items[0].reserved_qty, 20)
		self.assertIn("backorder", order.sourcing_explanation)

	def test_backorders_are_reserved_when_stock_arrives(self):
		order = self.fx.order(qty=25)
		self.assertEqual(order.status, "Pending")
		with patch("frappe.enqueue") as enqueue:
			receive(self.fx.item, self.fx.south, 5)
		jobs = [call.args[0] for call in enqueue.call_args_list]
		self.assertIn("oms_omnichannel.orders.backorders.retry_pending_backorders", jobs)
		retry_pending_backorders(commit=False)  # the job the receipt queued
		order.reload()
		self.assertEqual((order.status, order.items[0].reserved_qty), ("Processing", 25))

	def test_a_backlog_waiting_for_other_stock_never_keeps_a_backorder_waiting(self):
		discontinued = make_item().name
		backlog = [
			make_order(
				self.fx.channel, [{"item": discontinued, "qty": 1, "rate": 1}], customer=self.fx.customer
			)
			for _ in range(7)
		]
		self.assertEqual({frappe.db.get_value("OMS Order", o.name, "status") for o in backlog}, {"Pending"})
		order = self.fx.order(qty=25)  # the newest order of all
		receive(self.fx.item, self.fx.south, 5)
		self.assertEqual(waiting_orders([discontinued], None), [])  # nothing to fill them with
		# The safety net over every item, in pages smaller than the backlog, still reaches it.
		retry_backorders_for(page=3, commit=False)
		order.reload()
		self.assertEqual((order.status, order.items[0].reserved_qty), ("Processing", 25))
		self.assertEqual({frappe.db.get_value("OMS Order", o.name, "status") for o in backlog}, {"Pending"})

	def test_backorders_are_filled_first_come_first_served_while_the_arrival_lasts(self):
		first = self.fx.order(qty=21)  # 20 in stock: 1 short
		second = self.fx.order(qty=1)  # nothing left: 1 short
		self.assertEqual((first.status, second.status), ("Pending", "Pending"))
		receive(self.fx.item, self.fx.north, 1)
		self.assertEqual(retry_backorders_for([self.fx.item], [self.fx.north], commit=False, page=1), 1)
		first.reload(), second.reload()
		self.assertEqual((first.status, second.status), ("Processing", "Pending"))

	def test_split_across_locations_can_be_turned_off(self):
		with change_settings("OMS Settings", {"allow_split_across_locations": 0}):
			order = self.fx.order(qty=12)
		self.assertEqual(order.items[0].reserved_qty, 0)
		self.assertEqual(order.status, "Pending")

	def test_self_pickup_reserves_at_the_store_only(self):
		store = make_location(location_type="Store", can_pickup=1).name
		receive(self.fx.item, store, 2)
		pickup = make_delivery_method(delivery_type="Self Pickup").name
		order = self.fx.order(qty=2, delivery_method=pickup, pickup_location=store)
		self.assertEqual(order.items[0].fulfilment_location, store)
		self.assertEqual(order.status, "Processing")

	def test_pickup_needs_a_store_that_offers_pickup(self):
		pickup = make_delivery_method(delivery_type="Self Pickup").name
		with refused(self, frappe.ValidationError, "does not offer pickup"):
			self.fx.order(delivery_method=pickup, pickup_location=self.fx.north)

	# ------------------------------------------------------------ bad input

	def test_bad_lines_are_refused_naming_the_field_and_nothing_written(self):
		cases = [
			({"item": self.fx.item, "qty": 0, "rate": 1}, "Quantity"),
			({"item": self.fx.item, "qty": -2, "rate": 1}, "Quantity"),
			({"item": self.fx.item, "qty": 1, "rate": -1}, "Rate"),
			({"item": self.fx.item, "qty": 1, "rate": 1, "discount_amount": 5}, "Discount"),
		]
		for line, field in cases:
			with self.subTest(line=line):
				before = frappe.db.count("OMS Order")
				with refused(self, frappe.ValidationError, f"Row 1.*{field}"):
					make_order(self.fx.channel, [line])
				self.assertEqual(frappe.db.count("OMS Order"), before)

	def test_unknown_item_and_channel_are_refused(self):
		with refused(self, frappe.LinkValidationError, "NO-SUCH-SKU"):
			make_order(self.fx.channel, [{"item": "NO-SUCH-SKU", "qty": 1, "rate": 1}])
		with self.assertRaises(frappe.LinkValidationError):
			make_order("No Such Channel", [{"item": self.fx.item, "qty": 1, "rate": 1}])

	def test_channel_order_id_is_unique_per_channel(self):
		self.fx.order(channel_order_id="WEB-1001")
		with refused(self, frappe.DuplicateEntryError, "WEB-1001"):
			self.fx.order(channel_order_id="WEB-1001")
		duplicate = frappe.get_doc(
			{
				"doctype": "OMS Order",
				"sales_channel": self.fx.channel,
				"channel_order_id": "WEB-1001",
				"order_datetime": frappe.utils.now_datetime(),
				"naming_series": "ORD-.YYYY.-",
				"name": "ORD-RACE-TEST",
			}
		)
		with self.assertRaises(frappe.UniqueValidationError):  # the index settles races
			duplicate.db_insert()

	# ------------------------------------------------------------ holds

	def test_holds_stack_and_release_resumes(self):
		order = self.fx.order()
		api.hold(order.name, "Manual", "customer asked to wait")
		api.hold(order.name, "Fraud Review", "card mismatch")
		order.reload()
		self.assertEqual(order.status, "On Hold")
		self.assertEqual(len([h for h in order.holds if not h.released]), 2)
		api.release_hold(order.name, "Manual", "call done")
		order.reload()
		self.assertEqual(order.status, "On Hold")  # the fraud hold still stands
		with refused(self, frappe.ValidationError, "on hold"):
			ship(order, {order.items[0].name: 1}, self.fx.north, ("OMS Order", order.name))
		api.release_hold(order.name, "Fraud Review", "verified")
		order.reload()
		self.assertEqual(order.status, "Processing")
		self.assertEqual(
			statuses(order)[-3:],
			[("Processing", "On Hold"), ("On Hold", "Pending"), ("Pending", "Processing")],
		)

	def test_hold_can_release_reservations_by_setting(self):
		with change_settings("OMS Settings", {"release_reservation_on_hold": 1}):
			order = self.fx.order(qty=4)
			api.hold(order.name, "Manual", "wait")
			self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 0)
			api.release_hold(order.name)
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 4)

	def test_hold_needs_a_reason_and_a_holdable_order(self):
		order = self.fx.order()
		with refused(self, frappe.ValidationError, "reason"):
			api.hold(order.name, "Manual", " ")
		ship_all(order)
		with refused(self, frappe.ValidationError, "already Shipped"):
			api.hold(order.name, "Manual", "too late")

	def test_a_partially_shipped_order_is_held_and_released_back_to_partially_shipped(self):
		with change_settings("OMS Settings", {"release_reservation_on_hold": 1}):
			order = self.fx.order(qty=2, other_qty=1)
			first, second = order.items
			ship(order, {first.name: 2}, self.fx.north, ("OMS Order", order.name))
			api.hold(order.name, "Manual", "customer asked to wait for the rest")
			order.reload()
			self.assertEqual((order.status, order.items[1].reserved_qty), ("On Hold", 0))
			with refused(self, frappe.ValidationError, "Cannot ship .* on hold \\(Manual\\)"):
				ship(order, {second.name: 1}, self.fx.north, ("OMS Order", order.name))
			with refused(self, frappe.ValidationError, "Cannot cancel .* part of it has already shipped"):
				api.cancel(order.name, "too late")
			api.release_hold(order.name, "Manual", "go ahead")
		order.reload()
		self.assertEqual((order.status, order.items[1].reserved_qty), ("Partially Shipped", 1))
		self.assertEqual(
			statuses(order)[-2:], [("Partially Shipped", "On Hold"), ("On Hold", "Partially Shipped")]
		)
		ship(order, {second.name: 1}, self.fx.north, ("OMS Order", order.name))
		order.reload()
		self.assertEqual(order.status, "Shipped")

	def test_the_form_is_sent_the_actions_the_status_machine_allows(self):
		def onload_actions(name):
			doc = frappe.get_doc("OMS Order", name)
			doc.run_method("onload")
			return doc.get_onload().allowed_actions

		order = self.fx.order(qty=2, other_qty=1)
		self.assertEqual(onload_actions(order.name), allowed_actions("Processing"))
		self.assertEqual(onload_actions(order.name), ["hold", "modify", "cancel", "merge", "split", "ship"])
		ship(order, {order.items[0].name: 2}, self.fx.north, ("OMS Order", order.name))
		self.assertEqual(onload_actions(order.name), ["hold", "ship"])
		api.hold(order.name, "Manual", "wait")
		# held after part of it left: released or held further, never cancelled, changed or merged
		self.assertEqual(onload_actions(order.name), allowed_actions("On Hold", shipped=True))
		self.assertEqual(onload_actions(order.name), ["hold", "release"])
		pending = self.fx.order(qty=30)  # more than in stock: waits as Pending
		self.assertEqual(onload_actions(pending.name), ["hold", "modify", "cancel", "merge", "split"])

	def test_first_express_order_abroad_is_held_for_fraud_review(self):
		express = make_delivery_method(delivery_type="Express").name
		customer = make_customer().name
		countries = frappe.get_all("Country", pluck="name", limit=2)
		order = make_order(
			self.fx.channel,
			[{"item": self.fx.item, "qty": 1, "rate": 9.99}],
			customer=customer,
			delivery_method=express,
			shipping_country=countries[0],
			billing_same_as_shipping=0,
			billing_country=countries[1],
		)
		self.assertEqual(order.status, "On Hold")
		self.assertEqual([h.hold_type for h in order.holds], ["Fraud Review"])
		self.assertEqual(order.items[0].reserved_qty, 0)  # nothing downstream while held

	def test_unpaid_orders_are_held_after_the_set_time(self):
		from oms_omnichannel.orders.holds import scheduled_automatic_holds

		order = self.fx.order(payment_status="Unpaid")
		frappe.db.set_value(
			"OMS Order", order.name, "order_datetime", frappe.utils.add_to_date(None, hours=-3)
		)
		with change_settings("OMS Settings", {"unpaid_hold_minutes": 60}):
			scheduled_automatic_holds(commit=False)
		order.reload()
		self.assertEqual(order.status, "On Hold")
		self.assertEqual(order.holds[0].hold_type, "Payment")

	# ------------------------------------------------------------ cancel

	def test_cancel_releases_reservations_and_records_reason(self):
		order = self.fx.order(qty=4)
		api.cancel(order.name, "customer changed mind")
		order.reload()
		self.assertEqual((order.status, order.docstatus), ("Cancelled", 2))
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 0)
		self.assertEqual(order.status_log[-1].reason, "customer changed mind")

	def test_the_standard_cancel_needs_a_reason_and_changes_nothing_without_one(self):
		order = self.fx.order(qty=4)
		for reason in (None, "   "):
			with self.subTest(reason=reason):
				doc = frappe.get_doc("OMS Order", order.name)
				doc.flags.cancel_reason = reason
				with refused(self, frappe.MandatoryError, f"A reason is required to cancel {order.name}"):
					doc.cancel()
		order.reload()
		self.assertEqual((order.docstatus, order.status), (1, "Processing"))
		self.assertEqual(reserved_qty_by_line("OMS Order", order.name), {order.items[0].name: 4})
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 4)
		self.assertNotIn("Cancelled", [to for _, to in statuses(order)])

	def test_the_standard_cancel_with_a_reason_records_it(self):
		order = self.fx.order(qty=4)
		doc = frappe.get_doc("OMS Order", order.name)
		doc.flags.cancel_reason = "  customer phoned  "
		doc.cancel()
		order.reload()
		self.assertEqual((order.docstatus, order.status), (2, "Cancelled"))
		self.assertEqual(
			(order.status_log[-1].to_status, order.status_log[-1].reason), ("Cancelled", "customer phoned")
		)
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 0)

	def test_cancel_after_shipping_is_refused(self):
		order = self.fx.order()
		ship_all(order)
		with refused(self, frappe.ValidationError, "Cannot cancel .* already Shipped"):
			api.cancel(order.name, "too late")

	# ------------------------------------------------------------ modify

	def test_modify_changes_lines_and_address_and_re_reserves(self):
		order = self.fx.order(qty=2, other_qty=1)
		first, second = order.items
		api.modify(
			order.name,
			{
				"items": [{"name": first.name, "qty": 5}, {"item": self.fx.other_item, "qty": 3, "rate": 4}],
				"shipping_city": "Potsdam",
			},
		)
		order.reload()
		self.assertEqual(
			[(r.item, r.qty, r.reserved_qty) for r in order.items],
			[(self.fx.item, 5, 5), (self.fx.other_item, 3, 3)],
		)
		self.assertEqual(order.shipping_city, "Potsdam")
		self.assertEqual(order.grand_total, 5 * 9.99 + 12)
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 5)
		self.assertEqual(balance(self.fx.other_item, self.fx.north).reserved_qty, 3)
		self.assertTrue(frappe.db.exists("Version", {"ref_doctype": "OMS Order", "docname": order.name}))
		self.assertFalse(frappe.db.exists("OMS Order Item", second.name))

	def test_modifying_a_shipped_line_is_refused(self):
		order = self.fx.order(qty=2, other_qty=1)
		ship(order, {order.items[0].name: 2}, self.fx.north, ("OMS Order", order.name))
		order.reload()
		with refused(self, frappe.ValidationError, "Cannot modify .* Partially Shipped"):
			api.modify(order.name, {"items": [{"name": order.items[0].name, "qty": 1}]})

	# ------------------------------------------------------------ merge and split

	def test_merge_keeps_totals_and_quantities_exact(self):
		with change_settings("OMS Settings", {"allow_backorders": 0}):
			first = self.fx.order(qty=30, shipping_fee=4.9)  # more than stock: stays Pending
			second = self.fx.order(qty=1, other_qty=3, payment_status="Paid", shipping_fee=6.5)
		api.hold(second.name, "Manual", "merge later")
		result = api.merge([first.name, second.name])
		merged = frappe.get_doc("OMS Order", result["name"])
		self.assertEqual(sum(r.qty for r in merged.items if r.item == self.fx.item), 31)
		self.assertEqual(sum(r.qty for r in merged.items if r.item == self.fx.other_item), 3)
		first.reload(), second.reload()
		self.assertEqual(merged.merchandise_value, first.merchandise_value + second.merchandise_value)
		self.assertEqual(merged.shipping_fee, 6.5)  # the dearest parcel
		for source in (first, second):
			self.assertEqual((source.status, source.merged_into), ("Merged", merged.name))
		self.assertEqual(merged.status, "On Hold")  # the hold came along

	def test_two_paid_orders_not_yet_picked_merge_into_one_parcel(self):
		first, second = self.fx.order(qty=3), self.fx.order(qty=2, other_qty=1)
		self.assertEqual((first.status, second.status), ("Processing", "Processing"))
		result = api.merge([first.name, second.name])
		merged = frappe.get_doc("OMS Order", result["name"])
		self.assertEqual(merged.status, "Processing")  # sourced and reserved again
		self.assertEqual(sum(r.reserved_qty for r in merged.items if r.item == self.fx.item), 5)
		for source in (first, second):
			source.reload()
			self.assertEqual((source.status, source.merged_into), ("Merged", merged.name))
			open_reservations = {"voucher_no": source.name, "status": ("in", OPEN_STATUSES)}
			self.assertEqual(frappe.db.count("OMS Stock Reservation", open_reservations), 0)
		held = sum(
			balance(self.fx.item, location).reserved_qty for location in (self.fx.north, self.fx.south)
		)
		self.assertEqual(held, 5)  # the same stock held, now for the merged order

	def test_merge_refuses_what_is_picked_or_shipped_and_different_customers(self):
		waiting, picking, shipped = self.fx.order(qty=1), self.fx.order(qty=1), self.fx.order(qty=2)
		draft = new_shipment(picking, self.fx.north).insert()
		with refused(
			self,
			frappe.ValidationError,
			f"Cannot merge {picking.name}: shipment {draft.name} is being prepared",
		):
			api.merge([waiting.name, picking.name])
		ship_all(shipped)
		with refused(self, frappe.ValidationError, f"Cannot merge {shipped.name}: it is already Shipped"):
			api.merge([waiting.name, shipped.name])
		other = make_order(
			self.fx.channel, [{"item": self.fx.item, "qty": 1, "rate": 1}], customer=make_customer().name
		)
		with refused(self, frappe.ValidationError, "customer"):
			api.merge([waiting.name, other.name])
		waiting.reload()
		self.assertEqual((waiting.status, waiting.items[0].reserved_qty), ("Processing", 1))

	def test_split_by_chosen_lines(self):
		order = self.fx.order(qty=4, other_qty=2, shipping_fee=5)
		first, second = order.items
		result = api.split(order.name, [{first.name: 3}, {first.name: 1, second.name: 2}])
		order.reload()
		child = frappe.get_doc("OMS Order", result["new_orders"][0]["name"])
		self.assertEqual(child.split_from, order.name)
		self.assertEqual([(r.item, r.qty) for r in order.items], [(self.fx.item, 3)])
		self.assertEqual(
			sorted((r.item, r.qty) for r in child.items), sorted([(self.fx.item, 1), (self.fx.other_item, 2)])
		)
		self.assertAlmostEqual(order.merchandise_value + child.merchandise_value, 4 * 9.99 + 10, places=2)
		self.assertEqual(order.discount_total + child.discount_total, 0.5)
		self.assertEqual(balance(self.fx.item, self.fx.north).reserved_qty, 4)

	def test_split_by_location(self):
		order = self.fx.order(qty=15)  # 10 from north, 5 from south
		result = api.split(order.name, by="location")
		order.reload()
		child = frappe.get_doc("OMS Order", result["new_orders"][0]["name"])
		self.assertEqual(order.items[0].qty + child.items[0].qty, 15)
		self.assertEqual(
			{order.items[0].fulfilment_location, child.items[0].fulfilment_location},
			{self.fx.north, self.fx.south},
		)

	def test_split_more_than_a_line_holds_is_refused(self):
		order = self.fx.order(qty=2)
		with refused(self, frappe.ValidationError, "row 1 .* holds 2 but 3 are allocated"):
			api.split(order.name, [{order.items[0].name: 2}, {order.items[0].name: 1}])
		order.reload()
		self.assertEqual(order.items[0].qty, 2)

	# ------------------------------------------------------------ full lifecycle

	def test_lifecycle_to_completion(self):
		order = self.fx.order(qty=2, other_qty=1)
		first, second = order.items
		ship(order, {first.name: 2}, self.fx.north, ("OMS Order", order.name))
		order.reload()
		self.assertEqual(order.status, "Partially Shipped")
		ship(order, {second.name: 1}, self.fx.north, ("OMS Order", order.name))
		order.reload()
		self.assertEqual(order.status, "Shipped")
		deliver(order, {first.name: 2, second.name: 1})
		order.reload()
		self.assertEqual(order.status, "Completed")
		self.assertEqual(balance(self.fx.item, self.fx.north).actual_qty, 8)
		self.assertEqual(
			[s[1] for s in statuses(order)],
			["Pending", "Processing", "Partially Shipped", "Shipped", "Completed"],
		)

	def test_an_incomplete_delivery_address_is_held_for_an_address_check(self):
		order = self.fx.order(shipping_postcode="", shipping_city="")
		self.assertEqual(order.status, "On Hold")
		self.assertEqual([h.hold_type for h in order.holds], ["Address Check"])
		self.assertIn("city, postcode", order.holds[0].reason)
		self.assertEqual(order.items[0].reserved_qty, 0)

	def test_orders_above_the_review_value_wait_for_an_order_processor(self):
		with change_settings("OMS Settings", {"review_orders_above": 50}):
			large, small = self.fx.order(qty=6), self.fx.order(qty=5)  # 59.94 and 49.95
		self.assertEqual((large.status, small.status), ("On Hold", "Processing"))
		self.assertEqual([(h.hold_type, h.rule) for h in large.holds], [("Fraud Review", "large_order")])
		self.assertIn("above the review limit", large.holds[0].reason)
		api.release_hold(large.name, "Fraud Review", "called the customer")  # the approval
		large.reload()
		self.assertEqual((large.status, large.items[0].reserved_qty), ("Processing", 6))

	def test_the_address_check_can_be_switched_off(self):
		with change_settings("OMS Settings", {"hold_incomplete_addresses": 0}):
			order = self.fx.order(shipping_postcode="")
		self.assertEqual((order.status, len(order.holds)), ("Processing", 0))

	def test_order_processors_are_told_when_an_order_goes_on_hold(self):
		processor = make_user("oms.hold.notified@example.com", ("Order Processor",))
		order = self.fx.order(qty=1)
		api.hold(order.name, "Fraud Review", "card mismatch")
		log = frappe.get_all(
			"Notification Log",
			filters={"for_user": processor, "document_type": "OMS Order", "document_name": order.name},
			fields=["subject", "email_content"],
		)
		self.assertEqual(len(log), 1)
		self.assertIn("is on hold", log[0].subject)
		self.assertIn("card mismatch", log[0].email_content)
		api.release_hold(order.name, "Fraud Review", "cleared")
		self.assertEqual(
			frappe.db.count("Notification Log", {"for_user": processor, "document_name": order.name}), 1
		)

	# ------------------------------------------------------------ permissions

	def test_user_without_order_role_cannot_act(self):
		order = self.fx.order()
		user = make_user("oms.no.role@example.com")
		frappe.set_user(user)
		try:
			for call in (
				lambda: api.hold(order.name, "Manual", "x"),
				lambda: api.cancel(order.name, "x"),
				lambda: api.modify(order.name, {"shipping_city": "X"}),
			):
				with self.assertRaises(frappe.PermissionError):
					call()
		finally:
			frappe.set_user("Administrator")
		order.reload()
		self.assertEqual(order.status, "Processing")
