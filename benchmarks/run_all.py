"""Every benchmark, one command, one page: runs them on sites of their own and writes
docs/benchmarks.md with each figure, its baseline from the same run, the ratio and the target,
the date and the machine.

Run from the checkout, as root or as the bench's owner:

    python3 benchmarks/run_all.py --bench /opt/oms-bench --lock /tmp/oms-bench.lock [--scale 100000]

It creates the sites when missing (`--site`, default perf.test, for intake, hot SKU and memory;
`--scale-site` for the reports, seeded once with `--scale` orders and reused while it holds that
many) and migrates them to this checkout's code. Each benchmark is a script of its own
(benchmarks/*.py), run as a subprocess with the bench's Python and this checkout first on its path
(as the bench's owner when started as root); each ends with its figures as one JSON line
(`--json`), which this script reads. With `--lock`, every step holds that file lock (flock) while
it runs and lets go between steps, so others sharing the bench can interleave.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import pwd
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import ROOT, checkout_env, read_json
from benchmarks.page import write_page
from benchmarks.seed_scale import PROGRESS

HERE = os.path.join(ROOT, "benchmarks")
# what a run writes into benchmarks.json, one key a benchmark
SECTIONS = ("routes", "intake", "hot_sku", "memory", "seed", "reports", "scale_out")


class Runner:
	"""Runs commands under the lock, as the bench's owner, with this checkout's app first."""

	def __init__(self, args):
		self.args = args
		self.python = os.path.join(args.bench, "env", "bin", "python")
		self.owner = pwd.getpwuid(os.stat(os.path.join(args.bench, "env")).st_uid).pw_name
		self.log = open(args.log, "a")  # open for the whole run

	def command(self, argv: list[str], as_owner: bool = True) -> list[str]:
		if as_owner and os.geteuid() == 0 and self.owner != "root":
			argv = ["runuser", "-u", self.owner, "--", *argv]
		if self.args.lock:
			argv = ["flock", "-o", self.args.lock, *argv]
		return argv

	def run(self, label: str, argv: list[str], as_owner: bool = True, cwd: str | None = None) -> str:
		"""Run a step; returns its output (stdout and stderr), raising when it fails."""
		command = self.command(argv, as_owner)
		env = {**checkout_env(), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
		started = time.monotonic()
		print(f"\n== {label}: {' '.join(argv)}", flush=True)
		self.log.write(f"\n== {datetime.datetime.now():%H:%M:%S} {label}: {' '.join(command)}\n")
		process = subprocess.Popen(
			command,
			cwd=cwd or self.args.bench,
			env=env,
			stdout=subprocess.PIPE,
			stderr=subprocess.STDOUT,
			text=True,
		)
		lines = []
		for line in process.stdout:
			lines.append(line)
			self.log.write(line)
			if not line.startswith("BENCHMARK-JSON"):
				print("   " + line, end="", flush=True)
		process.wait()
		self.log.flush()
		print(f"== {label}: {time.monotonic() - started:.0f} s, exit {process.returncode}", flush=True)
		output = "".join(lines)
		if process.returncode and "BENCHMARK-JSON" not in output:
			raise RuntimeError(f"{label} failed (exit {process.returncode})")
		return output

	def script(self, label: str, name: str, *options: str) -> dict:
		output = self.run(label, [self.python, os.path.join(HERE, name), "--json", *options])
		return read_json(output)

	def frappe(self, label: str, site: str, *command: str) -> str:
		"""A bench command for a site, run with this checkout's app (bench itself would import the
		bench's own copy)."""
		return self.run(
			label,
			[self.python, "-m", "frappe.utils.bench_helper", "frappe", "--site", site, *command],
			cwd=os.path.join(self.args.bench, "sites"),
		)


def ensure_site(runner: Runner, site: str) -> bool:
	"""Create the site when missing; migrate it to this checkout. True when it was created."""
	args = runner.args
	created = not os.path.exists(os.path.join(args.bench, "sites", site, "site_config.json"))
	if created:
		runner.run(
			f"new site {site}",
			[
				"bench",
				"new-site",
				site,
				"--db-root-username",
				args.db_root_user,
				"--mariadb-root-password",
				args.db_root_password,
				"--admin-password",
				"admin",
				"--db-host",
				args.db_host,
			],  # fmt: skip
			as_owner=False,  # bench drops to the bench's user itself
		)
	if created or "oms_omnichannel" not in runner.frappe(f"apps on {site}", site, "list-apps"):
		runner.frappe(f"install the app on {site}", site, "install-app", "oms_omnichannel")
	runner.frappe(f"migrate {site} to this checkout", site, "migrate", "--skip-search-index")
	return created


def machine(args) -> dict:
	def output(argv) -> str:
		try:
			return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
		except OSError:
			return "?"

	meminfo = open("/proc/meminfo").read()
	cpuinfo = open("/proc/cpuinfo").read()
	model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
	frappe_init = open(os.path.join(args.bench, "apps", "frappe", "frappe", "__init__.py")).read()
	mariadb = output(
		[
			"mysql",
			"-h",
			args.db_host,
			"-u",
			args.db_root_user,
			f"-p{args.db_root_password}",
			"-N",
			"-e",
			"SELECT VERSION(), @@innodb_buffer_pool_size",
		]  # fmt: skip
	)
	mariadb, _tab, pool = mariadb.partition("\t")
	commit = output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
	dirty = output(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"])
	return {
		"cores": os.cpu_count(),
		"cpu": model.group(1).strip() if model else platform.processor(),
		"memory_gb": int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1)) / 1024 / 1024,
		"os": f"{platform.system()} {platform.release()}",
		"python": output([os.path.join(args.bench, "env", "bin", "python"), "--version"]),
		"frappe": re.search(r"__version__\s*=\s*['\"]([^'\"]+)", frappe_init).group(1),
		"mariadb": mariadb,
		"buffer_pool_mb": int(pool) // 2**20 if pool.strip().isdigit() else None,
		"redis": output(["redis-server", "--version"]).split(" sha=")[0],
		"commit": commit + (" (with uncommitted changes)" if dirty else ""),
	}


