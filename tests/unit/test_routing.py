"""Tier-1 tests of the route planner: hand-checkable instances, properties, TSPLIB berlin52."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.routing import (
	Depot,
	Fleet,
	RoutePlan,
	Stop,
	UnservedReason,
	euc_2d,
	haversine_m,
	nint,
	parse_tsplib,
	parse_tsplib_tour,
	plan_routes,
	solve_tsp,
	tsp_tour_length,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BERLIN52_OPTIMUM = 7542
FAST = 0.05  # seconds: plenty for a handful of stops, keeps the suite quick
DEPOT = Depot("WH-1", 52.52, 13.405)


def line_instance(positions_km: list[float], **stop_fields) -> tuple[list[Stop], list[list[int]]]:
	"""Stops on a straight road through the depot (at 0 km), with the road distance matrix."""
	stops = [
		Stop(f"S{i + 1}", 52.52, 13.405 + x / 100, **{k: v[i] for k, v in stop_fields.items()})
		for i, x in enumerate(positions_km)
	]
	xs = [0.0, *positions_km]
	return stops, [[abs(a - b) * 1000 for b in xs] for a in xs]


def stop_order(plan: RoutePlan) -> list[list[str]]:
	return [[s.stop_id for s in r.stops] for r in plan.routes]


# ---------------------------------------------------------------------------------------
# distances


def test_haversine_one_degree_of_latitude_is_about_111_km():
	assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.5)
	assert haversine_m(52.52, 13.405, 52.52, 13.405) == 0


def test_nint_rounds_half_up_like_tsplib():
	assert nint(2.5) == 3  # round() would give 2
	assert nint(2.4999) == 2
	assert euc_2d((0, 0), (3, 4)) == 5
	assert euc_2d((0, 0), (1, 1)) == 1


# ---------------------------------------------------------------------------------------
# known small instances


def test_stops_on_a_line_are_visited_out_and_back():
	stops, matrix = line_instance([3, 1, 4, 2])
	plan = plan_routes(DEPOT, stops, Fleet(1, 100), distance_matrix=matrix, time_limit_seconds=FAST)

	assert plan.total_distance_m == 8000  # out to 4 km and back
	assert stop_order(plan) in ([["S2", "S4", "S1", "S3"]], [["S3", "S1", "S4", "S2"]])
	assert [s.cumulative_distance_m for s in plan.routes[0].stops] == [1000, 2000, 3000, 4000] or [
		s.cumulative_distance_m for s in plan.routes[0].stops
	] == [4000, 5000, 6000, 7000]
	# creation order 3, 1, 4, 2 km: 3 + 2 + 3 + 2 + 2
	assert plan.naive_distance_m == 12000
	assert plan.saving_m == 4000
	assert plan.saving_percent == pytest.approx(33.33)
	assert plan.unserved == () and plan.naive_unserved == ()


def test_arrival_minutes_add_travel_and_service_time():
	stops, matrix = line_instance([1, 2], service_minutes=[5, 5])
	plan = plan_routes(
		DEPOT, stops, Fleet(1, 10, speed_kmh=60), distance_matrix=matrix, time_limit_seconds=FAST
	)

	(route,) = plan.routes
	assert [(s.stop_id, s.sequence, s.leg_distance_m) for s in route.stops] == [
		("S1", 1, 1000),
		("S2", 2, 1000),
	]
	assert [s.arrival_minutes for s in route.stops] == [1, 7]  # 1 km at 1 km/min, 5 min service
	assert route.return_minutes == 14
	assert route.distance_m == 4000


def test_capacity_splits_the_two_sides_between_two_vehicles():
	stops, matrix = line_instance([-2, 1, -1, 2], demand=[5, 5, 5, 5])
	plan = plan_routes(DEPOT, stops, Fleet(2, 10), distance_matrix=matrix, time_limit_seconds=FAST)

	assert plan.total_distance_m == 8000
	assert sorted(sorted(r) for r in stop_order(plan)) == [["S1", "S3"], ["S2", "S4"]]
	assert all(r.load == 10 for r in plan.routes)
	# creation order: vehicle 1 takes -2 and +1 (6 km), vehicle 2 takes -1 and +2 (6 km)
	assert plan.naive_distance_m == 12000
	assert plan.saving_m == 4000


def test_time_windows_force_a_longer_route_and_are_met():
	# A must be reached by minute 2, C by minute 4, B not before minute 10; 1 km per minute.
	stops, matrix = line_instance([1, 2, -1], time_window=[(0, 2), (10, 20), (0, 4)])
	plan = plan_routes(
		DEPOT, stops, Fleet(1, 10, speed_kmh=60), distance_matrix=matrix, time_limit_seconds=FAST
	)

	assert stop_order(plan) == [["S1", "S3", "S2"]]
	assert plan.total_distance_m == 8000  # 6 km without the windows
	assert [s.arrival_minutes for s in plan.routes[0].stops] == [1, 3, 10]  # waits at B
	assert plan.routes[0].return_minutes == 12


def test_unreachable_window_is_reported_not_fatal():
	stops, matrix = line_instance([1, 10, 2], time_window=[None, (0, 5), None])
	plan = plan_routes(
		DEPOT, stops, Fleet(1, 10, speed_kmh=60), distance_matrix=matrix, time_limit_seconds=FAST
	)

	assert plan.unserved_ids == ("S2",)
	assert plan.unserved[0].reason == UnservedReason.WINDOW_UNREACHABLE
	assert stop_order(plan) == [["S1", "S3"]]
	assert plan.total_distance_m == 4000


def test_stop_heavier_than_a_vehicle_and_stop_without_room_are_unserved():
	stops, matrix = line_instance([1, 2, 3, 4], demand=[20, 5, 5, 5])
	plan = plan_routes(DEPOT, stops, Fleet(1, 10), distance_matrix=matrix, time_limit_seconds=FAST)

	reasons = {u.stop_id: u.reason for u in plan.unserved}
	assert reasons["S1"] == UnservedReason.OVER_CAPACITY
	assert len(reasons) == 2  # one of the 5 kg stops has no room left
	assert set(reasons.values()) == {UnservedReason.OVER_CAPACITY, UnservedReason.NO_ROOM}
	assert plan.routes[0].load == 10
	assert set(plan.naive_unserved) == {"S1", "S4"}


def test_haversine_is_used_without_a_matrix():
	stops = [
		Stop("Mitte", 52.5200, 13.4050, demand=1),
		Stop("Kreuzberg", 52.4990, 13.4030, demand=1),
		Stop("Prenzlauer Berg", 52.5380, 13.4240, demand=1),
	]
	depot = Depot("Alexanderplatz", 52.5219, 13.4132)
	plan = plan_routes(depot, stops, Fleet(2, 10), time_limit_seconds=FAST)

	points = {s.id: (s.lat, s.lon) for s in stops} | {depot.id: (depot.lat, depot.lon)}
	for route in plan.routes:
		path = [depot.id, *(s.stop_id for s in route.stops), depot.id]
		legs = [nint(haversine_m(*points[a], *points[b])) for a, b in pairwise(path)]
		assert route.distance_m == sum(legs)
		assert [s.leg_distance_m for s in route.stops] == legs[:-1]
	assert plan.total_distance_m == sum(r.distance_m for r in plan.routes)
	assert sum(len(r.stops) for r in plan.routes) == 3


def test_no_stops_gives_an_empty_plan():
	plan = plan_routes(DEPOT, [], Fleet(2, 10))
	assert plan.routes == () and plan.total_distance_m == 0 and plan.saving_percent == 0.0


# ---------------------------------------------------------------------------------------
# properties on random instances

coordinate = st.tuples(st.floats(52.40, 52.60), st.floats(13.20, 13.60))


@st.composite
def instances(draw, with_windows: bool = False):
	n = draw(st.integers(1, 7))
	stops = []
	for i in range(n):
		lat, lon = draw(coordinate)
		window = None
		if with_windows and draw(st.booleans()):
			earliest = draw(st.integers(0, 90))
			window = (earliest, earliest + draw(st.integers(0, 60)))
		stops.append(
			Stop(
				f"S{i}",
				lat,
				lon,
				demand=draw(st.integers(0, 12)),
				time_window=window,
				service_minutes=draw(st.sampled_from([0, 2, 5])),
			)
		)
	fleet = Fleet(draw(st.integers(1, 3)), draw(st.integers(5, 30)))
	return stops, fleet


def check_consistent(stops: list[Stop], fleet: Fleet, plan: RoutePlan) -> None:
	demand = {s.id: s.demand for s in stops}
	visited = [s.stop_id for r in plan.routes for s in r.stops]
	assert sorted(visited + list(plan.unserved_ids)) == sorted(demand)  # each stop exactly once
	assert len(plan.routes) <= fleet.count
	for route in plan.routes:
		assert route.load == sum(demand[s.stop_id] for s in route.stops) <= fleet.capacity
	assert plan.total_distance_m == sum(r.distance_m for r in plan.routes)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_capacity_is_respected_and_saving_never_negative(instance):
	stops, fleet = instance
	plan = plan_routes(DEPOT, stops, fleet, time_limit_seconds=FAST)

	check_consistent(stops, fleet, plan)
	# A stop is only dropped when no vehicle can carry it at all or there is no room.
	assert len(plan.unserved) <= len(plan.naive_unserved)
	if not plan.naive_unserved:
		assert plan.saving_m >= 0
		assert plan.saving_percent >= 0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(with_windows=True))
def test_time_windows_are_respected_in_the_result(instance):
	stops, fleet = instance
	plan = plan_routes(DEPOT, stops, fleet, time_limit_seconds=FAST)

	check_consistent(stops, fleet, plan)
	windows = {s.id: s.time_window for s in stops}
	for route in plan.routes:
		arrivals = [s.arrival_minutes for s in route.stops]
		assert arrivals == sorted(arrivals)
		for visit in route.stops:
			window = windows[visit.stop_id]
			if window is not None:
				assert window[0] <= visit.arrival_minutes <= window[1]


# ---------------------------------------------------------------------------------------
# validation


def _stop(**fields) -> Stop:
	return Stop(**({"id": "SHP-7", "lat": 52.5, "lon": 13.4} | fields))


@pytest.mark.parametrize(
	("depot", "stops", "fleet", "field", "words"),
	[
		(DEPOT, [_stop(lat=None)], Fleet(1, 10), "lat", "SHP-7 has no valid latitude"),
		(DEPOT, [_stop(lon=None)], Fleet(1, 10), "lon", "SHP-7 has no valid longitude"),
		(DEPOT, [_stop(lat=math.nan)], Fleet(1, 10), "lat", "SHP-7 has no valid latitude"),
		(DEPOT, [_stop(lat=90.5)], Fleet(1, 10), "lat", "SHP-7 has latitude 90.5"),
		(DEPOT, [_stop(lon=-180.1)], Fleet(1, 10), "lon", "SHP-7 has longitude -180.1"),
		(Depot("WH-9", None, 13.4), [_stop()], Fleet(1, 10), "lat", "Depot WH-9 has no valid latitude"),
		(DEPOT, [_stop(demand=-1)], Fleet(1, 10), "demand", "SHP-7 has negative demand"),
		(DEPOT, [_stop(service_minutes=-3)], Fleet(1, 10), "service_minutes", "negative service time"),
		(DEPOT, [_stop(time_window=(30, 10))], Fleet(1, 10), "time_window", "earliest time 30 is after"),
		(DEPOT, [_stop(time_window=(-5, 10))], Fleet(1, 10), "time_window", "before the route starts"),
		(DEPOT, [_stop(), _stop()], Fleet(1, 10), "id", "SHP-7 appears more than once"),
		(DEPOT, [_stop()], Fleet(0, 10), "count", "At least one vehicle"),
		(DEPOT, [_stop()], Fleet(1, 0), "capacity", "greater than zero"),
		(DEPOT, [_stop()], Fleet(1, -5), "capacity", "greater than zero"),
		(DEPOT, [_stop()], Fleet(1, 10, speed_kmh=0), "speed_kmh", "greater than zero"),
	],
)
def test_bad_input_names_the_stop_and_field(depot, stops, fleet, field, words):
	with pytest.raises(ValidationFailed) as caught:
		plan_routes(depot, stops, fleet, time_limit_seconds=FAST)
	assert caught.value.field == field
	assert words in caught.value.message


@pytest.mark.parametrize(
	("kwargs", "field"),
	[
		({"distance_matrix": [[0, 1], [1, 0]]}, "distance_matrix"),  # needs 3 x 3
		({"distance_matrix": [[0, 1, 1], [1, 0, -1], [1, 1, 0]]}, "distance_matrix"),
		({"distance_matrix": [[0, 1, 1], [1, 0, None], [1, 1, 0]]}, "distance_matrix"),
		({"time_limit_seconds": 0}, "time_limit_seconds"),
	],
)
def test_bad_matrix_or_time_limit(kwargs, field):
	stops = [_stop(id="A"), _stop(id="B")]
	with pytest.raises(ValidationFailed) as caught:
		plan_routes(DEPOT, stops, Fleet(1, 10), **kwargs)
	assert caught.value.field == field


# ---------------------------------------------------------------------------------------
# TSPLIB


def test_square_tour():
	tour = solve_tsp([(0, 0), (10, 10), (10, 0), (0, 10)], time_limit_seconds=FAST)
	assert tour.length == 40
	assert sorted(tour.order) == [0, 1, 2, 3] and tour.order[0] == 0


def test_tsplib_parser_refuses_other_distance_types():
	with pytest.raises(ValidationFailed, match="GEO"):
		parse_tsplib("NAME: x\nDIMENSION: 1\nEDGE_WEIGHT_TYPE: GEO\nNODE_COORD_SECTION\n1 1.0 2.0\nEOF\n")
	with pytest.raises(ValidationFailed, match="declares 2 cities but lists 1"):
		parse_tsplib("DIMENSION : 2\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 1.0 2.0\nEOF\n")


@pytest.fixture(scope="module")
def berlin52() -> list[tuple[float, float]]:
	return parse_tsplib((FIXTURES / "berlin52.tsp").read_text())


def test_berlin52_published_optimal_tour_evaluates_to_7542(berlin52):
	assert len(berlin52) == 52
	assert berlin52[0] == (565.0, 575.0) and berlin52[51] == (1740.0, 245.0)
	tour = parse_tsplib_tour((FIXTURES / "berlin52.opt.tour").read_text())
	assert sorted(tour) == list(range(52))
	assert tsp_tour_length(berlin52, tour) == BERLIN52_OPTIMUM


def test_berlin52_within_two_percent_of_optimum_in_ten_seconds(berlin52):
	tour = solve_tsp(berlin52, time_limit_seconds=10.0, target_length=BERLIN52_OPTIMUM)

	assert sorted(tour.order) == list(range(52))
	assert tour.length == tsp_tour_length(berlin52, tour.order)
	assert tour.length <= BERLIN52_OPTIMUM * 1.02, f"{tour.length} after {tour.seconds:.1f} s"
	assert tour.seconds <= 11.0
