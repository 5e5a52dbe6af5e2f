"""Scale-out on one machine: Frappe's multi-server design, proven with figures.

Run as root (it configures MariaDB), holding the bench lock for the whole run:

    flock -o /tmp/oms-bench.lock python3 benchmarks/scale_out.py --bench /opt/oms-bench --site perf.test

What it sets up (and leaves as it found it, except the primary's binary log):
  - the primary MariaDB (127.0.0.1:3306) with a binary log and a server id: a conf file under
    /etc/mysql/mariadb.conf.d/ and one restart, only when the binary log is off;
  - a second MariaDB on 127.0.0.1:3307 (mariadbd with a datadir of its own, read-only),
    replicating the site's database from the primary by GTID; seeded once from a dump and
    reused while it replicates;
  - the site's config: `read_from_replica`, `replica_host`, `replica_db_port` (Frappe's read
    replica), a Redis queue of its own on another port (so the worker pool runs only this
    site's jobs, not the other sites' backlog on the bench's queue) and a high intake rate
    limit; all of it removed again at the end;
  - two gunicorn app servers (2 workers each, two ports) and an RQ worker pool, with this
    checkout's code first on the path, all against the one primary and the one Redis cache.

What it shows:
  (a) the same order (one channel_order_id) posted to both servers at the same moment makes
      exactly one order, every round;
  (b) clients spread over both servers never oversell: N units, more orders than units,
      exactly N reserved;
  (c) the app's reports (through frappe.desk.query_report.run) and ATP reads are served by the
      replica: Com_select on each MariaDB before and after, with the replica off and on;
  (d) intake throughput with two app servers against one (same load), and one server with as
      many workers as the two together (the control);
  (e) large batches posted to both servers are queued and taken by the one worker pool.
A script that prints figures (`--json`: and one JSON line for run_all.py), not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.common import CHANNEL, checkout_env, order_payload, print_json, read_json
from benchmarks.intake import ITEMS, run, wait_for

PRIMARY_CONF = "/etc/mysql/mariadb.conf.d/70-oms-replication.cnf"
REPLICA_DIR = "/var/lib/mysql-replica"
REPLICA_SOCKET = "/run/mysqld/replica.sock"
REPLICA_PORT = 3307
QUEUE_PORT = 11001  # the site's own Redis queue during the run
REPL_USER = "oms_repl"
REPORTS = (
	"Order Volume and Revenue",
	"Channel Performance",
	"Fulfilment and Delivery",
	"Customer Satisfaction",
	"Customer Segments",
	"Product Affinity",
	"OMS Stock Balance",
	"Low Stock and Reorder",
	"Permission Audit",
)
RUN_KEYS = ("read_from_replica", "replica_host", "replica_db_port", "redis_queue", "oms_intake_rate_limit")


# --- MariaDB: the primary, the replica ------------------------------------------------------


def sql(query: str, replica: bool = False) -> list[list[str]]:
	"""Rows of a statement run as MariaDB's root (the replica over its socket)."""
	where = ["-S", REPLICA_SOCKET] if replica else ["-h", "127.0.0.1", "-P", "3306", "-proot"]
	output = subprocess.run(
		["mysql", *where, "-uroot", "-N", "-B", "-e", query], capture_output=True, text=True, check=True
	).stdout
	return [line.split("\t") for line in output.splitlines()]


def alive(replica: bool = False) -> bool:
	try:
		sql("SHOW GLOBAL STATUS LIKE 'Uptime'", replica)
		return True
	except subprocess.CalledProcessError:
		return False


def wait_alive(replica: bool, seconds: int = 90) -> None:
	deadline = time.time() + seconds
	while not alive(replica):
		if time.time() > deadline:
			raise SystemExit(f"MariaDB ({'replica' if replica else 'primary'}) did not come up")
		time.sleep(1)


