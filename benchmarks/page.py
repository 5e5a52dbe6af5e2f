"""docs/benchmarks.md from the figures run_all.py collected: the targets first (figure, baseline
from the same run, ratio, target, met or not, scale), then each benchmark's detail."""

from __future__ import annotations

import os

REPORT_TARGET_S, ONE_LOCATION_TARGET_S = 2.0, 0.5


def fmt(value, digits: int = 1) -> str:
	if value is None:
		return "–"
	if isinstance(value, int | float):
		return f"{value:,.{digits}f}"
	return str(value)


class Targets:
	def __init__(self):
		self.rows, self.unmet = [], []

	def add(self, what, figure, baseline, ratio, target, met, scale) -> None:
		verdict = "–" if met is None else ("yes" if met else "**no**")
		self.rows.append(f"| {what} | {figure} | {baseline} | {ratio} | {target} | {verdict} | {scale} |")
		if met is False:
			self.unmet.append(f"{what}: {ratio if ratio != '–' else figure} against a target of {target}")


def intake_rows(targets: Targets, intake: dict) -> None:
	results, ratios = intake["results"], intake["ratios"]
	bare8 = results["bare REST x8"]["orders_s"]
	scale = f"{intake['single_per_run']} orders a run"
	for clients in intake["clients"]:
		ratio = ratios[f"single intake x{clients} / bare REST x8"]
		targets.add(
			f"Single-order intake over REST (3 lines, reserved), {clients} client(s)",
			f"{fmt(results[f'single x{clients}']['orders_s'])} orders/s",
			f"Frappe REST insert, bare DocType + 3 rows, 8 clients: {fmt(bare8)}/s",
			fmt(ratio["value"], 2),
			f"≥ {ratio['target']}",
			ratio["value"] >= ratio["target"],
			scale,
		)
	batch = results["batch x1 (100/call)"]["orders_s"]
	ratio = ratios["batch intake / bare in-process insert"]
	scale = f"{intake['batches']} calls of 100 orders; baselines {intake['single_per_run']} inserts"
	targets.add(
		"Batch intake (100 orders a call)",
		f"{fmt(batch)} orders/s",
		f"in-process insert() of the bare DocType: {fmt(intake['inprocess_orders_s'])}/s",
		fmt(ratio["value"], 2),
		f"≥ {ratio['target']}",
		ratio["value"] >= ratio["target"],
		scale,
	)
	targets.add(
		"Batch intake against the ceiling",
		f"{fmt(batch)} orders/s",
		f"raw multi-row INSERTs of the bare rows: {fmt(intake['raw_insert_orders_s'])}/s",
		fmt(ratios["batch intake / raw INSERT (ceiling)"]["value"], 2),
		"(reported)",
		None,
		scale,
	)


def hot_rows(targets: Targets, runs: list[dict]) -> None:
	for result in runs:
		limits = result["targets"]
		for run in result["runs"]:
			n, hot, cold = run["processes"], run["phases"]["hot"], run["phases"]["cold"]
			scale = f"{n} processes × {run['orders_per_process']} orders, {result['stock']} units"
			targets.add(
				f"Hot SKU, {n} processes: p99 of an order",
				f"{fmt(hot['p99_ms'], 0)} ms",
				f"one SKU per process: {fmt(cold['p99_ms'], 0)} ms",
				fmt(run["p99_ratio"], 2),
				f"≤ {limits['p99_ratio']}",
				run["p99_ratio"] <= limits["p99_ratio"],
				scale,
			)
			targets.add(
				f"Hot SKU, {n} processes: throughput",
				f"{fmt(hot['orders_s'])} orders/s",
				f"one SKU per process: {fmt(cold['orders_s'])}/s",
				fmt(run["throughput_ratio"], 2),
				f"≥ {limits['throughput_ratio']}",
				run["throughput_ratio"] >= limits["throughput_ratio"],
				scale,
			)
			clean = hot["unclean_count"] + cold["unclean_count"] == 0 and not run["crashes"]
			exact = hot["reserved"] == result["stock"] and run["hot_reserved_units"] == result["stock"]
			targets.add(
				f"Hot SKU, {n} processes: exactly {result['stock']} reserved, only clean answers, no drift",
				f"{hot['reserved']} orders reserved ({fmt(run['hot_reserved_units'], 0)} units open), "
				f"{hot['backorder']} backorders, {hot['refused']} refused, "
				f"{hot['unclean_count'] + cold['unclean_count']} unclean; site drifts {result['site_drifts']}",
				"–",
				"–",
				"exact, clean, 0 drift",
				clean and exact and not run["hot_drift"] and not result["site_drifts"],
				scale,
			)


