# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import frappe
from frappe.utils import add_days, today

from oms_omnichannel.oms_omnichannel.report.fulfilment_and_delivery.fulfilment_and_delivery import (
	GROUPS,
	execute,
)
from oms_omnichannel.tests.sales_scenario import HOSTILE, SalesScenario
from oms_omnichannel.tests.utils import OMSTestCase


class TestFulfilmentAndDelivery(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sc = SalesScenario()
		route = frappe.get_doc(
			{"doctype": "Delivery Route", "location": cls.sc.north, "vehicles": 1, "vehicle_capacity": 100}
		).insert()
		frappe.db.set_value(
			"Delivery Route",
			route.name,
			{"status": "Planned", "total_distance_km": 80, "unoptimised_distance_km": 100},
		)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_times_and_on_time_rate_match_hand_computed_values(self):
		_c, data, _m, chart, summary = execute({"group_by": "Carrier", "carrier": self.sc.usd_carrier})
		(row,) = data
		self.assertEqual((row["name"], row["shipments"], row["delivered"]), (self.sc.usd_carrier, 2, 2))
		self.assertEqual((row["order_to_ship_hours"], row["order_to_ship_p50"]), (9.0, 9.0))
		self.assertEqual((row["ship_to_deliver_hours"], row["ship_to_deliver_p50"]), (27.0, 27.0))
		self.assertEqual(row["on_time_rate"], 50.0)
		self.assertEqual(chart["type"], "bar")
		self.assertEqual(summary[1]["value"], 50.0)

	def test_every_grouping_and_route_savings(self):
		for group_by in GROUPS:
			_c, data, *_rest = execute({"group_by": group_by, "sales_channel": self.sc.usd})
			self.assertEqual(sum(row["shipments"] for row in data), 2, group_by)
		_c, data, _m, _chart, summary = execute({"group_by": "Location", "location": self.sc.north})
		(row,) = data
		self.assertEqual(
			(row["routes"], row["route_km"], row["baseline_km"], row["route_saving"]), (1, 80.0, 100.0, 20.0)
		)
		_c, data, *_rest = execute({"delivery_method": self.sc.method})
		self.assertEqual(sum(row["shipments"] for row in data), 2)

	def test_channel_manager_sees_only_their_channel(self):
		frappe.set_user(self.sc.channel_manager(self.sc.eur))
		_c, data, _m, _chart, summary = execute({"group_by": "Sales Channel"})
		self.assertEqual({row["name"] for row in data} - {self.sc.eur}, set())
		self.assertEqual(execute({"carrier": self.sc.usd_carrier})[1], [])
		self.assertNotIn("Route Saving %", [item["label"] for item in summary])

	def test_hostile_text_filters_change_nothing(self):
		for text in HOSTILE:
			for field in ("sales_channel", "carrier", "delivery_method", "location"):
				self.assertEqual(execute({field: text})[1], [], field)
			_c, data, *_rest = execute({"group_by": text, "carrier": self.sc.usd_carrier})
			self.assertEqual(data[0]["shipments"], 2)

	def test_bad_period_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			execute({"from_date": today(), "to_date": add_days(today(), -3)})