def ensure_primary_binlog() -> None:
	"""The binary log and a server id on the primary: a conf file and one restart, when off."""
	if sql("SELECT @@log_bin, @@server_id")[0] == ["1", "1"] and os.path.exists(PRIMARY_CONF):
		return
	with open(PRIMARY_CONF, "w") as conf:
		conf.write(
			"# OMS scale-out (benchmarks/scale_out.py): the primary of the read replica on :3307\n"
			"[mysqld]\nserver_id = 1\nlog_bin = mariadb-bin\nbinlog_format = MIXED\nexpire_logs_days = 3\n"
		)
	print("primary: binary log off; restarting MariaDB with", PRIMARY_CONF, flush=True)
	subprocess.run(["service", "mariadb", "restart"], check=False, capture_output=True)
	wait_alive(replica=False)
	subprocess.run(["bash", "/opt/oms-bench-start-services.sh"], check=True)


def start_replica(db_name: str) -> None:
	os.makedirs("/run/mysqld", exist_ok=True)
	shutil.chown("/run/mysqld", "mysql", "mysql")
	subprocess.Popen(
		[
			"mariadbd",
			"--no-defaults",
			"--user=mysql",
			f"--datadir={REPLICA_DIR}",
			f"--port={REPLICA_PORT}",
			"--bind-address=127.0.0.1",
			f"--socket={REPLICA_SOCKET}",
			"--pid-file=/run/mysqld/replica.pid",
			f"--log-error={REPLICA_DIR}/error.log",
			"--server-id=2",
			"--read-only=1",
			"--skip-log-bin",
			f"--replicate-wild-do-table={db_name}.%",
			"--character-set-server=utf8mb4",
			"--collation-server=utf8mb4_unicode_ci",
			"--character-set-client-handshake=FALSE",
			"--innodb-buffer-pool-size=512M",
		],  # fmt: skip
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,  # outlives this script when --keep-replica
	)
	wait_alive(replica=True)


def replicating() -> dict:
	rows = subprocess.run(
		["mysql", "-S", REPLICA_SOCKET, "-uroot", "-e", "SHOW SLAVE STATUS\\G"],
		capture_output=True,
		text=True,
	).stdout
	return dict(re.findall(r"^\s*(\w+): (.*)$", rows, re.MULTILINE))


def seed_replica(conf: dict) -> None:
	"""A fresh replica: install a datadir, load a consistent dump of the site's database (with
	its GTID position), create the site's database user (SELECT only) and start replicating."""
	db_name = conf["db_name"]
	if alive(replica=True):
		subprocess.run(["mysqladmin", "-S", REPLICA_SOCKET, "-uroot", "shutdown"], check=False)
	shutil.rmtree(REPLICA_DIR, ignore_errors=True)
	subprocess.run(
		["mariadb-install-db", "--no-defaults", "--user=mysql", f"--datadir={REPLICA_DIR}"],
		check=True,
		capture_output=True,
	)
	start_replica(db_name)
	password = uuid.uuid4().hex
	sql(
		f"CREATE OR REPLACE USER '{REPL_USER}'@'127.0.0.1' IDENTIFIED BY '{password}';"
		f"GRANT REPLICATION SLAVE ON *.* TO '{REPL_USER}'@'127.0.0.1'"
	)
	started = time.monotonic()
	dump = os.path.join(REPLICA_DIR, "seed.sql")
	with open(dump, "w") as out:
		subprocess.run(
			[
				"mariadb-dump",
				"-h",
				"127.0.0.1",
				"-uroot",
				"-proot",
				"--single-transaction",
				"--master-data=2",
				"--gtid",
				"--routines",
				"--triggers",
				"--databases",
				db_name,
			],  # fmt: skip
			stdout=out,
			check=True,
		)
	with open(dump) as head:
		position = next(
			(m.group(1) for line in head if (m := re.search(r"gtid_slave_pos='([^']*)'", line))), ""
		)
	with open(dump) as source:
		subprocess.run(["mysql", "-S", REPLICA_SOCKET, "-uroot"], stdin=source, check=True)
	os.remove(dump)
	user, secret = conf["db_name"], conf["db_password"]
	sql(
		"".join(
			f"CREATE OR REPLACE USER '{user}'@'{host}' IDENTIFIED BY '{secret}';"
			f"GRANT SELECT ON `{db_name}`.* TO '{user}'@'{host}';"
			for host in ("localhost", "127.0.0.1")
		)
		+ f"SET GLOBAL gtid_slave_pos = '{position}';"
		f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=3306, MASTER_USER='{REPL_USER}', "
		f"MASTER_PASSWORD='{password}', MASTER_USE_GTID=slave_pos; START SLAVE;",
		replica=True,
	)
	print(
		f"replica seeded from a dump at GTID {position!r} in {time.monotonic() - started:.0f} s", flush=True
	)