def scale_of(runner: Runner, site: str) -> tuple[int, bool]:
	"""Orders the scale site holds already (0 when it was never seeded), and whether its seed is
	complete (seed_scale.py records its progress; a seed it did not finish resumes)."""
	output = runner.frappe(
		f"orders on {site}",
		site,
		"execute",
		"frappe.db.count",
		"--kwargs",
		'{"dt": "OMS Order", "filters": {"name": ["like", "ORD-SCL-%"]}}',
	)
	numbers = re.findall(r"^\d+$", output, re.MULTILINE)
	orders = int(numbers[-1]) if numbers else 0
	output = runner.frappe(
		f"seed progress on {site}",
		site,
		"execute",
		"frappe.db.get_value",
		"--kwargs",
		json.dumps({"doctype": "DefaultValue", "filters": {"parent": PROGRESS}, "fieldname": "defvalue"}),
	)
	progress = None
	for line in output.splitlines():  # printed as a JSON string holding the JSON of the progress
		try:
			value = json.loads(line)
			progress = json.loads(value) if isinstance(value, str) else progress
		except ValueError:
			continue
	complete = bool(orders) and (progress is None or bool(progress.get("done")))
	return orders, complete


def merged(results: dict, path: str) -> dict:
	"""The figures of this run over those of the page's last ones: a run of some benchmarks
	(--only) keeps the others' figures, each with the date and commit of the run that took it."""
	ran = {section: {"started": str(results["started"]), "commit": results["machine"]["commit"]}
		for section in SECTIONS if section in results}  # fmt: skip
	try:
		with open(path) as previous_file:
			previous = json.load(previous_file)
	except (OSError, ValueError):
		previous = {}
	earlier = previous.get("ran", {})
	for section in SECTIONS:
		if section in results or section not in previous:
			continue
		if section == "seed" and "reports" in results:  # the seed of the site the reports ran on
			if previous["seed"].get("site") != results["reports"].get("site"):
				continue
		results[section] = previous[section]
		ran[section] = earlier.get(
			section, {"started": previous.get("started"), "commit": previous.get("machine", {}).get("commit")}
		)
	results["ran"] = ran
	return results


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--bench", default="/opt/oms-bench")
	parser.add_argument("--site", default="perf.test", help="intake, hot SKU and memory")
	parser.add_argument("--scale-site", default="perf-scale.test", help="the seeded site for reports")
	parser.add_argument("--scale", type=int, default=100_000, help="orders seeded for the reports")
	parser.add_argument("--lock", help="hold this file lock (flock) during each step")
	parser.add_argument(
		"--only", help="comma-separated: routes,intake,hot_sku,memory,reports (default), scale_out (as root)"
	)
	parser.add_argument("--output", default=os.path.join(ROOT, "docs", "benchmarks.md"))
	parser.add_argument("--log", default="/tmp/oms-benchmarks.log", help="every step's full output")
	parser.add_argument("--db-host", default="127.0.0.1")
	parser.add_argument("--db-root-user", default="root")
	parser.add_argument("--db-root-password", default="root")
	args = parser.parse_args(argv)
	only = set(args.only.split(",")) if args.only else {"routes", "intake", "hot_sku", "memory", "reports"}
	runner = Runner(args)
	started = datetime.datetime.now()
	results: dict = {"machine": machine(args), "started": started, "site": args.site}
	if only & {"intake", "hot_sku", "memory"}:
		ensure_site(runner, args.site)
	if "routes" in only:
		results["routes"] = runner.script("routes", "routes.py")
	if "intake" in only:
		results["intake"] = runner.script("intake", "intake.py", "--site", args.site)
	if "hot_sku" in only:
		results["hot_sku"] = [
			runner.script(f"hot SKU x{n}", "hot_sku.py", "--site", args.site, "--processes", str(n))
			for n in (32, 64)
		]
	if "memory" in only:
		results["memory"] = runner.script("memory", "memory.py", "--site", args.site)
	if "reports" in only:
		ensure_site(runner, args.scale_site)
		seeded, complete = scale_of(runner, args.scale_site)
		if complete and seeded != args.scale:
			raise SystemExit(
				f"{args.scale_site} holds {seeded:,} seeded orders, not {args.scale:,}: "
				f"drop it (bench drop-site) or give --scale-site another name"
			)
		if not complete:  # a fresh site, or a seed that stopped part way (it resumes)
			results["seed"] = runner.script(
				"seed", "seed_scale.py", "--site", args.scale_site, "--orders", str(args.scale)
			)
		results["reports"] = runner.script(
			"reports", "reports.py", "--site", args.scale_site, "--explain", "--runs", "2"
		)
	if "scale_out" in only:  # optional: root configures a MariaDB replica (see docs/scaling.md)
		ensure_site(runner, args.site)
		script = [sys.executable, os.path.join(HERE, "scale_out.py"), "--json", "--site", args.site]
		results["scale_out"] = read_json(runner.run("scale-out", script, as_owner=False))
	results["finished"] = datetime.datetime.now()
	os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
	figures_path = os.path.splitext(args.output)[0] + ".json"  # the page's figures, as data
	results = merged(results, figures_path)
	with open(figures_path, "w") as figures:
		json.dump(results, figures, default=str, indent=1)
	write_page(results, args.output)
	print(f"\nwrote {args.output}")
	return 0


if __name__ == "__main__":
	sys.exit(main())
