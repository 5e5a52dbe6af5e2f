# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt

import json

import frappe

from oms_omnichannel.logistics.shipping import new_shipment
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture, refused

# Delivery addresses around Berlin Mitte, created in an order that zig-zags.
POINTS = [(52.53, 13.38), (52.50, 13.45), (52.535, 13.39), (52.495, 13.44), (52.54, 13.40), (52.49, 13.43)]


class TestDeliveryRoute(OMSTestCase):
	def setUp(self):
		self.fx = OrderFixture(stock=50)
		frappe.db.set_value("Stock Location", self.fx.north, {"latitude": 52.52, "longitude": 13.41})
		frappe.db.set_value(
			"Stock Location", self.fx.south, {"latitude": 48.14, "longitude": 11.58}
		)  # far away

	def shipment(self, lat, lon):
		order = self.fx.order(qty=1, shipping_latitude=lat, shipping_longitude=lon)
		doc = new_shipment(order, self.fx.north)
		doc.insert()
		doc.submit()
		return doc.name

	def route(self, **values):
		return frappe.get_doc(
			{
				"doctype": "Delivery Route",
				"location": self.fx.north,
				"vehicles": 1,
				"vehicle_capacity": 100,
				**values,
			}
		).insert()

	def test_day_is_planned_shorter_than_creation_order_and_mapped(self):
		shipments = [self.shipment(lat, lon) for lat, lon in POINTS]
		route = self.route()
		self.assertEqual(
			sorted(row.shipment for row in route.stops), sorted(shipments)
		)  # the day's shipments
		self.assertEqual(route.plan_route(), "planned")
		route.reload()
		self.assertEqual(route.status, "Planned")
		self.assertEqual(sorted(row.sequence for row in route.stops), list(range(1, 7)))
		self.assertLess(route.total_distance_km, route.unoptimised_distance_km)
		self.assertGreater(route.saving_percent, 0)
		features = json.loads(route.route_map)["features"]
		self.assertIn("LineString", [f["geometry"]["type"] for f in features])

	def test_capacity_splits_the_day_across_vehicles(self):
		for lat, lon in POINTS[:4]:
			self.shipment(lat, lon)
		route = self.route(vehicles=2, vehicle_capacity=2, capacity_unit="parcels")
		route.plan_route()
		route.reload()
		loads = {}
		for row in route.stops:
			loads[row.vehicle] = loads.get(row.vehicle, 0) + row.demand
		self.assertTrue(all(load <= 2 for load in loads.values()), loads)
		self.assertEqual(sum(loads.values()), 4)

	def test_a_stop_without_coordinates_is_refused_naming_it(self):
		name = self.shipment(None, None)
		route = self.route()
		with refused(self, frappe.ValidationError, f"shipment {name}\\) has no coordinates"):
			route.plan_route()

	def test_bad_fleet_is_refused(self):
		with refused(self, frappe.ValidationError, "Vehicles must be at least 1"):
			self.route(vehicles=0)

	def test_road_distance_service_is_used_when_set(self):
		import threading
		from http.server import BaseHTTPRequestHandler, HTTPServer

		from frappe.tests.utils import change_settings

		asked = []

		class OSRM(BaseHTTPRequestHandler):
			def do_GET(self):
				asked.append(self.path)
				count = self.path.split("/driving/")[1].split("?")[0].count(";") + 1
				body = json.dumps(
					{
						"distances": [
							[0 if i == j else 1000 * (abs(i - j) + 1) for j in range(count)]
							for i in range(count)
						]
					}
				)
				self.send_response(200)
				self.send_header("Content-Type", "application/json")
				self.end_headers()
				self.wfile.write(body.encode())

			def log_message(self, *args):
				pass

		server = HTTPServer(("127.0.0.1", 0), OSRM)
		threading.Thread(target=server.serve_forever, daemon=True).start()
		try:
			for lat, lon in POINTS[:3]:
				self.shipment(lat, lon)
			with change_settings(
				"OMS Settings", {"road_distance_url": f"http://127.0.0.1:{server.server_port}"}
			):
				route = self.route()
				route.plan_route()
		finally:
			server.shutdown()
		route.reload()
		self.assertEqual(len(asked), 1)
		self.assertTrue(asked[0].startswith("/table/v1/driving/"))
		# distances come from the service (whole kilometres), not from straight lines
		self.assertEqual(route.total_distance_km, round(route.total_distance_km))
