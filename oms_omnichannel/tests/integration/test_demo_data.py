# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.setup.demo import DEMO_EMAIL_DOMAIN, create_demo_data
from oms_omnichannel.tests.utils import OMSTestCase


class TestDemoData(OMSTestCase):
	def test_demo_data_is_believable_and_idempotent(self):
		first = create_demo_data(commit=False)
		self.assertGreaterEqual(first["Sales Channel"], 4)
		self.assertGreaterEqual(first["Stock Location"], 3)
		self.assertGreaterEqual(first["OMS Item"], 50)
		self.assertGreaterEqual(first["Customer Profile"], 200)
		channel_types = set(frappe.get_all("Sales Channel", pluck="channel_type"))
		self.assertGreaterEqual(len(channel_types), 4)
		located = frappe.get_all(
			"Stock Location",
			filters={"latitude": ("!=", 0), "city": "Berlin"},
			fields=["latitude", "longitude"],
		)
		self.assertGreaterEqual(len(located), 3)
		for location in located:  # all in Berlin
			self.assertTrue(52.3 < location.latitude < 52.7 and 13.0 < location.longitude < 13.8)

		second = create_demo_data(commit=False)
		self.assertEqual(first, second)

	def test_regular_customers_buying_on_several_channels_resolve_to_one_profile_each(self):
		before = create_demo_data(commit=False)
		profiles = frappe.get_all(
			"Customer Profile", filters={"email": ("like", f"%@{DEMO_EMAIL_DOMAIN}")}, pluck="name"
		)
		demo_orders = frappe.get_all(
			"OMS Order",
			filters={"channel_order_id": ("like", "DEMO-%")},
			fields=["customer", "sales_channel", "customer_match"],
		)
		self.assertEqual(len(demo_orders), 60)
		# no order made a profile of its own: each found its person's
		self.assertEqual({o.customer for o in demo_orders} - set(profiles), set())
		matches = {o.customer_match.split(" ")[0] for o in demo_orders}
		self.assertTrue({"Email", "Phone", "Channel"} <= matches, matches)
		self.assertGreaterEqual(before["Demo customers on 2+ channels"], 10)
		print(  # the figures for the record: how the regulars' orders resolved
			f"\ndemo: {len(demo_orders)} orders from {before['Demo customers with orders']} profiles, "
			f"{before['Demo customers on 2+ channels']} of them on 2+ channels; matched by {sorted(matches)}"
		)
