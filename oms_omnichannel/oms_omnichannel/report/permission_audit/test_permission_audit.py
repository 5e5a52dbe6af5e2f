# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.oms_omnichannel.report.permission_audit.permission_audit import execute
from oms_omnichannel.tests.utils import OMSTestCase, make_channel, make_location, make_user


class TestPermissionAudit(OMSTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_lists_oms_roles_and_the_channels_and_locations_a_user_is_limited_to(self):
		channel, store = make_channel().name, make_location(location_type="Store").name
		user = make_user("oms.audit.staff@example.com", ("Store Associate", "Channel Manager", "Blogger"))
		for allow, value in (("Sales Channel", channel), ("Stock Location", store)):
			frappe.get_doc(
				{"doctype": "User Permission", "user": user, "allow": allow, "for_value": value}
			).insert(ignore_permissions=True)
		columns, data = execute({"user": user})
		self.assertEqual(len(data), 1)
		row = data[0]
		self.assertEqual(row["roles"], "Channel Manager, Store Associate")
		self.assertEqual((row["sales_channels"], row["stock_locations"]), (channel, store))
		self.assertIn("stock_locations", [c["fieldname"] for c in columns])

	def test_a_role_filter_and_users_without_oms_roles(self):
		analyst = make_user("oms.audit.analyst@example.com", ("OMS Analyst",))
		outsider = make_user("oms.audit.outsider@example.com", ("Blogger",))
		users = {row["user"] for row in execute({"role": "OMS Analyst"})[1]}
		self.assertIn(analyst, users)
		self.assertNotIn(outsider, {row["user"] for row in execute({})[1]})

	def test_only_managers_may_run_it(self):
		from frappe.desk.query_report import run

		for role, allowed in (("OMS Manager", True), ("Channel Manager", False), ("OMS Analyst", False)):
			frappe.set_user(make_user(f"oms.audit.{frappe.scrub(role)}@example.com", (role,)))
			try:
				if allowed:
					self.assertTrue(run("Permission Audit", {})["result"] is not None)
					execute({})
				else:
					for call in (lambda: run("Permission Audit", {}), lambda: execute({})):
						with self.assertRaises(frappe.PermissionError, msg=role):
							call()
			finally:
				frappe.set_user("Administrator")