def ensure_replica(conf: dict) -> None:
	"""The replica up and replicating: reused when it is, started when only stopped, else seeded."""
	if os.path.exists(os.path.join(REPLICA_DIR, "mysql")) and not alive(replica=True):
		start_replica(conf["db_name"])
	status = replicating() if alive(replica=True) else {}
	if status.get("Slave_IO_Running") == "Yes" and status.get("Slave_SQL_Running") == "Yes":
		return
	seed_replica(conf)


def wait_caught_up(seconds: int = 120) -> float:
	"""Until the replica has applied everything the primary logged; returns the seconds waited."""
	started = time.monotonic()
	while time.monotonic() - started < seconds:
		primary = sql("SELECT @@gtid_binlog_pos")[0][0]
		status = replicating()
		if status.get("Gtid_IO_Pos", "") == primary:
			applied = sql("SELECT @@gtid_slave_pos", replica=True)[0][0]
			if applied == primary or "read all relay log" in status.get("Slave_SQL_Running_State", ""):
				return time.monotonic() - started
		time.sleep(0.2)
	raise SystemExit(f"replica not caught up after {seconds} s: {replicating().get('Last_Error')}")


def com_select() -> dict[str, int]:
	return {
		"primary": int(sql("SHOW GLOBAL STATUS LIKE 'Com_select'")[0][1]),
		"replica": int(sql("SHOW GLOBAL STATUS LIKE 'Com_select'", replica=True)[0][1]),
	}


# --- the site and its processes ---------------------------------------------------------------


class Site:
	"""The site's config, its processes (as the bench's owner) and its HTTP clients."""

	def __init__(self, args):
		self.args = args
		self.sites = os.path.join(args.bench, "sites")
		self.config_path = os.path.join(self.sites, args.site, "site_config.json")
		self.python = os.path.join(args.bench, "env", "bin", "python")
		self.owner = pwd.getpwuid(os.stat(os.path.join(args.bench, "env")).st_uid).pw_name
		self.processes: list[subprocess.Popen] = []

	def config(self) -> dict:
		with open(self.config_path) as source:
			return json.load(source)

	def set_config(self, **values) -> None:
		"""Change keys in place (the file keeps its owner); None removes a key. Read per request."""
		config = self.config()
		for key, value in values.items():
			if value is None:
				config.pop(key, None)
			else:
				config[key] = value
		with open(self.config_path, "w") as target:
			json.dump(config, target, indent=1)

	def as_owner(self, argv: list[str]) -> list[str]:
		return ["runuser", "-u", self.owner, "--", *argv] if os.geteuid() == 0 else argv

	def start(self, argv: list[str], env: dict | None = None) -> subprocess.Popen:
		process = subprocess.Popen(
			self.as_owner(argv),
			cwd=self.sites,
			env={**checkout_env(), **(env or {})},
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
		)
		self.processes.append(process)
		return process

	def gunicorn(self, port: int, workers: int = 2) -> subprocess.Popen:
		gunicorn = os.path.join(self.args.bench, "env", "bin", "gunicorn")
		process = self.start(
			[
				gunicorn,
				"-b",
				f"127.0.0.1:{port}",
				"-w",
				str(workers),
				"-t",
				"300",
				"--preload",
				"frappe.app:application",
			]  # fmt: skip
		)
		wait_for(f"http://127.0.0.1:{port}/api/method/ping", self.args.site)
		return process

	def stop(self, process: subprocess.Popen) -> None:
		if process.poll() is None:
			os.killpg(process.pid, 15)
			try:
				process.wait(timeout=30)
			except subprocess.TimeoutExpired:
				os.killpg(process.pid, 9)
		self.processes.remove(process)

	def prepare(self) -> dict:
		"""The site's channel, stock, API user and a fresh hot SKU (a run of this script as the
		bench's owner, --prepare)."""
		output = subprocess.run(
			self.as_owner(
				[
					self.python,
					os.path.abspath(__file__),
					"--prepare",
					"--bench",
					self.args.bench,
					"--site",
					self.args.site,
					"--units",
					str(self.args.units),
				]  # fmt: skip
			),
			env=checkout_env(),
			capture_output=True,
			text=True,
		)
		if output.returncode:
			raise SystemExit(f"preparing {self.args.site} failed:\n{output.stdout}\n{output.stderr}")
		return read_json(output.stdout)


