# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from oms_omnichannel.setup.install import set_default_settings


class TestOMSSettings(FrappeTestCase):
	def test_defaults_are_filled_after_install(self):
		set_default_settings()
		settings = frappe.get_single("OMS Settings")
		self.assertTrue(settings.default_currency)
		self.assertEqual(settings.intake_batch_limit, 500)
		self.assertFalse(settings.allow_backorders)

	def test_defaults_do_not_overwrite_a_choice(self):
		settings = frappe.get_single("OMS Settings")
		settings.intake_batch_limit = 42
		settings.save()
		set_default_settings()
		self.assertEqual(frappe.get_single("OMS Settings").intake_batch_limit, 42)

	def test_zero_batch_limit_is_refused(self):
		settings = frappe.get_single("OMS Settings")
		settings.intake_batch_limit = 0
		with self.assertRaisesRegex(frappe.ValidationError, "Intake Batch Limit"):
			settings.save()

	def test_negative_minutes_are_refused(self):
		settings = frappe.get_single("OMS Settings")
		settings.reservation_expiry_minutes = -5
		with self.assertRaises(frappe.ValidationError):
			settings.save()
