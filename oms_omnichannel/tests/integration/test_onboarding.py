# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""The setup onboarding a new administrator follows on the OMS workspace."""

import frappe

from oms_omnichannel.tests.utils import OMSTestCase


class TestOnboarding(OMSTestCase):
	def test_the_setup_onboarding_is_installed_with_every_step(self):
		onboarding = frappe.get_doc("Module Onboarding", "OMS Setup")
		self.assertEqual(onboarding.module, "OMS Omnichannel")
		self.assertEqual({row.role for row in onboarding.allow_roles}, {"OMS Manager", "System Manager"})
		targets = []
		for row in onboarding.steps:
			step = frappe.get_doc("Onboarding Step", row.step)
			target = step.reference_document or step.reference_report
			self.assertTrue(
				frappe.db.exists("DocType" if step.reference_document else "Report", target), row.step
			)
			targets.append(target)
		# settings first, a first order and who-sees-what last: the order an administrator needs them
		self.assertEqual(targets[0], "OMS Settings")
		self.assertEqual(targets[-2:], ["OMS Order", "Permission Audit"])
		self.assertIn("User Permission", targets)
		self.assertIn('"onboarding_name": "OMS Setup"', frappe.db.get_value("Workspace", "OMS", "content"))
