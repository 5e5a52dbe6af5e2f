"""Hot SKU: many processes, each with its own database connection, ordering one SKU of 100 units.

Run with the bench's Python against a site of its own (it writes orders and stock):

    /opt/oms-bench/env/bin/python benchmarks/hot_sku.py --bench /opt/oms-bench --site perf.test

For each client count (`--processes`, default 32 and 64) it starts that many processes; each does
frappe.init/connect on the site and calls the app's intake service in-process, as the REST
endpoint does (`retry_on_lock_conflict(intake.ingest)`, then commit): more concurrent
transactions than gunicorn's workers would ever let in, the harshest contention. Every process
places `--orders` orders of 1 unit, first each on a SKU of its own (cold: the same load spread
over one SKU per process, the baseline), then all on one SKU that holds exactly 100 units (hot).

It prints and checks: exactly 100 units reserved; nothing but clean answers (an order created and
reserved, an order created awaiting stock (Pending, the app's backorder), or a refusal the app
words, such as "stock is busy"; anything else, a raw exception, is a failure); p99 of a hot order
against the cold p99 (target <= 1.25x) and hot throughput against cold (target >= 0.9x); MariaDB's
row-lock waits in each phase (SHOW GLOBAL STATUS LIKE 'Innodb_row_lock%'); then the stock
integrity check over the whole site. A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks import common

HOT_STOCK = 100
PHASES = ("cold", "hot")
TARGET_P99 = 1.25  # hot p99 / cold p99 at most
TARGET_THROUGHPUT = 0.9  # hot orders/s / cold orders/s at least


def place_order(sku: str, prefix: str) -> tuple[str, str]:
	"""One order as the REST endpoint takes it: the whole transaction, retried on a lock conflict,
	committed. Returns (answer, detail): reserved, backorder, refused or unclean."""
	import frappe

	from oms_omnichannel.channels import intake
	from oms_omnichannel.inventory.locks import StockLockConflict, retry_on_lock_conflict

	payload = {"channel": common.CHANNEL, "order": common.order_payload(prefix, [sku])}
	try:
		body = retry_on_lock_conflict(intake.ingest)(payload)
		frappe.db.commit()
	except StockLockConflict as error:  # the app's own refusal: nothing saved, try again
		frappe.db.rollback()
		return "refused", str(error)
	except Exception:
		frappe.db.rollback()
		return "unclean", traceback.format_exc(limit=3)
	result = body["results"][0]
	if result["outcome"] == "Failed":
		return "refused", "; ".join(e["message"] for e in result["errors"])
	if result["outcome"] != "Created":
		return "unclean", f"outcome {result['outcome']}"
	if result["status"] == "Processing":
		return "reserved", result["order"]
	if result["status"] == "Pending":
		return "backorder", result["order"]
	return "unclean", f"created in status {result['status']}"


def client(site, sites_path, number, skus, orders, barrier, results) -> None:
	"""One process: warm up, then the cold phase and the hot phase, between barriers."""
	import frappe

	figures = {phase: {"answers": [], "seconds": []} for phase in PHASES}
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		place_order(skus["cold"], f"warm-{number}")  # metadata and caches, not timed
		for phase in PHASES:
			barrier.wait(timeout=900)  # all ready
			for attempt in range(orders):
				started = time.perf_counter()
				answer = place_order(skus[phase], f"{phase}-{number}-{attempt}")
				figures[phase]["seconds"].append(time.perf_counter() - started)
				figures[phase]["answers"].append(answer)
			barrier.wait(timeout=900)  # all done
		figures["retries"] = getattr(frappe.local, "lock_retries", 0)
	except Exception:
		figures["crash"] = traceback.format_exc()
		barrier.abort()
	finally:
		results.put(figures)
		frappe.destroy()


def prepare(frappe, run: str, processes: int, orders: int) -> dict:
	"""A hot SKU with exactly HOT_STOCK units and a cold SKU per process with more than enough."""
	hot = f"HOT-{run}-{processes}"
	cold = [f"COLD-{run}-{processes}-{n:03d}" for n in range(processes)]
	common.ensure_items(frappe, [hot, *cold])
	common.receive(frappe, {hot: HOT_STOCK, **{sku: orders + 5 for sku in cold}})
	frappe.db.commit()
	return {"hot": hot, "cold": cold}


def measure(frappe, bench: str, site: str, processes: int, orders: int, run: str) -> dict:
	skus = prepare(frappe, run, processes, orders)
	context = multiprocessing.get_context("spawn")
	barrier, results = context.Barrier(processes + 1), context.Queue()
	sites_path = os.path.join(bench, "sites")
	workers = [
		context.Process(
			target=client,
			args=(
				site,
				sites_path,
				n,
				{"cold": skus["cold"][n], "hot": skus["hot"]},
				orders,
				barrier,
				results,
			),
		)
		for n in range(processes)
	]
	for worker in workers:
		worker.start()
	phases = {}
	try:
		for phase in PHASES:
			barrier.wait(timeout=900)  # every process warm (or done with the phase before)
			locks_before = common.row_lock_status(frappe)
			started = time.perf_counter()
			barrier.wait(timeout=900)  # every process done with this phase
			elapsed = time.perf_counter() - started
			locks_after = common.row_lock_status(frappe)
			phases[phase] = {
				"seconds": elapsed,
				"lock_waits": locks_after["Innodb_row_lock_waits"] - locks_before["Innodb_row_lock_waits"],
				"lock_wait_ms": locks_after["Innodb_row_lock_time"] - locks_before["Innodb_row_lock_time"],
			}
	except threading.BrokenBarrierError:
		crashed = [o["crash"] for o in (results.get(timeout=60) for _ in workers) if "crash" in o]
		raise SystemExit(
			"a client process failed:\n" + (crashed[0] if crashed else "(no traceback)")
		) from None
	outcomes = [results.get(timeout=300) for _ in workers]
	for worker in workers:
		worker.join(timeout=60)
	crashes = [o["crash"] for o in outcomes if "crash" in o]
	for phase in PHASES:
		seconds = [s for o in outcomes for s in o[phase]["seconds"]]
		answers = [a for o in outcomes for a in o[phase]["answers"]]
		counts = {
			kind: sum(1 for a, _ in answers if a == kind) for kind in ("reserved", "backorder", "refused")
		}
		phases[phase].update(
			orders=len(seconds),
			orders_s=len(seconds) / phases[phase]["seconds"],
			p50_ms=common.percentile(seconds, 0.5) * 1000,
			p99_ms=common.percentile(seconds, 0.99) * 1000,
			unclean=[detail for a, detail in answers if a == "unclean"][:5],
			unclean_count=sum(1 for a, _ in answers if a == "unclean"),
			refusals=sorted({detail for a, detail in answers if a == "refused"})[:5],
			**counts,
		)
	from oms_omnichannel.inventory.integrity import find_drift

	hot_balance = frappe.db.get_value(
		"OMS Stock Balance",
		{"item": skus["hot"], "location": common.LOCATION, "stock_status": "Available"},
		["actual_qty", "reserved_qty", "available_qty"],
		as_dict=True,
	)
	hot_open = frappe.db.sql(
		"SELECT COALESCE(SUM(`open_qty`), 0) FROM `tabOMS Stock Reservation` WHERE `item`=%s AND `status`='Open'",
		skus["hot"],
	)[0][0]
	return {
		"processes": processes,
		"orders_per_process": orders,
		"hot_sku": skus["hot"],
		"phases": phases,
		"hot_reserved_units": float(hot_open),
		"hot_balance": {k: float(v) for k, v in (hot_balance or {}).items()},
		"hot_drift": len(find_drift(skus["hot"])),
		"retries": sum(o.get("retries", 0) for o in outcomes),
		"crashes": crashes[:3],
		"p99_ratio": phases["hot"]["p99_ms"] / phases["cold"]["p99_ms"],
		"throughput_ratio": phases["hot"]["orders_s"] / phases["cold"]["orders_s"],
	}


def report(figures: dict) -> list[str]:
	"""What failed of the run's checks (empty: all held)."""
	failures = []
	hot = figures["phases"]["hot"]
	n = figures["processes"]
	if figures["crashes"]:
		failures.append(f"{n}: a process crashed: {figures['crashes'][0]}")
	if hot["reserved"] != HOT_STOCK or figures["hot_reserved_units"] != HOT_STOCK:
		failures.append(
			f"{n}: {hot['reserved']} orders reserved, {figures['hot_reserved_units']} units open, not {HOT_STOCK}"
		)
	for phase in PHASES:
		if figures["phases"][phase]["unclean_count"]:
			failures.append(f"{n} {phase}: {figures['phases'][phase]['unclean_count']} unclean answers")
	if figures["hot_drift"]:
		failures.append(f"{n}: the hot SKU's balance drifted")
	return failures


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--bench", default="/opt/oms-bench")
	parser.add_argument("--site", required=True)
	parser.add_argument("--processes", default="32,64", help="client counts, comma-separated")
	parser.add_argument("--orders", type=int, default=10, help="orders per process and phase")
	parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
	args = parser.parse_args(argv)

	frappe = common.connect(args.bench, args.site)
	common.ensure_channel(frappe)
	frappe.db.set_single_value("OMS Settings", "reservation_expiry_minutes", 0)
	frappe.db.commit()
	run = frappe.generate_hash(length=6).upper()
	runs, failures = [], []
	for processes in [int(n) for n in args.processes.split(",")]:
		figures = measure(frappe, args.bench, args.site, processes, args.orders, run)
		runs.append(figures)
		failures += report(figures)
		print(
			f"\nhot SKU, {processes} processes x {args.orders} orders of 1 unit, {HOT_STOCK} units in stock"
		)
		print(f"{'phase':<6}{'orders':>8}{'orders/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'reserved':>10}"
			f"{'backorder':>10}{'refused':>8}{'unclean':>8}{'lock waits':>11}{'wait ms':>9}")  # fmt: skip
		for phase in PHASES:
			p = figures["phases"][phase]
			print(f"{phase:<6}{p['orders']:>8}{p['orders_s']:>10.1f}{p['p50_ms']:>9.0f}{p['p99_ms']:>9.0f}"
				f"{p['reserved']:>10}{p['backorder']:>10}{p['refused']:>8}{p['unclean_count']:>8}"
				f"{p['lock_waits']:>11}{p['lock_wait_ms']:>9}")  # fmt: skip
			for detail in p["refusals"] + p["unclean"]:
				print(f"    {detail.strip().splitlines()[-1][:160]}")
		print(
			f"hot units reserved: {figures['hot_reserved_units']:.0f} (balance {figures['hot_balance']}), "
			f"lock retries {figures['retries']}"
		)
		print(f"hot p99 / cold p99: {figures['p99_ratio']:.2f} (target <= {TARGET_P99})")
		print(f"hot / cold throughput: {figures['throughput_ratio']:.2f} (target >= {TARGET_THROUGHPUT})")
	from oms_omnichannel.inventory.integrity import check_stock_integrity

	drifts = check_stock_integrity()
	for failure in failures:
		print(f"FAILED {failure}")
	if args.json:
		common.print_json(
			{"runs": runs, "site_drifts": len(drifts), "failures": failures, "stock": HOT_STOCK}
			| {"targets": {"p99_ratio": TARGET_P99, "throughput_ratio": TARGET_THROUGHPUT}}
		)
	frappe.destroy()
	return 1 if failures or drifts else 0


if __name__ == "__main__":
	sys.exit(main())
