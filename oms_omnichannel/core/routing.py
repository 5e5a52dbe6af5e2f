"""Delivery route planning: which vehicle visits which stops, in what order.

The Logistics module promises "route optimisation that cuts cost", so a plan always comes
with its cost in creation order (the order shipments were made in, loaded vehicle by
vehicle) and the saving against it. The solver is OR-Tools' vehicle routing solver:
PATH_CHEAPEST_ARC builds a first plan, guided local search improves it until the time
limit. Stops that cannot be served (too heavy, window out of reach, no room left) are
dropped at a penalty and reported instead of failing the whole plan, because a dispatcher
would rather send nine parcels today than none.

Distances are whole metres, times whole seconds inside the solver: the solver works on
integers, and using the same integers for the reported figures keeps the reported arrival
times inside the windows the solver respected. Node 0 is always the depot; node i is
stops[i - 1].

`solve_tsp` runs the same solver on a plain Euclidean TSP (TSPLIB EUC_2D) so that it can be
benchmarked against published optima.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.geo import haversine_km
from oms_omnichannel.core.messages import _lt
from oms_omnichannel.core.text_enum import TextEnum

DEFAULT_SPEED_KMH = 30.0  # typical urban delivery-van average
# Demands and capacities may be fractional (kg); the capacity dimension needs integers.
DEMAND_SCALE = 1000
MAX_DEFAULT_TIME_LIMIT_SECONDS = 30.0


@dataclass(frozen=True)
class Depot:
	"""The stock location every vehicle starts from and returns to."""

	id: str
	lat: float | None
	lon: float | None


@dataclass(frozen=True)
class Stop:
	"""One delivery: `time_window` is (earliest, latest) in minutes from the route start."""

	id: str
	lat: float | None
	lon: float | None
	demand: float = 0.0
	time_window: tuple[float, float] | None = None
	service_minutes: float = 0.0


@dataclass(frozen=True)
class Fleet:
	"""`count` identical vehicles; demand and capacity share one unit (kg or parcels)."""

	count: int
	capacity: float
	speed_kmh: float = DEFAULT_SPEED_KMH


class UnservedReason(TextEnum):
	OVER_CAPACITY = "Over Capacity"
	WINDOW_UNREACHABLE = "Window Unreachable"
	NO_ROOM = "No Room Left"


@dataclass(frozen=True)
class RouteStop:
	"""A stop on a planned route.

	`arrival_minutes` is when service starts: if the vehicle is early it waits for the
	window to open.
	"""

	stop_id: str
	sequence: int
	leg_distance_m: int
	cumulative_distance_m: int
	arrival_minutes: float


@dataclass(frozen=True)
class VehicleRoute:
	"""One vehicle's trip; `distance_m` and `return_minutes` include the drive back."""

	vehicle: int  # 1-based, as a dispatcher counts
	stops: tuple[RouteStop, ...]
	distance_m: int
	load: float
	return_minutes: float


@dataclass(frozen=True)
class UnservedStop:
	stop_id: str
	reason: UnservedReason


@dataclass(frozen=True)
class RoutePlan:
	"""The optimised plan and the creation-order plan it is measured against.

	The saving compares like with like only when `naive_unserved` is empty; when creation
	order runs out of vehicles it serves fewer stops and so drives less.
	"""

	routes: tuple[VehicleRoute, ...]
	total_distance_m: int
	unserved: tuple[UnservedStop, ...]
	naive_distance_m: int
	naive_unserved: tuple[str, ...]
	saving_m: int
	saving_percent: float

	@property
	def unserved_ids(self) -> tuple[str, ...]:
		return tuple(u.stop_id for u in self.unserved)


@dataclass(frozen=True)
class TspTour:
	"""`order` lists 0-based city indices starting from city 0, without the return."""

	order: tuple[int, ...]
	length: int
	seconds: float


