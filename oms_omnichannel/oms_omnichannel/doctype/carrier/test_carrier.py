# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.tests.utils import OMSTestCase, make_carrier


class TestCarrier(OMSTestCase):
	def test_tracking_url_is_built_from_template(self):
		carrier = make_carrier(tracking_url_template="https://t.example/?id={tracking_number}")
		self.assertEqual(carrier.get_tracking_url("AB 12/3"), "https://t.example/?id=AB%2012%2F3")
		self.assertIsNone(carrier.get_tracking_url(""))

	def test_template_without_placeholder_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "must contain"):
			make_carrier(tracking_url_template="https://t.example/track")

	def test_template_must_be_a_web_address(self):
		with self.assertRaisesRegex(frappe.ValidationError, "http"):
			make_carrier(tracking_url_template="ftp://t.example/{tracking_number}")
