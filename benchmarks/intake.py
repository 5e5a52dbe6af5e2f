"""Order intake throughput against a real site served by gunicorn (2 workers on 127.0.0.1).

Run with the bench's Python, from anywhere:

    /opt/oms-bench/env/bin/python benchmarks/intake.py --bench /opt/oms-bench --site oms-bench.test

It prepares (once) a channel, stock, an API user and a bare DocType with a child table, starts
gunicorn, and measures in one run:
  - single-order intake (3 lines, reservation included) at 1, 8 and 16 concurrent clients
  - batch intake (100 orders a call)
  - baselines: Frappe's own POST /api/resource/<bare DocType> with 3 child rows at 1, 8 and 16
    clients, an in-process insert() of that bare DocType, and (the ceiling) raw parameterised
    multi-row INSERTs of the same rows, 100 orders a commit
It prints orders/s, p50/p99 and the ratios the targets are set on (`--json`: and one JSON line
for run_all.py). A script, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (
	CHANNEL,
	LOCATION,
	checkout_env,
	connect,
	ensure_channel,
	ensure_items,
	order_payload,
	percentile,
	print_json,
	receive,
)

BARE = "OMS Bench Bare"
BARE_ROW = "OMS Bench Bare Row"
ITEMS = ("BENCH-A", "BENCH-B", "BENCH-C")
CLIENTS = (1, 8, 16)
USER = "oms.benchmark@example.com"


def setup_site(bench: str, site: str) -> tuple[str, str]:
	"""Create what the benchmark needs (idempotent); returns the API key and secret."""
	frappe = connect(bench, site)
	if not frappe.db.exists("DocType", BARE_ROW):
		frappe.get_doc(
			{
				"doctype": "DocType", "name": BARE_ROW, "module": "OMS Omnichannel", "custom": 1, "istable": 1,
				"fields": [{"fieldname": "item", "fieldtype": "Data", "label": "Item"},
					{"fieldname": "qty", "fieldtype": "Float", "label": "Qty"},
					{"fieldname": "rate", "fieldtype": "Currency", "label": "Rate"}],
			}
		).insert()  # fmt: skip
		frappe.get_doc(
			{
				"doctype": "DocType", "name": BARE, "module": "OMS Omnichannel", "custom": 1, "autoname": "hash",
				"fields": [{"fieldname": "reference", "fieldtype": "Data", "label": "Reference"},
					{"fieldname": "rows", "fieldtype": "Table", "label": "Rows", "options": BARE_ROW}],
				"permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}],
			}
		).insert()  # fmt: skip
	ensure_channel(frappe)
	ensure_items(frappe, ITEMS)
	available = (
		frappe.db.get_value("OMS Stock Balance", {"item": ITEMS[0], "location": LOCATION}, "available_qty")
		or 0
	)
	if available < 50_000:
		receive(frappe, {sku: 100_000 for sku in ITEMS})
	if not frappe.db.exists("User", USER):
		frappe.get_doc(
			{"doctype": "User", "email": USER, "first_name": "Benchmark", "send_welcome_email": 0}
		).insert()
	user = frappe.get_doc("User", USER)
	user.add_roles("System Manager", "OMS Manager")
	user.api_key = user.api_key or frappe.generate_hash(length=15)
	secret = frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save()
	frappe.db.set_single_value("OMS Settings", "intake_async_threshold", 0)  # measure batches synchronously
	frappe.db.set_single_value("OMS Settings", "reservation_expiry_minutes", 0)
	frappe.db.commit()
	return user.api_key, secret


def inprocess_insert_rate(count: int) -> float:
	import frappe

	started = time.perf_counter()
	for index in range(count):
		frappe.get_doc(
			{
				"doctype": BARE,
				"reference": f"inproc-{index}",
				"rows": [{"item": sku, "qty": 1, "rate": 10} for sku in ITEMS],
			}
		).insert()
		frappe.db.commit()
	return count / (time.perf_counter() - started)


def raw_insert_rate(count: int, per_commit: int = 100) -> float:
	"""The ceiling: the bare DocType's rows written with multi-row parameterised INSERTs."""
	import frappe

	now = frappe.utils.now_datetime()
	common = [now, now, "Administrator", "Administrator"]
	started = time.perf_counter()
	for first in range(0, count, per_commit):
		parents, rows = [], []
		for index in range(first, min(first + per_commit, count)):
			name = frappe.generate_hash(length=10)
			parents.append([name, f"raw-{index}", *common])
			rows += [
				[frappe.generate_hash(length=10), name, BARE, "rows", idx, sku, 1, 10, *common]
				for idx, sku in enumerate(ITEMS, start=1)
			]
		audit = ["creation", "modified", "owner", "modified_by"]
		frappe.db.bulk_insert(BARE, ["name", "reference", *audit], parents)
		frappe.db.bulk_insert(
			BARE_ROW,
			["name", "parent", "parenttype", "parentfield", "idx", "item", "qty", "rate", *audit],
			rows,
		)
		frappe.db.commit()
	return count / (time.perf_counter() - started)


def intake_body(prefix: str) -> dict:
	return order_payload(prefix, ITEMS)