@dataclass(frozen=True)
class _Model:
	"""Plain integers the solver and the schedule walk share, node 0 = depot."""

	dist: list[list[int]]
	vehicles: int
	demands: list[int] | None = None
	capacity: int | None = None
	travel_s: list[list[int]] | None = None
	service_s: list[int] | None = None
	windows_s: list[tuple[int, int] | None] | None = None
	drop_penalty: int | None = None

	@property
	def has_windows(self) -> bool:
		return self.windows_s is not None and any(w is not None for w in self.windows_s)


# ---------------------------------------------------------------------------------------
# distances


def nint(value: float) -> int:
	"""TSPLIB's nearest integer, (int)(x + 0.5); Python's round() would round half to even."""
	return int(value + 0.5)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
	"""Great-circle distance in metres: the fallback when no road distances are supplied."""
	return haversine_km(lat1, lon1, lat2, lon2) * 1000


def euc_2d(a: tuple[float, float], b: tuple[float, float]) -> int:
	"""TSPLIB EUC_2D distance, so published optima can be reproduced exactly."""
	return nint(math.hypot(a[0] - b[0], a[1] - b[1]))


def euc_2d_matrix(coords: Sequence[tuple[float, float]]) -> list[list[int]]:
	return [[euc_2d(a, b) for b in coords] for a in coords]


def tsp_tour_length(coords: Sequence[tuple[float, float]], order: Sequence[int]) -> int:
	"""Length of the closed tour visiting 0-based `order` and returning to its first city."""
	return sum(euc_2d(coords[order[i - 1]], coords[order[i]]) for i in range(len(order)))


# ---------------------------------------------------------------------------------------
# validation


def _number(value: object, field: str, template: str, *args: object) -> float:
	"""A finite float, or the given error: data from forms can be None, text or NaN."""
	try:
		number = float(value)  # type: ignore[arg-type]
	except (TypeError, ValueError):
		number = math.nan
	if isinstance(value, bool) or not math.isfinite(number):
		raise ValidationFailed(template, *args, field=field)
	return number


# Whole literal templates (not "Stop" + ...) so the Frappe side's translation extraction finds them.
_COORDINATE_ERRORS = {
	"Depot": (
		_lt("Depot {0} has no valid latitude"),
		_lt("Depot {0} has no valid longitude"),
		_lt("Depot {0} has latitude {1}, outside -90 to 90"),
		_lt("Depot {0} has longitude {1}, outside -180 to 180"),
	),
	"Stop": (
		_lt("Stop {0} has no valid latitude"),
		_lt("Stop {0} has no valid longitude"),
		_lt("Stop {0} has latitude {1}, outside -90 to 90"),
		_lt("Stop {0} has longitude {1}, outside -180 to 180"),
	),
}


def _coordinates(place: Depot | Stop) -> tuple[float, float]:
	no_lat, no_lon, bad_lat, bad_lon = _COORDINATE_ERRORS[type(place).__name__]
	lat = _number(place.lat, "lat", no_lat, place.id)
	lon = _number(place.lon, "lon", no_lon, place.id)
	if abs(lat) > 90:
		raise ValidationFailed(bad_lat, place.id, place.lat, field="lat")
	if abs(lon) > 180:
		raise ValidationFailed(bad_lon, place.id, place.lon, field="lon")
	return lat, lon


def _validate_fleet(fleet: Fleet) -> None:
	if isinstance(fleet.count, bool) or not isinstance(fleet.count, int) or fleet.count < 1:
		raise ValidationFailed("At least one vehicle is needed to plan a route", field="count")
	capacity = _number(fleet.capacity, "capacity", "Vehicle capacity must be a number")
	if capacity <= 0:
		raise ValidationFailed(
			"Vehicle capacity must be greater than zero, not {0}", fleet.capacity, field="capacity"
		)
	speed = _number(fleet.speed_kmh, "speed_kmh", "Vehicle speed must be a number")
	if speed <= 0:
		raise ValidationFailed(
			"Vehicle speed must be greater than zero, not {0}", fleet.speed_kmh, field="speed_kmh"
		)