def memory_rows(targets: Targets, memory: dict) -> None:
	runs = {int(size): run for size, run in memory["runs"].items()}
	big, small = runs[memory["orders"]], runs[memory["baseline"]]
	targets.add(
		f"Memory: worker peak RSS growth, {memory['orders']:,}-order batch job",
		f"{fmt(big['growth_mb'], 0)} MB",
		f"{memory['baseline']}-order batch job: {fmt(small['growth_mb'], 0)} MB",
		fmt(big["growth_mb"] / small["growth_mb"], 1) if small["growth_mb"] > 0 else "–",
		f"< {memory['target_mb']} MB growth",
		big["growth_mb"] < memory["target_mb"],
		f"{memory['orders']:,} orders × 3 lines",
	)


def report_rows(targets: Targets, reports: dict) -> None:
	orders = reports["site_rows"].get("OMS Order", 0)
	ledger = reports["site_rows"].get("OMS Stock Ledger Entry", 0)
	scale = f"{orders:,} orders, {ledger:,} ledger rows"
	for report in reports["reports"]:
		limit = ONE_LOCATION_TARGET_S if "one location" in report["label"] else REPORT_TARGET_S
		if report.get("stopped"):
			targets.add(f"Report: {report['label']}", "stopped", "–", "–", f"< {limit} s", False, scale)
			continue
		targets.add(
			f"Report: {report['label']} (default filters)",
			f"{fmt(report['first_s'], 2)} s first, {fmt(report['best_s'], 2)} s best",
			"–",
			"–",
			f"< {limit} s (first run)",
			report["first_s"] < limit,
			scale,
		)


def route_rows(targets: Targets, routes: dict) -> None:
	for run in routes["runs"]:
		targets.add(
			f"Routes: {routes['stops']} stops, {routes['vehicles']} vans, {run['time_limit_s']:.0f} s limit",
			f"{fmt(run['distance_km'])} km in {fmt(run['wall_s'])} s, {run['unserved']} unserved",
			f"creation order: {fmt(run['creation_order_km'])} km, {run['creation_order_unserved']} unserved",
			f"saving {fmt(run['saving_percent'])} %",
			"(reported)",
			None,
			f"{routes['stops']} stops ({routes['windowed_stops']} with time windows)",
		)


def details(results: dict) -> list[str]:
	lines = []
	if "intake" in results:
		lines += ["### Intake (gunicorn, 2 workers, on 127.0.0.1)", ""]
		lines += ["| run | calls/s | orders/s | p50 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|---:|"]
		for name, r in results["intake"]["results"].items():
			lines.append(
				f"| {name} | {fmt(r['calls_s'])} | {fmt(r['orders_s'])} | {fmt(r['p50_ms'], 0)} "
				f"| {fmt(r['p99_ms'], 0)} | {r['errors']} |"
			)
		lines += [
			f"| bare insert() in-process | | {fmt(results['intake']['inprocess_orders_s'])} | | | |",
			f"| bare raw INSERT (ceiling) | | {fmt(results['intake']['raw_insert_orders_s'])} | | | |",
			"",
		]
	if "hot_sku" in results:
		lines += ["### Hot SKU", ""]
		lines += [
			"| processes | phase | orders | orders/s | p50 ms | p99 ms | reserved | backorder | refused "
			"| unclean | row-lock waits | wait ms |",
			"|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
		]
		for result in results["hot_sku"]:
			for run in result["runs"]:
				for phase, p in run["phases"].items():
					lines.append(
						f"| {run['processes']} | {phase} | {p['orders']} | {fmt(p['orders_s'])} "
						f"| {fmt(p['p50_ms'], 0)} | {fmt(p['p99_ms'], 0)} | {p['reserved']} | {p['backorder']} "
						f"| {p['refused']} | {p['unclean_count']} | {p['lock_waits']} | {p['lock_wait_ms']} |"
					)
		lines.append("")
		for result in results["hot_sku"]:
			for run in result["runs"]:
				for phase, p in run["phases"].items():
					for detail in p["refusals"] + p["unclean"]:
						lines.append(
							f"- {run['processes']} {phase}: `{detail.strip().splitlines()[-1][:200]}`"
						)
				lines.append(
					f"- {run['processes']} processes: hot SKU balance {run['hot_balance']}, "
					f"{run['retries']} lock retries"
				)
		lines.append("")
	if "memory" in results:
		lines += ["### Memory (the batch job in a worker process)", ""]
		lines += [
			"| batch | RSS before MB | peak (VmHWM) MB | growth MB | job s | orders/s | job result |",
			"|---:|---:|---:|---:|---:|---:|---|",
		]
		for size, run in results["memory"]["runs"].items():
			lines.append(
				f"| {int(size):,} | {fmt(run['before_kb'] / 1024, 0)} | {fmt(run['after']['VmHWM'] / 1024, 0)} "
				f"| {fmt(run['growth_mb'], 0)} | {fmt(run['seconds'], 0)} | {fmt(int(size) / run['seconds'], 0)} "
				f"| {run['result']} |"
			)
		lines.append("")
	if "reports" in results:
		rows = results["reports"]["site_rows"]
		lines += [f"### Reports at scale ({', '.join(f'{k} {v:,}' for k, v in rows.items())})", ""]
		if "seed" in results:
			seed = results["seed"]
			ledger = f", {seed['ledger_rows']:,} ledger rows" if seed.get("ledger_rows") else ""
			checked = f" in {fmt(seed['drift_check_s'], 0)} s" if seed.get("drift_check_s") else ""
			lines += [
				f"Seeded in {fmt(seed['seconds'], 0)} s ({seed['orders']:,} orders{ledger}; integrity "
				f"check: {seed['drift']} drifts{checked}).",
				"",
			]
		lines += [
			"| report | prepared | first s | best s | rows | plans (table:index) |",
			"|---|---|---:|---:|---:|---|",
		]
		for r in results["reports"]["reports"]:
			if r.get("stopped"):
				lines.append(f"| {r['label']} | | stopped | | | |")
				continue
			plans = "<br>".join(r["plans"][:6])
			lines.append(
				f"| {r['label']} | {'yes' if r['prepared'] else 'no'} | {fmt(r['first_s'], 2)} "
				f"| {fmt(r['best_s'], 2)} | {r['rows']:,} | {plans} |"
			)
		lines.append("")
	return lines