def run(
	session_factory, url: str, host: str, headers: dict, bodies: list[dict], clients: int, per_call: int = 1
):
	"""POST every body; returns (calls/s, orders/s, p50 ms, p99 ms, errors)."""
	import requests

	times, errors = [], []

	def one(body):
		started = time.perf_counter()
		response = session_factory().post(url, json=body, headers={**headers, "Host": host}, timeout=300)
		times.append(time.perf_counter() - started)
		if response.status_code >= 300:
			errors.append(f"{response.status_code}: {response.text[:200]}")

	started = time.perf_counter()
	with ThreadPoolExecutor(max_workers=clients) as pool:
		list(pool.map(one, bodies))
	elapsed = time.perf_counter() - started
	del requests
	return (
		len(bodies) / elapsed,
		len(bodies) * per_call / elapsed,
		statistics.median(times) * 1000,
		percentile(times, 0.99) * 1000,
		errors,
	)


def wait_for(url: str, host: str, seconds: int = 60) -> None:
	import requests

	deadline = time.time() + seconds
	while time.time() < deadline:
		try:
			if requests.get(url, headers={"Host": host}, timeout=2).status_code < 500:
				return
		except requests.RequestException:
			pass
		time.sleep(0.5)
	raise SystemExit("gunicorn did not start")


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--bench", default=os.environ.get("OMS_BENCH", "/opt/oms-bench"))
	parser.add_argument("--site", default="oms-bench.test")
	parser.add_argument("--port", type=int, default=8765)
	parser.add_argument("--single", type=int, default=120, help="orders per single-order run")
	parser.add_argument("--batches", type=int, default=4, help="calls of 100 orders")
	parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
	args = parser.parse_args()

	sites_path = os.path.join(args.bench, "sites")
	key, secret = setup_site(args.bench, args.site)
	auth = {"Authorization": f"token {key}:{secret}"}
	base = f"http://127.0.0.1:{args.port}"
	gunicorn = subprocess.Popen(
		[
			os.path.join(args.bench, "env", "bin", "gunicorn"),
			"-b",
			f"127.0.0.1:{args.port}",
			"-w",
			"2",
			"-t",
			"300",
			"--preload",
			"frappe.app:application",
		],  # fmt: skip
		cwd=sites_path,
		env=checkout_env(),
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
	)
	try:
		import requests

		wait_for(f"{base}/api/method/ping", args.site)
		session = requests.Session
		intake = f"{base}/api/method/oms_omnichannel.api.v1.orders.ingest"
		bare = f"{base}/api/resource/{BARE}"
		results = {}
		run(
			session,
			intake,
			args.site,
			auth,
			[{"channel": CHANNEL, "order": intake_body("warm")} for _ in range(10)],
			2,
		)
		for clients in CLIENTS:
			bodies = [{"channel": CHANNEL, "order": intake_body(f"s{clients}")} for _ in range(args.single)]
			results[f"single x{clients}"] = run(session, intake, args.site, auth, bodies, clients)
			rows = [
				{"reference": f"rest-{i}", "rows": [{"item": s, "qty": 1, "rate": 10} for s in ITEMS]}
				for i in range(args.single)
			]
			results[f"bare REST x{clients}"] = run(session, bare, args.site, auth, rows, clients)
		batches = [
			{"channel": CHANNEL, "orders": [intake_body("b") for _ in range(100)]}
			for _ in range(args.batches)
		]
		results["batch x1 (100/call)"] = run(session, intake, args.site, auth, batches, 1, per_call=100)
	finally:
		gunicorn.terminate()
		gunicorn.wait(timeout=30)
	inprocess = inprocess_insert_rate(args.single)
	raw = raw_insert_rate(args.batches * 100)

	print(f"\nintake benchmark — site {args.site}, gunicorn 2 workers on 127.0.0.1, {os.cpu_count()} CPUs")
	print(f"{'run':<24}{'calls/s':>10}{'orders/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
	for name, (calls, orders, p50, p99, errors) in results.items():
		print(f"{name:<24}{calls:>10.1f}{orders:>10.1f}{p50:>10.1f}{p99:>10.1f}{len(errors):>8}")
		for error in errors[:3]:
			print(f"    {error}")
	print(f"{'bare insert() in-process':<24}{'':>10}{inprocess:>10.1f}")
	print(f"{'bare raw INSERT (ceiling)':<24}{'':>10}{raw:>10.1f}")
	bare8 = results["bare REST x8"][1]
	batch = results["batch x1 (100/call)"][1]
	ratios = {
		f"single intake x{clients} / bare REST x8": {
			"value": results[f"single x{clients}"][1] / bare8,
			"target": 0.75,
		}
		for clients in CLIENTS
	}
	ratios["batch intake / bare in-process insert"] = {"value": batch / inprocess, "target": 2.0}
	ratios["batch intake / raw INSERT (ceiling)"] = {"value": batch / raw, "target": None}
	ratios["batch intake / single intake x8"] = {"value": batch / results["single x8"][1], "target": None}
	for label, ratio in ratios.items():
		target = f" (target >= {ratio['target']:.2f})" if ratio["target"] else ""
		print(f"{label}: {ratio['value']:.2f}{target}")
	if args.json:
		print_json(
			{
				"clients": CLIENTS,
				"single_per_run": args.single,
				"batches": args.batches,
				"results": {
					name: {"calls_s": c, "orders_s": o, "p50_ms": p50, "p99_ms": p99, "errors": len(e)}
					for name, (c, o, p50, p99, e) in results.items()
				},
				"inprocess_orders_s": inprocess,
				"raw_insert_orders_s": raw,
				"ratios": ratios,
			}
		)


if __name__ == "__main__":
	main()