def _validate_stop(stop: Stop) -> None:
	demand = _number(stop.demand, "demand", _lt("Stop {0} has no valid demand"), stop.id)
	if demand < 0:
		raise ValidationFailed("Stop {0} has negative demand {1}", stop.id, stop.demand, field="demand")
	service = _number(
		stop.service_minutes, "service_minutes", _lt("Stop {0} has no valid service time"), stop.id
	)
	if service < 0:
		raise ValidationFailed(
			"Stop {0} has negative service time {1}", stop.id, stop.service_minutes, field="service_minutes"
		)
	if stop.time_window is None:
		return
	if len(stop.time_window) != 2:
		raise ValidationFailed(
			"Stop {0} needs a time window of (earliest, latest)", stop.id, field="time_window"
		)
	earliest = _number(
		stop.time_window[0], "time_window", _lt("Stop {0} has no valid earliest time"), stop.id
	)
	latest = _number(stop.time_window[1], "time_window", _lt("Stop {0} has no valid latest time"), stop.id)
	if earliest < 0:
		raise ValidationFailed(
			"Stop {0} has a time window starting before the route starts", stop.id, field="time_window"
		)
	if earliest > latest:
		raise ValidationFailed(
			"Stop {0} has a time window whose earliest time {1} is after its latest time {2}",
			stop.id,
			stop.time_window[0],
			stop.time_window[1],
			field="time_window",
		)


def _validate_matrix(matrix: Sequence[Sequence[float]], size: int) -> list[list[int]]:
	if len(matrix) != size or any(len(row) != size for row in matrix):
		raise ValidationFailed(
			"The distance matrix must be {0} by {0}: the depot followed by each stop",
			size,
			field="distance_matrix",
		)
	result = []
	for row in matrix:
		out = []
		for value in row:
			template = _lt("The distance matrix holds {0}; distances must be non-negative metres")
			number = _number(value, "distance_matrix", template, value)
			if number < 0:
				raise ValidationFailed(template, value, field="distance_matrix")
			out.append(nint(number))
		result.append(out)
	return result


# ---------------------------------------------------------------------------------------
# solver


def _penalty(dist: list[list[int]], vehicles: int) -> int:
	"""A drop penalty above any plan's total distance, so a stop is dropped only if it must be."""
	return sum(max(row) for row in dist[1:]) + vehicles * max(dist[0]) + 1


def _solve(
	model: _Model, time_limit_seconds: float, target_cost: int | None = None
) -> list[list[int]] | None:
	"""Routes of stop nodes per vehicle, or None if the solver found nothing in time."""
	size = len(model.dist)
	manager = pywrapcp.RoutingIndexManager(size, model.vehicles, 0)
	routing = pywrapcp.RoutingModel(manager)
	# Matrices registered natively, so the search never calls back into Python per arc.
	distance = routing.RegisterTransitMatrix(model.dist)
	routing.SetArcCostEvaluatorOfAllVehicles(distance)

	if model.demands is not None and model.capacity is not None:
		demand = routing.RegisterUnaryTransitVector(model.demands)
		routing.AddDimension(demand, 0, model.capacity, True, "Load")

	if model.has_windows:
		assert model.travel_s is not None and model.service_s is not None and model.windows_s is not None
		transit = [[model.service_s[i] + model.travel_s[i][j] for j in range(size)] for i in range(size)]
		latest = max(w[1] for w in model.windows_s if w is not None)
		# Longest possible route: waiting never goes past the last window, then every leg once.
		horizon = latest + sum(max(row) for row in transit)
		routing.AddDimension(routing.RegisterTransitMatrix(transit), horizon, horizon, True, "Time")
		time_dimension = routing.GetDimensionOrDie("Time")
		for node, window in enumerate(model.windows_s):
			if node and window is not None:
				time_dimension.CumulVar(manager.NodeToIndex(node)).SetRange(*window)

	if model.drop_penalty is not None:
		for node in range(1, size):
			routing.AddDisjunction([manager.NodeToIndex(node)], model.drop_penalty)

	if target_cost is not None:

		def stop_at_target() -> None:
			if routing.CostVar().Value() <= target_cost:
				routing.CancelSearch()

		routing.AddAtSolutionCallback(stop_at_target)

	parameters = pywrapcp.DefaultRoutingSearchParameters()
	parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
	parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
	parameters.time_limit.FromMilliseconds(max(1, int(time_limit_seconds * 1000)))
	solution = routing.SolveWithParameters(parameters)
	if solution is None:
		return None

	routes = []
	for vehicle in range(model.vehicles):
		nodes = []
		index = solution.Value(routing.NextVar(routing.Start(vehicle)))
		while not routing.IsEnd(index):
			nodes.append(manager.IndexToNode(index))
			index = solution.Value(routing.NextVar(index))
		routes.append(nodes)
	return routes


