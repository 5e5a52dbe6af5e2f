"""Route planning at the size of a busy day: 200 stops around Berlin, 5 vans with a capacity and
time windows. Prints, for several solver time limits, the distance against creation order (the
order the shipments were made in, loaded van by van: the baseline, planned in the same run), the
saving, the stops left unserved, and the wall time. A script, not a test; needs no site.

    python benchmarks/routes.py [--stops 200] [--vehicles 5] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import print_json
from oms_omnichannel.core.routing import Depot, Fleet, Stop, default_time_limit, plan_routes

DEPOT = Depot("Central Warehouse Berlin", 52.4386, 13.3876)


def day_of_stops(count: int, seed: int) -> list[Stop]:
	"""Stops spread over Berlin (about 25 x 20 km); a third with a two-hour window somewhere in an
	eight-hour day, parcels of 1-20 kg, 4 minutes at each door."""
	rng = random.Random(seed)
	stops = []
	for index in range(count):
		window = None
		if rng.random() < 1 / 3:
			start = rng.randint(0, 6) * 60
			window = (start, start + 120)
		stops.append(
			Stop(
				id=f"S{index:03d}",
				lat=52.40 + rng.random() * 0.22,
				lon=13.20 + rng.random() * 0.38,
				demand=rng.randint(1, 20),
				time_window=window,
				service_minutes=4,
			)
		)
	return stops


def measure(stops: list[Stop], fleet: Fleet, time_limit: float) -> dict:
	started = time.perf_counter()
	plan = plan_routes(DEPOT, stops, fleet, time_limit_seconds=time_limit)
	seconds = time.perf_counter() - started
	return {
		"time_limit_s": time_limit,
		"wall_s": round(seconds, 2),
		"distance_km": round(plan.total_distance_m / 1000, 1),
		"creation_order_km": round(plan.naive_distance_m / 1000, 1),
		"saving_percent": round(plan.saving_percent, 1),
		"unserved": len(plan.unserved),
		"creation_order_unserved": len(plan.naive_unserved),
		"vehicles_used": len(plan.routes),
	}


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--stops", type=int, default=200)
	parser.add_argument("--vehicles", type=int, default=5)
	parser.add_argument("--seed", type=int, default=7)
	parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
	args = parser.parse_args()
	stops = day_of_stops(args.stops, args.seed)
	total_kg = sum(s.demand for s in stops)
	# vans big enough together for the day with 20% to spare, so capacity binds but fits
	fleet = Fleet(count=args.vehicles, capacity=round(total_kg * 1.2 / args.vehicles))
	limits = sorted({2.0, 5.0, default_time_limit(len(stops))})
	rows = [measure(stops, fleet, limit) for limit in limits]
	result = {
		"stops": len(stops),
		"vehicles": fleet.count,
		"capacity_kg": fleet.capacity,
		"windowed_stops": sum(1 for s in stops if s.time_window),
		"runs": rows,
	}
	if args.json:
		print_json(result)
		return
	print(
		f"{result['stops']} stops ({result['windowed_stops']} with windows), "
		f"{fleet.count} vans of {fleet.capacity} kg"
	)
	print(f"{'limit s':>8} {'wall s':>7} {'km':>8} {'creation km':>12} {'saving %':>9} {'unserved':>9}")
	for row in rows:
		print(
			f"{row['time_limit_s']:>8} {row['wall_s']:>7} {row['distance_km']:>8} "
			f"{row['creation_order_km']:>12} {row['saving_percent']:>9} "
			f"{row['unserved']:>4} / {row['creation_order_unserved']}"
		)


if __name__ == "__main__":
	main()