def earlier_runs(results: dict) -> list[str]:
	"""Which figures a partial run (--only) kept from the page's earlier runs, with when and what."""
	ran, started = results.get("ran", {}), str(results["started"])
	kept = {
		section: run
		for section, run in ran.items()
		if str(run.get("started")) != started and run.get("started")
	}
	if not kept:
		return []
	runs = "; ".join(
		f"{section.replace('_', ' ')}: {str(run['started'])[:16]}, commit {run.get('commit')}"
		for section, run in kept.items()
	)
	return [
		f"This run measured {', '.join(s for s in ran if s not in kept)}; figures kept from earlier runs: {runs}.",
		"",
	]


def write_page(results: dict, path: str) -> None:
	m = results["machine"]
	targets = Targets()
	if "intake" in results:
		intake_rows(targets, results["intake"])
	if "hot_sku" in results:
		hot_rows(targets, results["hot_sku"])
	if "memory" in results:
		memory_rows(targets, results["memory"])
	if "reports" in results:
		report_rows(targets, results["reports"])
	if "routes" in results:
		route_rows(targets, results["routes"])
	minutes = (results["finished"] - results["started"]).total_seconds() / 60
	pool = f" (InnoDB buffer pool {m['buffer_pool_mb']:,} MB)" if m.get("buffer_pool_mb") else ""
	lines = [
		"# Benchmarks",
		"",
		f"Written by `benchmarks/run_all.py` on {results['started']:%Y-%m-%d %H:%M} ({minutes:.0f} minutes), "
		f"commit {m['commit']}. Do not edit by hand: run it again.",
		"",
		f"**Machine:** {m['cores']} cores ({m['cpu']}), {m['memory_gb']:.0f} GB memory, {m['os']}; "
		f"{m['python']}, Frappe {m['frappe']}, MariaDB {m['mariadb']}{pool}, {m['redis']}; MariaDB and Redis on "
		"127.0.0.1, REST served by gunicorn (2 workers). The machine is small and shared, so figures are "
		"noisy: every target is a ratio against a baseline measured in the same run, except the report "
		"timings and the memory growth, which are absolute.",
		"",
		*earlier_runs(results),
		"## Targets",
		"",
		"| what | figure | baseline (same run) | ratio | target | met | scale |",
		"|---|---|---|---|---|---|---|",
		*targets.rows,
		"",
		"## Not met",
		"",
		*([f"- {line}" for line in targets.unmet] or ["Every target was met in this run."]),
		"",
		"## Details",
		"",
		*details(results),
	]
	os.makedirs(os.path.dirname(path), exist_ok=True)
	with open(path, "w") as page:
		page.write("\n".join(lines).rstrip() + "\n")