def _route_distance(dist: list[list[int]], nodes: Sequence[int]) -> int:
	path = [0, *nodes, 0]
	return sum(dist[a][b] for a, b in pairwise(path)) if nodes else 0


def _schedule(model: _Model, nodes: Sequence[int]) -> tuple[list[int], int, bool]:
	"""Service start of each stop and the return time, in seconds, waiting for windows to open.

	Also says whether every window was met, which decides if a creation-order plan is a
	valid candidate.
	"""
	assert model.travel_s is not None and model.service_s is not None
	starts, clock, previous, on_time = [], 0, 0, True
	for node in nodes:
		clock += model.service_s[previous] + model.travel_s[previous][node]
		window = model.windows_s[node] if model.windows_s is not None else None
		if window is not None:
			clock = max(clock, window[0])
			on_time = on_time and clock <= window[1]
		starts.append(clock)
		previous = node
	if nodes:
		clock += model.service_s[previous] + model.travel_s[previous][0]
	return starts, clock, on_time


def _naive_routes(model: _Model) -> tuple[list[list[int]], list[int]]:
	"""Creation order: fill vehicle 1 until the next stop does not fit, then vehicle 2, ...

	A stop heavier than any vehicle is skipped; once the last vehicle is loading, stops
	that do not fit it are not served.
	"""
	assert model.demands is not None and model.capacity is not None
	routes: list[list[int]] = [[]]
	load, dropped = 0, []
	for node in range(1, len(model.dist)):
		demand = model.demands[node]
		if demand > model.capacity:
			dropped.append(node)
			continue
		if load + demand > model.capacity:
			if len(routes) == model.vehicles:
				dropped.append(node)
				continue
			routes.append([])
			load = 0
		routes[-1].append(node)
		load += demand
	return routes + [[] for _ in range(model.vehicles - len(routes))], dropped


def _window_s(stop: Stop) -> tuple[int, int] | None:
	if stop.time_window is None:
		return None
	earliest, latest = stop.time_window
	return nint(float(earliest) * 60), nint(float(latest) * 60)


def _objective(model: _Model, routes: list[list[int]], dropped: int) -> int:
	assert model.drop_penalty is not None
	return sum(_route_distance(model.dist, r) for r in routes) + model.drop_penalty * dropped


def default_time_limit(stop_count: int) -> float:
	"""Guided local search never stops by itself: small plans should not hold a worker long."""
	return min(MAX_DEFAULT_TIME_LIMIT_SECONDS, 1.0 + 0.1 * stop_count)


# ---------------------------------------------------------------------------------------
# public entry points


