"""Faults while orders arrive, on a site served the way production serves it (issue 15).

Each scenario drives the site over HTTP from threads of this process, breaks something real
underneath (an RQ worker killed with SIGKILL, MariaDB restarted, Redis stopped, a 5,000-line stock
receipt holding the stock rows) and then asks the site what it holds: every order a client was
told about exists exactly once and whole, a refused order does not exist at all, and the stock
integrity check finds zero drift.

Run by `.ci/faults` (tier 2), as root: restarting MariaDB needs it. Needs OMS_FAULTS_URL (gunicorn
on 127.0.0.1), OMS_FAULTS_FIXTURE (what `fixtures.prepare` wrote), OMS_FAULTS_BENCH and
OMS_FAULTS_SITE. Every wait is bounded; a scenario that cannot finish in time fails."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

BASE = os.environ.get("OMS_FAULTS_URL", "")
FIXTURE = os.environ.get("OMS_FAULTS_FIXTURE", "")
BENCH = os.environ.get("OMS_FAULTS_BENCH", "")
SITE = os.environ.get("OMS_FAULTS_SITE", "")
BENCH_USER = os.environ.get("OMS_FAULTS_BENCH_USER", "frappe")  # the owner of the bench's processes
BENCH_CMD = os.environ.get("OMS_FAULTS_BENCH_CMD", "bench")

INGEST = "/api/method/oms_omnichannel.api.v1.orders.ingest"
RESUME = "/api/method/oms_omnichannel.api.v1.orders.resume_intake_batch"
REQUEST_TIMEOUT = 120  # seconds a client waits for one answer
# What a reply must never carry: a stack trace, or the database's own words for a lock conflict.
UNCLEAN = re.compile(r"Traceback|File \"/|Lock wait timeout|Deadlock found|pymysql|OperationalError")

pytestmark = pytest.mark.skipif(
	not (BASE and FIXTURE and BENCH and SITE), reason="a served site and its fixture are needed (.ci/faults)"
)


@pytest.fixture(scope="session")
def fx() -> dict:
	return json.loads(Path(FIXTURE).read_text())


def headers(fx: dict, user: str) -> dict:
	return {**fx["headers"][user], "X-Frappe-Site-Name": fx["site"], "Accept": "application/json"}


def new_order(fx: dict, channel_order_id: str | None = None, items: list[str] | None = None) -> dict:
	"""A channel's order of three lines, by a new customer (an email the test cleanup knows)."""
	return {
		"channel_order_id": channel_order_id or f"FAULT-{uuid.uuid4().hex[:12]}",
		"customer": {"name": "Fault Customer", "email": f"c-{uuid.uuid4().hex[:10]}@example.com"},
		"shipping_address": {"line1": "Fehlerstraße 1", "city": "Berlin", "postcode": "10115"},
		"lines": [{"sku": sku, "qty": 1, "price": 10} for sku in items or fx["order_items"]],
		"payment_status": "Paid",
	}


@dataclass
class Answer:
	channel_order_id: str
	status: int | None  # None: no HTTP answer at all (connection refused or reset, timed out)
	text: str
	started: float  # time.monotonic()
	ended: float

	@property
	def seconds(self) -> float:
		return self.ended - self.started

	@property
	def created(self) -> bool:
		return self.status == 200 and '"outcome":"Created"' in self.text.replace(" ", "")

	@property
	def clean(self) -> bool:
		"""Success, or an error a client can act on and no trace: a refusal with a message (409 stock
		busy, 429, 503), or a server error (5xx) or no answer at all, which a channel resends."""
		if UNCLEAN.search(self.text):
			return False
		if self.status is None or self.status == 200:
			return True
		if self.status >= 500 and not self.text.lstrip().startswith("{"):
			return True  # Frappe's own plain page when the database is unreachable before app code runs
		try:
			body = json.loads(self.text)
		except ValueError:
			return False
		return self.status in (409, 429, 503) and bool(body.get("_server_messages") or body.get("message"))

	def during(self, start: float, end: float) -> bool:
		return self.started <= end and self.ended >= start


def post_order(fx: dict, order: dict) -> Answer:
	started = time.monotonic()
	try:
		response = requests.post(
			BASE + INGEST,
			json={"channel": fx["channel"], "order": order},
			headers=headers(fx, "integration"),
			timeout=REQUEST_TIMEOUT,
		)
		status, text = response.status_code, response.text
	except (requests.ConnectionError, requests.Timeout) as error:
		status, text = None, f"no answer: {type(error).__name__}"
	return Answer(order["channel_order_id"], status, text, started, time.monotonic())