def prepare(args) -> None:
	"""As the bench's owner: what intake.py prepares, a hot SKU with `--units` units, and batches
	above 50 orders queued (for the worker pool)."""
	from benchmarks.common import ensure_items, receive
	from benchmarks.intake import setup_site

	key, secret = setup_site(args.bench, args.site)
	import frappe

	hot = f"SCALE-HOT-{uuid.uuid4().hex[:8].upper()}"
	ensure_items(frappe, [hot])
	receive(frappe, {hot: args.units})
	frappe.db.set_single_value("OMS Settings", "intake_async_threshold", 50)
	frappe.db.commit()
	print_json({"key": key, "secret": secret, "hot": hot})


def primary_rows(db: str, query: str) -> list[list[str]]:
	return sql(f"USE `{db}`; {query}")


# --- the five proofs ----------------------------------------------------------------------------


INGEST = "/api/method/oms_omnichannel.api.v1.orders.ingest"


def post(server: str, site: str, auth: dict, body: dict):
	"""The intake endpoint of one app server."""
	import requests

	return requests.post(server + INGEST, json=body, headers={**auth, "Host": site}, timeout=300)


def same_order_twice(urls, site, auth, db, rounds: int) -> dict:
	"""(a) One payload posted to both servers at the same moment (a barrier), `rounds` times."""
	ids, statuses = [], []
	for _ in range(rounds):
		body = {"channel": CHANNEL, "order": order_payload("dup", ITEMS)}
		ids.append(body["order"]["channel_order_id"])
		barrier = threading.Barrier(len(urls))

		def one(url, body=body, barrier=barrier):
			barrier.wait()
			response = post(url, site, auth, body)
			try:
				result = response.json()["message"]["results"][0]
				return f"{response.status_code} {result['outcome']}"
			except (ValueError, KeyError, IndexError, TypeError):
				return f"{response.status_code} {response.text[:80]}"

		with ThreadPoolExecutor(len(urls)) as pool:
			statuses += list(pool.map(one, urls))
	quoted = ",".join(f"'{i}'" for i in ids)
	counts = primary_rows(
		db,
		"SELECT channel_order_id, COUNT(*) FROM `tabOMS Order` "
		f"WHERE channel_order_id IN ({quoted}) GROUP BY channel_order_id",
	)
	per_id = [int(n) for _, n in counts]
	answers = {answer: statuses.count(answer) for answer in sorted(set(statuses))}
	return {
		"rounds": rounds,
		"posts": len(statuses),
		"answers": answers,
		"ids_with_one_order": per_id.count(1),
		"ids_with_more": sum(1 for n in per_id if n > 1),
		"ids_with_none": rounds - len(per_id),
	}