def plan_routes(
	depot: Depot,
	stops: Sequence[Stop],
	fleet: Fleet,
	*,
	distance_matrix: Sequence[Sequence[float]] | None = None,
	time_limit_seconds: float | None = None,
) -> RoutePlan:
	"""Plan delivery routes for `stops` from `depot` with `fleet`.

	`distance_matrix` (metres, depot first then stops in the given order, may be
	asymmetric) lets a road-distance service replace the straight-line haversine default.
	The given order of `stops` is the creation order the saving is measured against. The
	plan is never worse than that creation-order plan when the latter is feasible: if the
	search, in its time limit, ends above it, the creation-order plan is returned.
	"""
	_validate_fleet(fleet)
	points = [_coordinates(depot)]
	seen: set[str] = set()
	for stop in stops:
		if not stop.id:
			raise ValidationFailed("Every stop needs an id", field="id")
		if stop.id in seen or stop.id == depot.id:
			raise ValidationFailed("Stop {0} appears more than once", stop.id, field="id")
		seen.add(stop.id)
		points.append(_coordinates(stop))
		_validate_stop(stop)
	if time_limit_seconds is None:
		time_limit_seconds = default_time_limit(len(stops))
	elif not time_limit_seconds > 0:
		raise ValidationFailed("The time limit must be positive", field="time_limit_seconds")

	size = len(points)
	if distance_matrix is not None:
		dist = _validate_matrix(distance_matrix, size)
	else:
		dist = [[nint(haversine_m(*a, *b)) for b in points] for a in points]
	metres_per_second = float(fleet.speed_kmh) / 3.6
	model = _Model(
		dist=dist,
		vehicles=fleet.count,
		demands=[0] + [nint(float(s.demand) * DEMAND_SCALE) for s in stops],
		capacity=nint(float(fleet.capacity) * DEMAND_SCALE),
		travel_s=[[nint(d / metres_per_second) for d in row] for row in dist],
		service_s=[0] + [nint(float(s.service_minutes) * 60) for s in stops],
		windows_s=[None, *(_window_s(s) for s in stops)],
		drop_penalty=_penalty(dist, fleet.count),
	)

	naive, naive_dropped = _naive_routes(model)
	naive_distance = sum(_route_distance(dist, r) for r in naive)
	if not stops:
		routes: list[list[int]] = [[] for _ in range(fleet.count)]
	else:
		found = _solve(model, time_limit_seconds)
		naive_on_time = all(_schedule(model, r)[2] for r in naive)
		if found is None:
			if not naive_on_time:
				raise DomainError("No route plan was found within {0} seconds", time_limit_seconds)
			routes = naive
		else:
			dropped = size - 1 - sum(len(r) for r in found)
			better_naive = naive_on_time and _objective(model, naive, len(naive_dropped)) < _objective(
				model, found, dropped
			)
			routes = naive if better_naive else found
	return _plan(model, stops, routes, naive_distance, naive_dropped)


def _plan(
	model: _Model,
	stops: Sequence[Stop],
	routes: list[list[int]],
	naive_distance: int,
	naive_dropped: list[int],
) -> RoutePlan:
	assert model.demands is not None and model.capacity is not None and model.travel_s is not None
	planned = []
	for vehicle, nodes in enumerate(routes, start=1):
		if not nodes:
			continue
		starts, back, _ = _schedule(model, nodes)
		visits, travelled, previous = [], 0, 0
		for sequence, (node, start) in enumerate(zip(nodes, starts, strict=True), start=1):
			leg = model.dist[previous][node]
			travelled += leg
			visits.append(RouteStop(stops[node - 1].id, sequence, leg, travelled, start / 60))
			previous = node
		planned.append(
			VehicleRoute(
				vehicle=vehicle,
				stops=tuple(visits),
				distance_m=travelled + model.dist[previous][0],
				load=sum(float(stops[n - 1].demand) for n in nodes),
				return_minutes=back / 60,
			)
		)

	served = {node for nodes in routes for node in nodes}
	unserved = []
	for node in range(1, len(model.dist)):
		if node in served:
			continue
		window = model.windows_s[node] if model.windows_s is not None else None
		if model.demands[node] > model.capacity:
			reason = UnservedReason.OVER_CAPACITY
		elif window is not None and model.travel_s[0][node] > window[1]:
			reason = UnservedReason.WINDOW_UNREACHABLE
		else:
			reason = UnservedReason.NO_ROOM
		unserved.append(UnservedStop(stops[node - 1].id, reason))

	total = sum(r.distance_m for r in planned)
	saving = naive_distance - total
	return RoutePlan(
		routes=tuple(planned),
		total_distance_m=total,
		unserved=tuple(unserved),
		naive_distance_m=naive_distance,
		naive_unserved=tuple(stops[n - 1].id for n in naive_dropped),
		saving_m=saving,
		saving_percent=round(100.0 * saving / naive_distance, 2) if naive_distance else 0.0,
	)


