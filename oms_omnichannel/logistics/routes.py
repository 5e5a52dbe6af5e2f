"""Route planning for a Delivery Route: shipments become stops, OR-Tools orders them."""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime

from oms_omnichannel.core import routing
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.utils import domain_message, get_settings

INLINE_LIMIT = 25  # more stops than this are planned in a background job
OPEN_SHIPMENT_STATUSES = ("Created", "Picked", "Packed")


def fill_stops(route) -> None:
	"""The day's open, non-pickup shipments from the route's location (when none were chosen)."""
	if route.stops:
		return
	day = getdate(route.route_date)
	shipments = frappe.get_all(
		"OMS Shipment",
		filters={
			"docstatus": 1,
			"source_location": route.location,
			"status": ("in", OPEN_SHIPMENT_STATUSES),
			"delivery_type": ("!=", "Self Pickup"),
			"creation": ("between", [f"{day} 00:00:00", f"{day} 23:59:59"]),
		},
		order_by="creation asc",
		pluck="name",
	)
	for name in shipments:
		route.append("stops", {"shipment": name})


def plan(route_name: str) -> None:
	"""Job: plan the route and store sequence, distances, ETAs, saving and the map."""
	route = frappe.get_doc("Delivery Route", route_name)
	try:
		result = solve(route)
	except DomainError as error:
		route.db_set({"status": "Failed", "errors": domain_message(error)})
		raise
	apply(route, result)


def solve(route) -> routing.RoutePlan:
	depot_row = frappe.db.get_value("Stock Location", route.location, ["latitude", "longitude"], as_dict=True)
	if not depot_row or not (depot_row.latitude or depot_row.longitude):
		raise DomainError("Location {0} has no coordinates: set them to plan routes from it", route.location)
	depot = routing.Depot(route.location, depot_row.latitude, depot_row.longitude)
	stops = []
	for index, row in enumerate(route.stops):
		order, weight = frappe.db.get_value("OMS Shipment", row.shipment, ["order", "weight_kg"])
		lat, lon = frappe.db.get_value("OMS Order", order, ["shipping_latitude", "shipping_longitude"])
		has_coordinates = bool(lat or lon)
		row.latitude, row.longitude = (lat, lon) if has_coordinates else (None, None)
		if not has_coordinates:
			raise DomainError(
				"Stop {0} (shipment {1}) has no coordinates: set the order's shipping latitude and longitude",
				index + 1,
				row.shipment,
			)
		window = (row.window_start, row.window_end) if row.window_end else None
		demand = 1 if route.capacity_unit == "parcels" else flt(weight)
		row.demand = demand
		stops.append(routing.Stop(row.shipment, lat, lon, demand=demand, time_window=window))
	if not stops:
		raise DomainError(
			"No shipments to plan: add stops or create the day's shipments from {0}", route.location
		)
	settings = get_settings()
	fleet = routing.Fleet(
		count=int(route.vehicles or 1),
		capacity=flt(route.vehicle_capacity),
		speed_kmh=flt(settings.route_vehicle_speed_kmh) or routing.DEFAULT_SPEED_KMH,
	)
	frappe.publish_progress(10, title=_("Planning route"), description=_("{0} stops").format(len(stops)))
	# An OSRM-compatible road-distance service on the retailer's network, when set (read fresh).
	service = frappe.db.get_single_value("OMS Settings", "road_distance_url")
	matrix = road_distances(service, [(depot.lat, depot.lon)] + [(stop.lat, stop.lon) for stop in stops])
	result = routing.plan_routes(
		depot,
		stops,
		fleet,
		distance_matrix=matrix,
		time_limit_seconds=min(
			routing.default_time_limit(len(stops)), flt(settings.route_solver_seconds) or 10
		),
	)
	frappe.publish_progress(90, title=_("Planning route"))
	return result


def apply(route, result: routing.RoutePlan) -> None:
	by_shipment = {row.shipment: row for row in route.stops}
	ordered = []
	for vehicle_route in result.routes:
		for stop in vehicle_route.stops:
			row = by_shipment[stop.stop_id]
			row.vehicle, row.sequence = vehicle_route.vehicle, stop.sequence
			row.arrival_minutes = stop.arrival_minutes
			row.leg_distance_km = stop.leg_distance_m / 1000
			row.cumulative_km = stop.cumulative_distance_m / 1000
			row.unserved, row.unserved_reason = 0, None
			ordered.append(row)
	for unserved in result.unserved:
		row = by_shipment[unserved.stop_id]
		row.unserved, row.unserved_reason, row.vehicle, row.sequence = 1, unserved.reason.value, 0, 0
		ordered.append(row)
	for idx, row in enumerate(ordered, start=1):
		row.idx = idx
	route.stops = ordered
	route.total_distance_km = result.total_distance_m / 1000
	route.unoptimised_distance_km = result.naive_distance_m / 1000
	route.saving_percent = result.saving_percent
	route.planned_at = now_datetime()
	route.status = "Planned"
	route.errors = None
	route.route_map = route_geojson(route, result)
	# ignore-permissions: plan_route checked write on this route; the planner (inline or as its job) saves the plan
	route.flags.ignore_permissions = True
	route.save()
	frappe.publish_progress(100, title=_("Planning route"))


def route_geojson(route, result: routing.RoutePlan) -> str:
	depot = frappe.db.get_value("Stock Location", route.location, ["latitude", "longitude"])
	by_shipment = {row.shipment: row for row in route.stops}
	features = [
		{
			"type": "Feature",
			"properties": {"name": route.location},
			"geometry": {"type": "Point", "coordinates": [depot[1], depot[0]]},
		}
	]
	for vehicle_route in result.routes:
		points = [[depot[1], depot[0]]]
		for stop in vehicle_route.stops:
			row = by_shipment[stop.stop_id]
			points.append([row.longitude, row.latitude])
			features.append({"type": "Feature", "properties": {"name": f"{vehicle_route.vehicle}.{stop.sequence} {row.shipment}"},
				"geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]}})  # fmt: skip
		points.append([depot[1], depot[0]])
		features.append(
			{
				"type": "Feature",
				"properties": {"vehicle": vehicle_route.vehicle},
				"geometry": {"type": "LineString", "coordinates": points},
			}
		)
	return json.dumps({"type": "FeatureCollection", "features": features})


def road_distances(service_url: str | None, points: list[tuple[float, float]]) -> list[list[float]] | None:
	"""Distances in metres from an OSRM-compatible table service on the retailer's own network;
	None (straight-line distances) when no service is set or it does not answer."""
	if not service_url:
		return None
	import requests

	coordinates = ";".join(f"{lon},{lat}" for lat, lon in points)
	url = f"{service_url.rstrip('/')}/table/v1/driving/{coordinates}"
	try:
		response = requests.get(url, params={"annotations": "distance"}, timeout=10)
		response.raise_for_status()
		matrix = response.json()["distances"]
	except (requests.RequestException, KeyError, ValueError) as error:
		frappe.log_error(f"Road distance service failed, using straight lines: {error}", "OMS route planning")
		return None
	if len(matrix) != len(points) or any(len(row) != len(points) for row in matrix):
		return None
	return matrix
