"""Memory of a large batch: a 10,000-order intake batch run as the background job it is queued as,
with the worker's peak RSS growth (target: under 200 MB).

Run with the bench's Python against a site of its own (it writes orders and stock):

    /opt/oms-bench/env/bin/python benchmarks/memory.py --bench /opt/oms-bench --site perf.test

The batch is sent to the app's intake service (`channels.intake.ingest`), which logs every order
as Queued and enqueues `process_batch` on the long queue (the setting that makes a batch
asynchronous is lowered for the run, and the batch limit raised to take 10,000 orders; both are
put back). The job is then run by a worker process of our own: a fresh process, in the state an
RQ worker is in before it takes a job (frappe imported, the queue connection open, the garbage
collector frozen as `start_worker` does), that fetches that one job from Redis by its id and
performs it (`rq.job.Job.perform`: Frappe's `execute_job` with its init, commit and destroy).
Only that job: the bench's shared queues may hold other sites' jobs, which a burst worker would
take too. The script reads the worker's /proc/<pid>/status (VmRSS before the job, VmHWM after it,
and VmRSS sampled every 50 ms while it runs). A 100-order batch, measured the same way in the same
run, is the baseline: the growth any job has. A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import (
	CHANNEL,
	checkout_env,
	connect,
	ensure_channel,
	ensure_items,
	order_payload,
	print_json,
	read_json,
	receive,
)

ITEMS = ("MEM-A", "MEM-B", "MEM-C")
TARGET_MB = 200


def status_kb(pid: int | str = "self") -> dict[str, int]:
	"""VmRSS and VmHWM of a process, in kB."""
	figures = {}
	with open(f"/proc/{pid}/status") as status:
		for line in status:
			if line.startswith(("VmRSS:", "VmHWM:")):
				name, value = line.split(":", 1)
				figures[name] = int(value.split()[0])
	return figures


def perform(bench: str, job_id: str) -> None:
	"""The worker process: take the one job from its queue and run it as an RQ worker would."""
	import gc

	import frappe
	from frappe.utils.background_jobs import get_redis_conn
	from rq import Queue
	from rq.job import Job

	os.chdir(os.path.join(bench, "sites"))
	with frappe.init_site():
		connection = get_redis_conn()
	job = Job.fetch(job_id, connection=connection)
	Queue(job.origin, connection=connection).remove(job)
	gc.collect()
	gc.freeze()  # as start_worker does
	before = status_kb()
	started = time.perf_counter()
	result = job.perform()
	seconds = time.perf_counter() - started
	after = status_kb()
	print_json({"before_kb": before["VmRSS"], "after": after, "seconds": seconds, "result": result})


def run_job(bench: str, job_id: str) -> dict:
	"""Run the job in a worker process of its own, sampling its RSS; returns its figures."""
	worker = subprocess.Popen(
		[sys.executable, os.path.abspath(__file__), "--bench", bench, "--perform", job_id],
		env=checkout_env(),
		stdout=subprocess.PIPE,
		text=True,
	)
	samples = []

	def sample():
		while worker.poll() is None:
			try:
				samples.append(status_kb(worker.pid)["VmRSS"])
			except (OSError, KeyError):
				break
			time.sleep(0.05)

	sampler = threading.Thread(target=sample)
	sampler.start()
	output, _ = worker.communicate(timeout=3600)
	sampler.join()
	if worker.returncode:
		raise SystemExit(f"the worker failed ({worker.returncode}):\n{output[-2000:]}")
	figures = read_json(output)
	figures["sampled_peak_kb"] = max(samples, default=0)
	figures["growth_mb"] = (figures["after"]["VmHWM"] - figures["before_kb"]) / 1024
	return figures


def queue_batch(frappe, size: int, prefix: str) -> str:
	"""Send a batch of `size` orders (3 lines each) to intake; returns the id of the queued job."""
	from frappe.utils.background_jobs import create_job_id

	from oms_omnichannel.channels import intake

	body = intake.ingest({"channel": CHANNEL, "orders": [order_payload(prefix, ITEMS) for _ in range(size)]})
	frappe.db.commit()  # the job is enqueued after the commit
	if not body.get("batch_id"):
		raise SystemExit(f"the batch of {size} was not queued: {json.dumps(body['summary'])}")
	return create_job_id(f"oms-intake-{body['batch_id']}")


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--bench", default="/opt/oms-bench")
	parser.add_argument("--site")
	parser.add_argument("--orders", type=int, default=10_000)
	parser.add_argument("--baseline", type=int, default=100, help="orders of the baseline batch")
	parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
	parser.add_argument("--perform", help=argparse.SUPPRESS)  # the worker process: this job id
	args = parser.parse_args(argv)
	if args.perform:
		perform(args.bench, args.perform)
		return 0
	if not args.site:
		parser.error("--site is required")

	frappe = connect(args.bench, args.site)
	ensure_channel(frappe)
	ensure_items(frappe, ITEMS)
	receive(frappe, {sku: args.orders + args.baseline for sku in ITEMS})
	settings = frappe.get_single("OMS Settings")
	saved = {field: settings.get(field) for field in ("intake_async_threshold", "intake_batch_limit")}
	frappe.db.set_single_value("OMS Settings", "intake_async_threshold", 1)
	frappe.db.set_single_value(
		"OMS Settings", "intake_batch_limit", max(int(saved["intake_batch_limit"] or 0), args.orders)
	)
	frappe.db.commit()
	runs = {}
	try:
		for size in (args.baseline, args.orders):
			job_id = queue_batch(frappe, size, f"mem{size}")
			figures = run_job(args.bench, job_id)
			runs[size] = figures
			print(
				f"batch of {size:>6} orders: worker RSS {figures['before_kb'] / 1024:.0f} MB before the job, "
				f"peak {figures['after']['VmHWM'] / 1024:.0f} MB (sampled {figures['sampled_peak_kb'] / 1024:.0f}),"
				f" growth {figures['growth_mb']:.0f} MB, {figures['seconds']:.0f} s "
				f"({size / figures['seconds']:.0f} orders/s), job: {figures['result']}",
				flush=True,
			)
	finally:
		for field, value in saved.items():
			frappe.db.set_single_value("OMS Settings", field, value)
		frappe.db.commit()
	growth = runs[args.orders]["growth_mb"]
	print(f"peak RSS growth of the {args.orders}-order job: {growth:.0f} MB (target < {TARGET_MB} MB)")
	if args.json:
		print_json({"runs": runs, "orders": args.orders, "baseline": args.baseline, "target_mb": TARGET_MB})
	frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