def solve_tsp(
	coords: Sequence[tuple[float, float]],
	*,
	time_limit_seconds: float = 10.0,
	target_length: int | None = None,
) -> TspTour:
	"""Shortest closed tour through Euclidean points (TSPLIB EUC_2D), for benchmarking.

	Same search as `plan_routes` (one vehicle, no drops). With `target_length` (a known
	optimum) the search stops once it is reached instead of running out the time limit.
	"""
	if len(coords) < 2:
		raise ValidationFailed("A tour needs at least two cities", field="coords")
	if not time_limit_seconds > 0:
		raise ValidationFailed("The time limit must be positive", field="time_limit_seconds")
	dist = euc_2d_matrix(coords)
	started = time.monotonic()
	routes = _solve(_Model(dist=dist, vehicles=1), time_limit_seconds, target_cost=target_length)
	seconds = time.monotonic() - started
	if routes is None:
		raise DomainError("No tour was found within {0} seconds", time_limit_seconds)
	order = (0, *routes[0])
	return TspTour(order=order, length=tsp_tour_length(coords, order), seconds=seconds)


# ---------------------------------------------------------------------------------------
# TSPLIB files


def _tsplib_header(line: str) -> tuple[str, str] | None:
	if ":" not in line:
		return None
	key, value = line.split(":", 1)
	return key.strip().upper(), value.strip()


def parse_tsplib(text: str) -> list[tuple[float, float]]:
	"""Coordinates of a TSPLIB EUC_2D instance, in file order (city 1 is index 0)."""
	coords: list[tuple[float, float]] = []
	dimension, in_coords = None, False
	for raw in text.splitlines():
		line = raw.strip()
		if line == "EOF":
			break
		if not line:
			continue
		header = _tsplib_header(line)
		if header is not None:
			key, value = header
			if key == "EDGE_WEIGHT_TYPE" and value != "EUC_2D":
				raise ValidationFailed("Only EUC_2D instances are supported, not {0}", value, field="text")
			if key == "DIMENSION":
				dimension = int(value)
			continue
		if line == "NODE_COORD_SECTION":
			in_coords = True
			continue
		if in_coords:
			parts = line.split()
			if len(parts) != 3:
				raise ValidationFailed("Bad coordinate line: {0}", line, field="text")
			coords.append((float(parts[1]), float(parts[2])))
	if dimension is not None and dimension != len(coords):
		raise ValidationFailed(
			"The file declares {0} cities but lists {1}", dimension, len(coords), field="text"
		)
	return coords


def parse_tsplib_tour(text: str) -> list[int]:
	"""A TSPLIB .tour file's TOUR_SECTION as 0-based city indices."""
	order: list[int] = []
	in_tour = False
	for raw in text.splitlines():
		line = raw.strip()
		if line == "TOUR_SECTION":
			in_tour = True
			continue
		if not in_tour or not line:
			continue
		for token in line.split():
			if token == "-1" or token == "EOF":
				return order
			order.append(int(token) - 1)
	return order
