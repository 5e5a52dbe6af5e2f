# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import re

import frappe

from oms_omnichannel.setup.install import SETTINGS, set_default_settings
from oms_omnichannel.tests.utils import OMSTestCase, use_settings


class TestOMSSettings(OMSTestCase):
	def test_defaults_are_filled_after_install(self):
		set_default_settings()
		settings = frappe.get_single("OMS Settings")
		self.assertTrue(settings.default_currency)
		self.assertEqual(settings.intake_batch_limit, 500)
		self.assertFalse(settings.allow_backorders)

	def test_first_install_stores_every_shipped_default_checks_included(self):
		frappe.db.delete("Singles", {"doctype": SETTINGS})  # a site that never stored a setting
		set_default_settings()
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "allow_split_across_locations"), 1)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "hold_first_express_to_foreign_address"), 1)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "allow_backorders"), 0)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "reservation_expiry_minutes"), 60)

	def test_a_check_switched_off_by_an_administrator_stays_off(self):
		use_settings({"allow_split_across_locations": 0, "hold_first_express_to_foreign_address": 0})
		set_default_settings()
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "allow_split_across_locations"), 0)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "hold_first_express_to_foreign_address"), 0)

	def test_a_setting_added_later_gets_its_default_on_migrate(self):
		frappe.db.delete("Singles", {"doctype": SETTINGS, "field": "allow_split_across_locations"})
		use_settings({"hold_first_express_to_foreign_address": 0})
		set_default_settings()
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "allow_split_across_locations"), 1)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "hold_first_express_to_foreign_address"), 0)

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

	def test_each_setting_below_its_minimum_is_refused_naming_it(self):
		from oms_omnichannel.oms_omnichannel.doctype.oms_settings.oms_settings import OMSSettings

		for fieldname, least in OMSSettings.MINIMUMS.items():
			settings = frappe.get_single("OMS Settings")
			settings.set(fieldname, least - 1)
			label = settings.meta.get_label(fieldname)
			with self.assertRaisesRegex(
				frappe.ValidationError, re.escape(f"{label} must be at least {least}")
			):
				settings.save()
			self.assertNotEqual(frappe.db.get_single_value("OMS Settings", fieldname), least - 1)