def no_oversell(urls, site, auth, db, hot: str, units: int, orders: int, clients: int) -> dict:
	"""(b) `orders` orders of one unit of a SKU with `units` units, clients over both servers."""
	bodies = [{"channel": CHANNEL, "order": order_payload("hot", [hot])} for _ in range(orders)]
	answers: list[str] = []

	def one(index):
		response = post(urls[index % len(urls)], site, auth, bodies[index])
		try:
			result = response.json()["message"]["results"][0]
			answers.append(f"{result['outcome']} {result.get('status')}")
		except (ValueError, KeyError, IndexError, TypeError):
			answers.append(f"HTTP {response.status_code}")

	started = time.perf_counter()
	with ThreadPoolExecutor(clients) as pool:
		list(pool.map(one, range(orders)))
	elapsed = time.perf_counter() - started
	balance = primary_rows(
		db,
		"SELECT SUM(actual_qty), SUM(reserved_qty), SUM(available_qty) FROM `tabOMS Stock Balance` "
		f"WHERE item = '{hot}'",
	)[0]
	reserved_orders = primary_rows(
		db,
		"SELECT COUNT(DISTINCT o.name) FROM `tabOMS Order` o JOIN `tabOMS Order Item` i ON i.parent = o.name "
		f"WHERE i.item = '{hot}' AND o.status = 'Processing'",
	)[0][0]
	return {
		"units": units,
		"orders": orders,
		"clients": clients,
		"servers": len(urls),
		"orders_s": orders / elapsed,
		"answers": {answer: answers.count(answer) for answer in sorted(set(answers))},
		"actual": float(balance[0]),
		"reserved": float(balance[1]),
		"available": float(balance[2]),
		"orders_reserved": int(reserved_orders),
	}


def reads(urls, site, auth, hot: str, rounds: int) -> dict:
	"""(c) Every report and `rounds` ATP reads, spread over both servers; (HTTP errors, ATP of the
	hot SKU as read)."""
	import requests

	errors, atp = [], None
	for index in range(rounds):
		url = urls[index % len(urls)]
		response = requests.get(
			f"{url}/api/method/oms_omnichannel.api.v1.inventory.atp",
			params={"items": json.dumps([hot, *ITEMS]), "sales_channel": CHANNEL},
			headers={**auth, "Host": site},
			timeout=60,
		)
		if response.status_code != 200:
			errors.append(f"atp {response.status_code}: {response.text[:200]}")
		else:
			atp = response.json()["message"]["items"]
	for index, report in enumerate(REPORTS):
		response = requests.post(
			f"{urls[index % len(urls)]}/api/method/frappe.desk.query_report.run",
			json={"report_name": report, "filters": {}},
			headers={**auth, "Host": site},
			timeout=120,
		)
		if response.status_code != 200:
			errors.append(f"{report} {response.status_code}: {response.text[:200]}")
	return {"errors": errors, "atp": atp}


def served_by(site_obj: Site, urls, auth, hot: str, rounds: int) -> dict:
	"""(c) Com_select on both MariaDBs around the same reads, with the replica off, then on."""
	figures = {}
	for mode in ("off", "on"):
		site_obj.set_config(read_from_replica=1 if mode == "on" else None)
		wait_caught_up()
		before = com_select()
		answer = reads(urls, site_obj.args.site, auth, hot, rounds)
		after = com_select()
		figures[mode] = {
			"primary_selects": after["primary"] - before["primary"],
			"replica_selects": after["replica"] - before["replica"],
			"errors": answer["errors"],
			"atp_hot": (answer["atp"] or {}).get(hot),
		}
	site_obj.set_config(read_from_replica=None)
	return figures


