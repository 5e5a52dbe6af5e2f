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

HERE = os.path.join(ROOT, "benchmarks")


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
			"SELECT VERSION()",
		]  # fmt: skip
	)
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
		"redis": output(["redis-server", "--version"]).split(" sha=")[0],
		"commit": commit + (" (with uncommitted changes)" if dirty else ""),
	}


def scale_of(runner: Runner, site: str) -> int:
	"""Orders the scale site holds already (0 when it was never seeded)."""
	output = runner.frappe(
		f"orders on {site}",
		site,
		"execute",
		"frappe.db.count",
		"--kwargs",
		'{"dt": "OMS Order", "filters": {"name": ["like", "ORD-SCL-%"]}}',
	)
	numbers = re.findall(r"^\d+$", output, re.MULTILINE)
	return int(numbers[-1]) if numbers else 0


SECTIONS = ("routes", "intake", "hot_sku", "memory", "seed", "reports", "scale_out")


def keep_earlier_figures(results: dict, path: str) -> None:
	"""A partial run (`--only`) keeps the figures of the benchmarks it did not run from the page's
	last figures, marked with the run they came from (the page says so)."""
	if not os.path.exists(path):
		return
	with open(path) as figures:
		earlier = json.load(figures)
	kept = [section for section in SECTIONS if section not in results and section in earlier]
	for section in kept:
		results[section] = earlier[section]
		results.setdefault("earlier", {})[section] = (earlier.get("earlier") or {}).get(section) or {
			"started": earlier["started"],
			"commit": earlier["machine"]["commit"],
		}


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
		seeded = scale_of(runner, args.scale_site)
		if seeded and seeded != args.scale:
			raise SystemExit(
				f"{args.scale_site} holds {seeded:,} seeded orders, not {args.scale:,}: "
				f"drop it (bench drop-site) or give --scale-site another name"
			)
		if not seeded:
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
	if args.only:
		keep_earlier_figures(results, os.path.splitext(args.output)[0] + ".json")
	with open(os.path.splitext(args.output)[0] + ".json", "w") as figures:  # the page's figures, as data
		json.dump(results, figures, default=str, indent=1)
	write_page(results, args.output)
	print(f"\nwrote {args.output}")
	return 0


if __name__ == "__main__":
	sys.exit(main())