@dataclass
class Load:
	"""Clients posting single orders, each as fast as the site answers, until stopped."""

	fx: dict
	clients: int = 4
	items: list[str] | None = None
	answers: list[Answer] = field(default_factory=list)
	stopping: threading.Event = field(default_factory=threading.Event)

	def __enter__(self) -> Load:
		self.threads = [threading.Thread(target=self.client, daemon=True) for _ in range(self.clients)]
		for thread in self.threads:
			thread.start()
		return self

	def client(self) -> None:
		while not self.stopping.is_set():
			answer = post_order(self.fx, new_order(self.fx, items=self.items))
			self.answers.append(answer)
			if answer.status != 200:
				time.sleep(0.2)  # a client backs off while the site refuses

	def __exit__(self, *exc) -> None:
		self.stopping.set()
		for thread in self.threads:
			thread.join(REQUEST_TIMEOUT + 10)

	def wait_for(self, answers: int, seconds: float) -> None:
		self.wait_until(lambda got: len(got) >= answers, seconds)

	def wait_until(self, done, seconds: float) -> None:
		deadline = time.monotonic() + seconds
		while not done(list(self.answers)):
			assert time.monotonic() < deadline, f"not there in {seconds} s: {summary(self.answers)}"
			time.sleep(0.1)


def check(fx: dict, channel_order_ids: list[str]) -> dict:
	"""What the site holds (fixtures.check, run by bench in its own process)."""
	ids = Path(FIXTURE).with_name(f"ids-{uuid.uuid4().hex[:8]}.json")
	ids.write_text(json.dumps(channel_order_ids))
	os.chmod(ids, 0o644)
	try:
		output = bench("execute", "oms_omnichannel.tests.faults.fixtures.check", "--kwargs",
			json.dumps({"path": FIXTURE, "channel_order_ids_file": str(ids)}))  # fmt: skip
	finally:
		ids.unlink(missing_ok=True)
	line = next(line for line in output.splitlines() if line.startswith("FAULTS-CHECK "))
	return json.loads(line.removeprefix("FAULTS-CHECK "))


def bench(*args: str, timeout: int = 300) -> str:
	result = subprocess.run(
		[BENCH_CMD, "--site", SITE, *args], cwd=BENCH, capture_output=True, text=True, timeout=timeout
	)
	assert (
		result.returncode == 0
	), f"bench {' '.join(args[:2])} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
	return result.stdout


def assert_site_holds(fx: dict, answers: list[Answer], retried: list[Answer] = ()) -> dict:
	"""Every order exists exactly once and whole; after the retries every client's order exists;
	the stock integrity check finds no drift."""
	ids = sorted({answer.channel_order_id for answer in answers})
	state = check(fx, ids)
	assert state["not_whole"] == [], f"orders written in part: {state['not_whole']}"
	assert state["drift"] == [], f"stock drift: {state['drift']}"
	duplicated = {cid: count for cid, count in state["orders"].items() if count != 1}
	assert duplicated == {}, f"orders taken more than once: {duplicated}"
	missing = [cid for cid in ids if cid not in state["orders"]]
	assert (
		missing == []
	), f"{len(missing)} orders were never taken, even after the clients retried: {missing[:5]}"
	created = {answer.channel_order_id for answer in [*answers, *retried] if answer.status == 200}
	assert created == set(ids), "a client was never told its order was taken"
	return state


def retry_unanswered(fx: dict, answers: list[Answer]) -> list[Answer]:
	"""What a channel does with an order that got no success: send the same order again (same
	channel order id), until the site answers; the site replays an order it already took."""
	retried = []
	for answer in answers:
		if answer.status == 200:
			continue
		for _ in range(20):
			again = post_order(fx, new_order(fx, answer.channel_order_id))
			retried.append(again)
			assert again.clean, f"unclean answer to a retry: {again}"
			if again.status == 200:
				break
			time.sleep(0.5)
	return retried


def summary(answers: list[Answer]) -> str:
	return ", ".join(
		f"{status}: {count}" for status, count in Counter(a.status for a in answers).most_common()
	)


# --- an RQ worker killed with SIGKILL in the middle of a queued batch -------------------------