def throughput(urls, site, auth, orders: int, clients: int) -> dict:
	"""(d) `orders` single orders at `clients` clients, the clients' calls spread over `urls`."""
	import requests

	bodies = [{"channel": CHANNEL, "order": order_payload("tp", ITEMS)} for _ in range(orders)]
	calls = iter(range(10**9))
	lock = threading.Lock()

	class Spread:
		"""What run() takes for a session: each call to the next server in turn."""

		def post(self, path, **kwargs):
			with lock:
				url = urls[next(calls) % len(urls)]
			return requests.post(url + path, **kwargs)

	_, rate, p50, p99, errors = run(Spread, INGEST, site, auth, bodies, clients)
	return {"orders": orders, "clients": clients, "orders_s": rate, "p50_ms": p50, "p99_ms": p99,
		"errors": len(errors), "first_error": errors[0] if errors else None}  # fmt: skip


def queued_batches(urls, site, auth, db, size: int, seconds: int = 180) -> dict:
	"""(e) A batch above the queueing threshold posted to each server; the one worker pool runs them."""
	batch_ids, codes = [], []
	started = time.perf_counter()
	for url in urls:
		body = {"channel": CHANNEL, "orders": [order_payload("q", ITEMS) for _ in range(size)]}
		response = post(url, site, auth, body)
		codes.append(response.status_code)
		try:
			batch_ids.append(response.json()["message"]["batch_id"])
		except (ValueError, KeyError, TypeError):
			return {"codes": codes, "error": response.text[:300]}
	quoted = ",".join(f"'{b}'" for b in batch_ids)
	outcomes: dict = {}
	while time.perf_counter() - started < seconds:
		outcomes = dict(
			primary_rows(
				db,
				f"SELECT outcome, COUNT(*) FROM `tabIntake Log` WHERE batch_id IN ({quoted}) GROUP BY outcome",
			)
		)
		if not outcomes.get("Queued") and sum(int(n) for n in outcomes.values()) >= size * len(urls):
			break
		time.sleep(1)
	return {
		"batches": len(urls),
		"orders_each": size,
		"codes": codes,
		"outcomes": {k: int(v) for k, v in outcomes.items()},
		"seconds": time.perf_counter() - started,
	}


# --- the run ---------------------------------------------------------------------------------------


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--bench", default=os.environ.get("OMS_BENCH", "/opt/oms-bench"))
	parser.add_argument("--site", default="perf.test")
	parser.add_argument("--ports", default="8781,8782", help="the two app servers")
	parser.add_argument("--units", type=int, default=40, help="(b) units of the hot SKU")
	parser.add_argument("--hot-orders", type=int, default=120, help="(b) orders of one unit")
	parser.add_argument("--rounds", type=int, default=20, help="(a) same-order rounds")
	parser.add_argument("--atp-reads", type=int, default=100, help="(c) ATP reads")
	parser.add_argument("--orders", type=int, default=240, help="(d) orders per throughput run")
	parser.add_argument("--clients", type=int, default=16)
	parser.add_argument("--batch", type=int, default=100, help="(e) orders per queued batch")
	parser.add_argument("--keep-replica", action="store_true", help="leave the replica running")
	parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
	parser.add_argument("--json", action="store_true", help="end with the figures as one JSON line")
	args = parser.parse_args()
	if args.prepare:
		return prepare(args)
	if os.geteuid() != 0:
		raise SystemExit("run as root: it configures MariaDB (and drops to the bench's owner for Frappe)")

	site = Site(args)
	conf = site.config()
	db = conf["db_name"]
	ports = [int(p) for p in args.ports.split(",")]
	urls = [f"http://127.0.0.1:{port}" for port in ports]
	result: dict = {"site": args.site, "cpus": os.cpu_count(), "app_servers": len(ports), "workers_each": 2}
	try:
		ensure_primary_binlog()
		ensure_replica(conf)
		site.start(
			[
				"redis-server",
				"--port",
				str(QUEUE_PORT),
				"--bind",
				"127.0.0.1",
				"--save",
				"",
				"--appendonly",
				"no",
			]
		)
		time.sleep(0.5)
		site.set_config(
			replica_host="127.0.0.1",
			replica_db_port=REPLICA_PORT,
			redis_queue=f"redis://127.0.0.1:{QUEUE_PORT}",
			oms_intake_rate_limit=100_000,
		)
		prepared = site.prepare()
		auth = {"Authorization": f"token {prepared['key']}:{prepared['secret']}"}
		servers = [site.gunicorn(port) for port in ports]
		site.start(
			[
				site.python,
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"worker-pool",
				"--num-workers",
				"2",
				"--queue",
				"short,default,long",
			],  # fmt: skip
			env={"FRAPPE_REDIS_QUEUE": f"redis://127.0.0.1:{QUEUE_PORT}"},
		)
		for url in urls:  # warm both servers
			throughput([url], args.site, auth, 10, 2)

		result["same_order"] = same_order_twice(urls, args.site, auth, db, args.rounds)
		result["no_oversell"] = no_oversell(
			urls, args.site, auth, db, prepared["hot"], args.units, args.hot_orders, args.clients
		)
		result["replica_lag_s"] = wait_caught_up()
		result["reads"] = served_by(site, urls, auth, prepared["hot"], args.atp_reads)
		result["throughput"] = {
			"one server (2 workers)": throughput(urls[:1], args.site, auth, args.orders, args.clients),
			"two servers (2 workers each)": throughput(urls, args.site, auth, args.orders, args.clients),
		}
		result["queued"] = queued_batches(urls, args.site, auth, db, args.batch)
		for server in servers:
			site.stop(server)
		control = site.gunicorn(ports[0], workers=4)
		result["throughput"]["one server (4 workers, control)"] = throughput(
			urls[:1], args.site, auth, args.orders, args.clients
		)
		site.stop(control)
		result["replica"] = {
			key: replicating().get(key) for key in ("Slave_IO_Running", "Slave_SQL_Running", "Gtid_IO_Pos")
		}
	finally:
		for process in list(site.processes):
			site.stop(process)
		site.set_config(**dict.fromkeys(RUN_KEYS))
		if not args.keep_replica and alive(replica=True):
			subprocess.run(["mysqladmin", "-S", REPLICA_SOCKET, "-uroot", "shutdown"], check=False)
		subprocess.run(["bash", "/opt/oms-bench-start-services.sh"], check=False, capture_output=True)
	report(result)
	if args.json:
		print_json(result)


