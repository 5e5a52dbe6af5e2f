# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Carrier tracking over HTTP and the customer's public tracking page."""

from datetime import datetime, timedelta, timezone

import frappe

from oms_omnichannel.logistics.shipping import new_shipment
from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.rest import ApiUser, get, post
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_channel, unique

EVENTS = "/api/method/oms_omnichannel.api.v1.tracking.post_events"


def utc_in(minutes: int) -> str:
	"""A carrier timestamp relative to now (the shipment's own Created event is stamped now)."""
	return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


class TestTrackingOverHTTP(OMSTestCase):
	@classmethod
	def tearDownClass(cls):
		purge_committed_test_records()
		super().tearDownClass()

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fx = OrderFixture()
		cls.carrier = ApiUser(
			"oms.carrier.bot@example.com", ["OMS Integration"], {"Sales Channel": [cls.fx.channel]}
		)
		cls.stranger = ApiUser(
			"oms.other.carrier@example.com", ["OMS Integration"], {"Sales Channel": [make_channel().name]}
		)
		frappe.db.commit()

	def tearDown(self):
		frappe.db.commit()

	def shipment(self):
		order = self.fx.order(qty=1)
		doc = new_shipment(order)
		doc.tracking_number = unique("TRK")
		doc.insert()
		doc.submit()
		frappe.db.commit()
		return doc

	def send(self, events, user=None):
		response = post(EVENTS, user=user or self.carrier, json_body={"events": events})
		frappe.db.commit()
		return response

	def test_events_are_stored_once_and_never_go_backwards(self):
		shipment = self.shipment()
		first = {"tracking_number": shipment.tracking_number, "status": "In Transit", "time": utc_in(minutes=5),
			"event_id": "e-1", "latitude": 52.5, "longitude": 13.4}  # fmt: skip
		response = self.send([first, first])
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual([r["outcome"] for r in response.message["results"]], ["stored", "duplicate"])
		late = {
			"shipment": shipment.name,
			"status": "Packed",
			"time": utc_in(minutes=2),  # after the shipment was created, before the first
			"event_id": "e-0",
		}
		response = self.send([late])
		self.assertEqual(response.message["results"][0]["status"], "In Transit")
		shipment.reload()
		self.assertEqual((shipment.status, shipment.last_latitude), ("In Transit", 52.5))

	def test_bad_events_name_their_field_and_write_nothing(self):
		shipment = self.shipment()
		cases = [
			({"shipment": shipment.name, "status": "Lost"}, "status"),
			(
				{"shipment": shipment.name, "status": "In Transit", "latitude": 123, "longitude": 13},
				"latitude",
			),
			(
				{"shipment": shipment.name, "status": "In Transit", "latitude": "north", "longitude": 13},
				"latitude",
			),
			({"tracking_number": "NO-SUCH", "status": "In Transit"}, "shipment"),
			({"shipment": shipment.name, "status": "In Transit", "time": "soon"}, "time"),
		]
		for event, field in cases:
			with self.subTest(field=field):
				response = self.send([event])
				self.assertEqual(response.status_code, 422, response.text)
				self.assertEqual(response.message["results"][0]["errors"][0]["field"], f"events[0].{field}")
		shipment.reload()
		self.assertEqual(len(shipment.tracking_events), 1)

	def test_a_carrier_of_another_channel_cannot_post(self):
		shipment = self.shipment()
		response = self.send([{"shipment": shipment.name, "status": "In Transit"}], user=self.stranger)
		self.assertEqual(response.status_code, 422, response.text)
		shipment.reload()
		self.assertEqual(shipment.status, "Created")

	def test_public_page_shows_the_parcel_and_nothing_about_the_customer(self):
		shipment = self.shipment()
		self.send(
			[{"shipment": shipment.name, "status": "Out for Delivery", "latitude": 52.51, "longitude": 13.41}]
		)
		order = frappe.get_doc("OMS Order", shipment.order)
		customer = frappe.get_doc("Customer Profile", order.customer)
		response = get(f"/track/{shipment.tracking_token}")
		self.assertEqual(response.status_code, 200, response.text[:500])
		self.assertIn("Out for Delivery", response.text)
		self.assertIn("52.51", response.text)
		for secret in (customer.email, customer.full_name, order.shipping_address_line1, order.name):
			self.assertNotIn(secret, response.text)
		self.assertEqual(get("/track/not-a-real-token-0123456789").status_code, 404)