def start_worker() -> subprocess.Popen:
	"""An RQ worker for the long queue, as the bench's user, in a process group of its own."""
	return subprocess.Popen(
		[
			"runuser",
			"-u",
			BENCH_USER,
			"--",
			f"{BENCH}/env/bin/python",
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			SITE,
			"worker",
			"--queue",
			"long",
		],  # fmt: skip
		cwd=f"{BENCH}/sites",
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
	"""Signal the worker and every process under it: RQ runs each job in a work horse it forks into
	a session of its own, which a signal to the worker's group does not reach."""
	for pid in [*descendants(process.pid), process.pid]:
		try:
			os.kill(pid, sig)
		except ProcessLookupError:
			pass
	process.wait(30)


def descendants(pid: int) -> list[int]:
	children: dict[int, list[int]] = {}
	for stat in Path("/proc").glob("[0-9]*/stat"):
		try:
			fields = stat.read_text().rsplit(")", 1)[1].split()
		except OSError:
			continue
		children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
	found, todo = [], [pid]
	while todo:
		for child in children.get(todo.pop(), []):
			found.append(child)
			todo.append(child)
	return found


def batch_outcomes(fx: dict, batch_id: str) -> Counter:
	response = requests.get(
		BASE + "/api/method/frappe.client.get_list",
		params={
			"doctype": "Intake Log",
			"filters": json.dumps({"batch_id": batch_id}),
			"fields": json.dumps(["outcome", "count(name) as count"]),
			"group_by": "outcome",
			"limit_page_length": 0,
		},
		headers=headers(fx, "manager"),
		timeout=30,
	)
	response.raise_for_status()
	return Counter({row["outcome"]: row["count"] for row in response.json()["message"]})


def wait_for_outcomes(fx, batch_id, done, seconds: float, poll: float = 0.2) -> Counter:
	deadline = time.monotonic() + seconds
	while True:
		outcomes = batch_outcomes(fx, batch_id)
		if done(outcomes):
			return outcomes
		assert time.monotonic() < deadline, f"batch {batch_id} not there in {seconds} s: {dict(outcomes)}"
		time.sleep(poll)


def test_worker_killed_mid_batch_loses_and_doubles_nothing(fx):
	orders = [new_order(fx) for _ in range(1500)]
	response = requests.post(
		BASE + INGEST,
		json={"channel": fx["channel"], "orders": orders},
		headers=headers(fx, "integration"),
		timeout=REQUEST_TIMEOUT,
	)
	assert response.status_code == 202, response.text[:500]
	batch_id = response.json()["message"]["batch_id"]

	worker = start_worker()
	try:
		# killed once it has committed a chunk or more, well before the end of the batch
		before_kill = wait_for_outcomes(fx, batch_id, lambda o: o["Created"] >= 50, seconds=180)
	finally:
		kill_group(worker)
	after_kill = batch_outcomes(fx, batch_id)
	assert after_kill["Queued"] > 0, f"the batch ended before the worker was killed: {dict(after_kill)}"
	time.sleep(1)
	assert batch_outcomes(fx, batch_id) == after_kill, "something still wrote after the worker died"

	worker = start_worker()
	try:
		resumed = requests.post(
			BASE + RESUME, json={"batch_id": batch_id}, headers=headers(fx, "manager"), timeout=30
		)
		assert resumed.status_code == 200, resumed.text[:500]
		final = wait_for_outcomes(fx, batch_id, lambda o: not o["Queued"], seconds=300, poll=1)
	finally:
		kill_group(worker, signal.SIGTERM)
	assert final == Counter({"Created": len(orders)}), dict(final)
	state = check(fx, [order["channel_order_id"] for order in orders])
	assert state["not_whole"] == [], state["not_whole"][:5]
	assert state["drift"] == []
	assert sorted(state["orders"]) == sorted(o["channel_order_id"] for o in orders)
	assert set(state["orders"].values()) == {1}
	print(f"worker killed after {before_kill['Created']}+ of {len(orders)} orders; resumed: {dict(final)}")


# --- MariaDB restarted while orders arrive ---------------------------------------------------


def mariadb_up() -> bool:
	return subprocess.run(["mysqladmin", "--host=127.0.0.1", "--connect-timeout=2", "ping"],
		capture_output=True).returncode == 0  # fmt: skip


def restart_mariadb() -> None:
	result = subprocess.run(["service", "mariadb", "restart"], capture_output=True, text=True, timeout=120)
	assert result.returncode == 0, result.stdout + result.stderr
	deadline = time.monotonic() + 60
	while not mariadb_up():
		assert time.monotonic() < deadline, "MariaDB did not come back"
		time.sleep(0.5)


@pytest.mark.skipif(os.geteuid() != 0, reason="restarting MariaDB needs root")
def test_mariadb_restart_during_intake_half_writes_nothing(fx):
	with Load(fx) as load:
		load.wait_for(20, seconds=60)
		outage_start = time.monotonic()
		restart_mariadb()
		outage_end = time.monotonic() + 1  # a request that started just before it was back
		load.wait_until(lambda answers: sum(a.started > outage_end for a in answers) >= 20, seconds=120)
	answers = list(load.answers)
	unclean = [a for a in answers if not a.clean]
	assert unclean == [], f"unclean answers: {unclean[:3]}"
	failed = [a for a in answers if a.status != 200]
	outside = [a for a in failed if not a.during(outage_start, outage_end)]
	assert outside == [], f"failures while MariaDB was up: {outside[:3]}"
	after = [a for a in answers if a.started > outage_end]
	assert after and all(a.status == 200 for a in after), "the site did not take orders again"
	retried = retry_unanswered(fx, answers)
	state = assert_site_holds(fx, answers, retried)
	print(f"MariaDB restarted in {outage_end - 1 - outage_start:.1f} s: {summary(answers)}; "
		f"{len(failed)} resent; {len(state['orders'])} orders, each once, all whole, 0 drift")  # fmt: skip


# --- Redis stopped while orders arrive ------------------------------------------------------


def redis_port(name: str) -> int:
	conf = json.loads(Path(BENCH, "sites", "common_site_config.json").read_text())
	return int(conf[name].rsplit(":", 1)[1])


def redis_cli(port: int, *args: str) -> subprocess.CompletedProcess:
	return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, timeout=30)


