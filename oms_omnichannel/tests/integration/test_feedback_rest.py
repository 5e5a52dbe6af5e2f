# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Customer feedback from channels over HTTP: stored, replayed, refused with the field at fault."""

import frappe

from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.rest import ApiUser, post
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, make_channel, unique

FEEDBACK = "/api/method/oms_omnichannel.api.v1.feedback.post_feedback"


class TestFeedbackOverHTTP(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fx = OrderFixture()
		cls.order = cls.fx.order(qty=1)
		cls.other_channel = make_channel().name
		cls.other_order = OrderFixture().order(qty=1)
		cls.channel_bot = ApiUser(
			"oms.feedback.bot@example.com", ["OMS Integration"], {"Sales Channel": [cls.fx.channel]}
		)
		cls.other_bot = ApiUser(
			"oms.feedback.other@example.com", ["OMS Integration"], {"Sales Channel": [cls.other_channel]}
		)
		cls.agent = ApiUser("oms.feedback.agent@example.com", ["Customer Service"])
		cls.analyst = ApiUser("oms.feedback.analyst@example.com", ["OMS Analyst"])
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		purge_committed_test_records()
		super().tearDownClass()

	def tearDown(self):
		frappe.db.commit()

	def send(self, body, user=None):
		response = post(FEEDBACK, user=user or self.channel_bot, json_body=body)
		frappe.db.commit()
		return response

	def body(self, **values):
		return {"channel": self.fx.channel, "channel_feedback_id": unique("FB"), **values}

	def stored(self, external_id):
		return frappe.get_all(
			"Customer Feedback",
			{"sales_channel": self.fx.channel, "channel_feedback_id": external_id},
			["name", "rating", "customer", "feedback_type", "status"],
		)

	def test_a_review_is_stored_once_and_a_replay_returns_it(self):
		body = self.body(rating=5, order=self.order.name, description="Fast and friendly")
		first = self.send(body)
		self.assertEqual(first.status_code, 201, first.text)
		self.assertFalse(first.message["replay"])
		self.assertEqual(first.message["customer"], self.fx.customer)
		again = self.send({**body, "rating": 1})
		self.assertEqual(again.status_code, 200, again.text)
		self.assertEqual((again.message["name"], again.message["replay"]), (first.message["name"], True))
		rows = self.stored(body["channel_feedback_id"])
		self.assertEqual([(r.name, r.rating) for r in rows], [(first.message["name"], 5)])

	def test_a_complaint_from_customer_service_is_assigned(self):
		body = self.body(feedback_type="Complaint", complaint_category="Late Delivery", order=self.order.name)
		response = self.send(body, user=self.agent)
		self.assertEqual(response.status_code, 201, response.text)
		doc = frappe.get_doc("Customer Feedback", response.message["name"])
		self.assertTrue(doc.due_by)
		self.assertTrue(doc.assigned_to)

	def test_bad_input_names_the_field_and_writes_nothing(self):
		cases = [
			(self.body(rating=7), "rating"),
			(self.body(rating=None), "rating"),
			(self.body(rating=4, order="ORD-DOES-NOT-EXIST"), "order"),
			(self.body(rating=4, order=self.other_order.name), "order"),
			(self.body(rating=4, status="Resolved"), "resolution"),
			(self.body(feedback_type="Complaint"), "complaint_category"),
			(self.body(rating=4, status="Closed", resolution="x"), "status"),
			({"channel": self.fx.channel, "rating": 4}, "channel_feedback_id"),
		]
		for body, field in cases:
			response = self.send(body)
			self.assertIn(response.status_code, (417, 422), f"{field}: {response.text}")
			self.assertIn(f"{field}:", response.text, field)
			if body.get("channel_feedback_id"):
				self.assertEqual(self.stored(body["channel_feedback_id"]), [], field)

	def test_another_channels_key_is_refused(self):
		response = self.send(self.body(rating=4), user=self.other_bot)
		self.assertEqual(response.status_code, 403, response.text)
		response = self.send(self.body(rating=4), user=self.analyst)
		self.assertEqual(response.status_code, 403, response.text)

	def test_unknown_channel_is_not_found(self):
		response = self.send({**self.body(rating=4), "channel": "No Such Channel"}, user=self.agent)
		self.assertEqual(response.status_code, 404, response.text)