def report(result: dict) -> None:
	print(
		f"\nscale-out — site {result['site']}, {result['cpus']} CPUs, two gunicorn servers (2 workers each),"
	)
	print("an RQ worker pool (2), one primary MariaDB :3306, a replica :3307, one Redis cache")
	same = result["same_order"]
	print(
		f"(a) same order to both servers at once, {same['rounds']} rounds: {same['ids_with_one_order']} "
		f"ids with exactly one order, {same['ids_with_more']} with more, {same['ids_with_none']} with none; "
		f"answers {same['answers']}"
	)
	hot = result["no_oversell"]
	print(
		f"(b) {hot['orders']} orders of 1 unit, {hot['units']} units, {hot['clients']} clients over "
		f"{hot['servers']} servers: reserved {hot['reserved']:g} of {hot['actual']:g} (available "
		f"{hot['available']:g}), {hot['orders_reserved']} orders reserved; answers {hot['answers']}"
	)
	print(f"    replica caught up {result['replica_lag_s']:.2f} s after the load")
	for mode, figures in result["reads"].items():
		print(
			f"(c) read_from_replica {mode}: Com_select primary +{figures['primary_selects']}, replica "
			f"+{figures['replica_selects']}; errors {len(figures['errors'])}; ATP of the hot SKU "
			f"{figures['atp_hot']}"
		)
		for error in figures["errors"][:3]:
			print("      ", error)
	print(f"(d) {'intake, single orders':<34}{'orders/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
	for name, run_ in result["throughput"].items():
		print(
			f"    {name:<34}{run_['orders_s']:>10.1f}{run_['p50_ms']:>10.0f}{run_['p99_ms']:>10.0f}{run_['errors']:>8}"
		)
	queued = result["queued"]
	print(f"(e) queued batches: {queued}")


if __name__ == "__main__":
	main()
