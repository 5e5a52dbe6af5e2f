# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe

from oms_omnichannel.setup.demo import create_demo_data
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
