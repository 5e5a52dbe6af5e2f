"""What the benchmarks share: connecting to a site, the channel and stock they order from, order
payloads, percentiles, MariaDB's row-lock counters and the one JSON line a script ends with
under `--json` (run_all.py reads it)."""

from __future__ import annotations

import json
import os
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:  # this checkout's oms_omnichannel first, whatever the bench has installed
	sys.path.insert(0, ROOT)

CHANNEL = "Benchmark Channel"
LOCATION = "Benchmark Warehouse"
JSON_MARK = "BENCHMARK-JSON "


def checkout_env() -> dict:
	"""The environment for a process the benchmark starts: this checkout's app imported first."""
	path = os.environ.get("PYTHONPATH")
	return {**os.environ, "PYTHONPATH": ROOT + (os.pathsep + path if path else "")}


def connect(bench: str, site: str):
	"""frappe, initialised and connected to `site` of the bench as Administrator."""
	import frappe

	sites = os.path.join(bench, "sites")
	os.chdir(sites)
	frappe.init(site=site, sites_path=sites)
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


def ensure_channel(frappe) -> None:
	"""The benchmark's warehouse and the channel that fulfils from it (idempotent)."""
	if not frappe.db.exists("Stock Location", LOCATION):
		frappe.get_doc(
			{"doctype": "Stock Location", "location_name": LOCATION, "latitude": 52.5, "longitude": 13.4}
		).insert()
	if not frappe.db.exists("Sales Channel", CHANNEL):
		currency = frappe.db.get_single_value("OMS Settings", "default_currency") or "USD"
		frappe.get_doc(
			{
				"doctype": "Sales Channel",
				"channel_name": CHANNEL,
				"channel_type": "Online Store",
				"currency": currency,
				"fulfilment_locations": [{"location": LOCATION}],
			}
		).insert()


def ensure_items(frappe, skus, price: float = 10) -> None:
	for sku in skus:
		if not frappe.db.exists("OMS Item", sku):
			frappe.get_doc(
				{"doctype": "OMS Item", "sku": sku, "item_name": sku, "standard_price": price}
			).insert()


def receive(frappe, quantities: dict[str, float]) -> None:
	"""A submitted receipt of `quantities` (by SKU) into the benchmark's warehouse."""
	entry = frappe.get_doc(
		{
			"doctype": "OMS Stock Entry",
			"entry_type": "Receipt",
			"to_location": LOCATION,
			"items": [{"item": sku, "qty": qty} for sku, qty in quantities.items()],
		}
	)
	entry.insert()
	entry.submit()


def order_payload(prefix: str, skus, qty: float = 1) -> dict:
	"""One channel order: a new customer, a line of `qty` per SKU at 10, paid."""
	return {
		"channel_order_id": f"{prefix}-{uuid.uuid4().hex[:12]}",
		"customer": {"name": "Bench Customer", "email": f"bench-{uuid.uuid4().hex[:8]}@example.com"},
		"shipping_address": {"line1": "Benchstraße 1", "city": "Berlin", "postcode": "10115"},
		"lines": [{"sku": sku, "qty": qty, "price": 10} for sku in skus],
		"payment_status": "Paid",
	}


def percentile(values, fraction: float) -> float:
	"""The value below which `fraction` of the sorted values fall (nearest rank)."""
	ordered = sorted(values)
	if not ordered:
		return float("nan")
	return ordered[min(max(int(len(ordered) * fraction + 0.5) - 1, 0), len(ordered) - 1)]


def row_lock_status(frappe) -> dict[str, int]:
	"""MariaDB's server-wide Innodb_row_lock_* counters (waits, time in ms)."""
	return {name: int(value) for name, value in frappe.db.sql("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock%%'")}


def print_json(result: dict) -> None:
	"""The script's figures as one marked line, for run_all.py."""
	print(JSON_MARK + json.dumps(result, default=str), flush=True)


def read_json(output: str) -> dict:
	"""The figures a script printed with print_json (the last marked line)."""
	for line in reversed(output.splitlines()):
		if line.startswith(JSON_MARK):
			return json.loads(line[len(JSON_MARK) :])
	raise ValueError("no benchmark figures in the output")