def stop_redis(port: int) -> None:
	redis_cli(port, "shutdown", "nosave")
	deadline = time.monotonic() + 20
	while redis_cli(port, "ping").stdout.strip() == "PONG":
		assert time.monotonic() < deadline, f"redis :{port} did not stop"
		time.sleep(0.2)


def start_redis(conf: str, port: int) -> None:
	subprocess.run(["runuser", "-u", BENCH_USER, "--", "redis-server", conf, "--daemonize", "yes"],
		cwd=BENCH, check=True, capture_output=True, timeout=30)  # fmt: skip
	deadline = time.monotonic() + 20
	while redis_cli(port, "ping").stdout.strip() != "PONG":
		assert time.monotonic() < deadline, f"redis :{port} did not start"
		time.sleep(0.2)


def orders_while_stopped(fx: dict, server: str, orders: int = 10) -> list[Answer]:
	"""Orders posted one after another while the bench's Redis `server` is stopped; started again
	afterwards whatever happened."""
	port = redis_port(server)
	stop_redis(port)
	try:
		return [post_order(fx, new_order(fx)) for _ in range(orders)]
	finally:
		start_redis(str(Path(BENCH, "config", f"{server}.conf")), port)


def test_redis_cache_down_intake_still_takes_orders(fx):
	"""The Redis cache is an optimisation for intake (rate counts, idempotency keys, coalesced
	jobs): without it orders are still taken, whole, and their follow-up jobs still queued."""
	answers = orders_while_stopped(fx, "redis_cache")
	assert [a for a in answers if a.status != 200] == [], summary(answers)
	assert_site_holds(fx, answers)
	print(f"Redis cache down: {summary(answers)}, slowest {max(a.seconds for a in answers):.2f} s")


def test_redis_queue_down_intake_refuses_cleanly_and_writes_nothing(fx):
	"""Without the Redis queue the jobs that follow an order cannot be queued: intake refuses with
	503 and a message, writes nothing, and takes the same orders once the queue is back."""
	answers = orders_while_stopped(fx, "redis_queue")
	assert {a.status for a in answers} == {503}, summary(answers)
	assert all(a.clean and "send the order again" in a.text for a in answers), answers[0].text
	assert check(fx, [a.channel_order_id for a in answers])["orders"] == {}, "a refused order was written"
	retried = retry_unanswered(fx, answers)
	assert_site_holds(fx, answers, retried)
	print(
		f"Redis queue down: {summary(answers)}, slowest {max(a.seconds for a in answers):.2f} s; resent: {summary(retried)}"
	)


# --- a long administrative job while orders arrive -------------------------------------------


def test_long_stock_receipt_while_orders_arrive_never_deadlocks(fx):
	"""A 5,000-line receipt takes the same balance rows the orders want: orders wait for it or are
	refused with a message, never a deadlock or a lock-wait timeout, and the receipt goes through."""
	receipt = {
		"entry_type": "Receipt",
		"to_location": fx["location"],
		"docstatus": 1,
		"items": [{"item": item, "qty": 5, "valuation_rate": 4} for item in fx["receipt_items"]],
	}
	result = {}

	def post_receipt():
		started = time.monotonic()
		response = requests.post(BASE + "/api/resource/OMS Stock Entry", json=receipt,
			headers=headers(fx, "inventory"), timeout=600)  # fmt: skip
		result.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started)

	with Load(fx, clients=4) as load:
		load.wait_for(8, seconds=60)
		receipt_thread = threading.Thread(target=post_receipt)
		receipt_thread.start()
		receipt_thread.join(660)
		during = len(load.answers)
		load.wait_for(during + 8, seconds=120)
	assert result.get("status") == 200, result.get("text", "the receipt got no answer")[:1000]
	answers = list(load.answers)
	unclean = [a for a in answers if not a.clean]
	assert unclean == [], f"unclean answers: {unclean[:3]}"
	retried = retry_unanswered(fx, answers)
	assert_site_holds(fx, answers, retried)
	print(f"receipt of {len(receipt['items'])} lines in {result['seconds']:.1f} s; orders meanwhile: "
		f"{summary(answers)}, slowest {max(a.seconds for a in answers):.1f} s")  # fmt: skip
