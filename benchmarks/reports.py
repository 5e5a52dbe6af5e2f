"""Time every OMS report with its default filters and show the plans of the queries it runs.

Run with the bench's Python against a seeded site (see benchmarks/seed_scale.py):

    /opt/oms-bench/env/bin/python benchmarks/reports.py --bench /opt/oms-bench --site scale.test

Each report runs through Frappe's report API (`frappe.desk.query_report.run`, as the desk calls
it, total row included) with the filters a user gets when opening it, computed in the foreground
even when the report is a prepared one (`ignore_prepared_report`): the figure is the work, whether
a request or a background job does it. Each is run `--runs` times (the first one cold); the best
and the first are printed, with the rows returned. With `--explain`, every SELECT the report sent
is shown with MariaDB's EXPLAIN: per table the access type, the index used and the rows examined.
A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import connect, print_json

# (label, report, filters): the defaults a user gets on opening the report, plus the cases the
# targets name (Stock Balance of one location)
CASES = [
	("Order Volume and Revenue", "Order Volume and Revenue", {}),
	("Channel Performance", "Channel Performance", {}),
	("Fulfilment and Delivery", "Fulfilment and Delivery", {}),
	("Customer Satisfaction", "Customer Satisfaction", {}),
	("Customer Segments", "Customer Segments", {}),
	("Product Affinity", "Product Affinity", {}),
	("OMS Stock Balance", "OMS Stock Balance", {}),
	("OMS Stock Balance, one location", "OMS Stock Balance", {"location": "Store Mitte"}),
	("OMS Stock Ledger (30 days)", "OMS Stock Ledger", {}),
	("Low Stock and Reorder", "Low Stock and Reorder", {}),
	("Inventory Turnover", "Inventory Turnover", {}),
	("Demand Forecast, all items", "Demand Forecast and Trends", {}),
	("Permission Audit", "Permission Audit", {}),
]


def parse_args(argv=None):
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--bench", default="/opt/oms-bench")
	parser.add_argument("--site", required=True)
	parser.add_argument("--runs", type=int, default=2)
	parser.add_argument("--explain", action="store_true", help="EXPLAIN every SELECT a report runs")
	parser.add_argument("--only", help="run only the cases whose label contains this text")
	parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
	parser.add_argument(
		"--max-seconds",
		type=float,
		default=120,
		help="stop a query after this long (MariaDB max_statement_time)",
	)
	return parser.parse_args(argv)


class QueryLog:
	"""Records the SELECTs sent through frappe.db.sql while active."""

	def __init__(self, frappe):
		self.frappe, self.queries = frappe, []

	def __enter__(self):
		db = self.frappe.db
		self.original = db.sql

		def recording(query, values=(), *args, **kwargs):
			if str(query).lstrip().lower().startswith(("select", "with")):
				self.queries.append((str(query), values))
			return self.original(query, values, *args, **kwargs)

		db.sql = recording
		return self

	def __exit__(self, *exc):
		self.frappe.db.sql = self.original


def explain_rows(frappe, query: str, values) -> list[dict]:
	return frappe.db.sql("EXPLAIN " + query, values, as_dict=True)


def explain(frappe, query: str, values) -> list[str]:
	lines = []
	for row in explain_rows(frappe, query, values):
		lines.append(
			f"      {row.get('select_type', ''):<18} {row.get('table')!s:<34} {row.get('type') or '':<7}"
			f" key={row.get('key') or '-':<52} rows={row.get('rows') or '-':<9}"
			f" {(row.get('Extra') or '')[:60]}"
		)
	return lines


def totals(frappe) -> dict[str, int]:
	return {
		doctype: frappe.db.sql(f"SELECT COUNT(*) FROM `tab{doctype}`")[0][0]
		for doctype in ("OMS Order", "OMS Order Item", "OMS Stock Ledger Entry", "OMS Stock Balance")
	}


def plan_summary(frappe, plans) -> list[str]:
	"""Per query, the tables it reads and how: `table:index` (or `table:ALL` for a full scan)."""
	summary = []
	for query, values in plans:
		rows = explain_rows(frappe, query, values)
		summary.append(
			", ".join(f"{row.get('table')}:{row.get('key') or (row.get('type') or '-')}" for row in rows)
		)
	return summary


def main(argv=None) -> int:
	args = parse_args(argv)
	frappe = connect(args.bench, args.site)
	from frappe.desk.query_report import run

	frappe.db.sql(f"SET SESSION max_statement_time = {float(args.max_seconds)}")
	counts = totals(frappe)
	print(f"site {args.site}: " + ", ".join(f"{doctype} {count:,}" for doctype, count in counts.items()))
	figures = []
	print(f"{'report':<34} {'prepared':>8} {'first s':>8} {'best s':>8} {'rows':>8}")
	for label, report, filters in CASES:
		if args.only and args.only.lower() not in label.lower():
			continue
		prepared = frappe.db.get_value("Report", report, "prepared_report")
		times, rows, log = [], 0, None
		for attempt in range(max(args.runs, 1)):
			frappe.clear_cache()
			log = QueryLog(frappe) if attempt == 0 and args.explain else None
			started = time.perf_counter()
			try:
				if log:
					with log:
						result = run(report, filters=dict(filters), ignore_prepared_report=True)
				else:
					result = run(report, filters=dict(filters), ignore_prepared_report=True)
			except Exception as error:  # a query stopped by --max-seconds
				print(f"{label:<34} stopped after {time.perf_counter() - started:.0f} s: {error}"[:200])
				frappe.db.rollback()
				break
			times.append(time.perf_counter() - started)
			rows = len(result.get("result") or [])
			if log:
				plans = [
					(query, values)
					for query, values in log.queries
					if "`tabOMS" in query or "`tabCustomer" in query
				]
		if not times:
			figures.append({"label": label, "report": report, "stopped": True})
			continue
		figures.append(
			{
				"label": label,
				"report": report,
				"prepared": bool(prepared),
				"first_s": times[0],
				"best_s": min(times),
				"rows": rows,
				"plans": plan_summary(frappe, plans) if args.explain else [],
			}
		)
		print(
			f"{label:<34} {'yes' if prepared else 'no':>8} {times[0]:>8.2f} {min(times):>8.2f} {rows:>8,}",
			flush=True,
		)
		if args.explain:
			for query, values in plans:
				print("    " + " ".join(query.split())[:150])
				for line in explain(frappe, query, values):
					print(line)
	if args.json:
		print_json({"site": args.site, "site_rows": counts, "reports": figures})
	frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
