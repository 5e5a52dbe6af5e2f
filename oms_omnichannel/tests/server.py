"""The site served the way production serves it, for tier-2 tests that need a real HTTP server:
gunicorn with workers on 127.0.0.1, on a free port from 8100 up, stopped whatever happens."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import frappe
import requests

FIRST_PORT = 8100


def free_port(start: int = FIRST_PORT, tries: int = 100) -> int:
	for port in range(start, start + tries):
		with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
			try:
				probe.bind(("127.0.0.1", port))
			except OSError:
				continue
			return port
	raise RuntimeError(f"no free port in {start}..{start + tries - 1}")


@contextmanager
def served_site(workers: int = 2, timeout: int = 120) -> Iterator[str]:
	"""Serve this site with gunicorn; yields the base URL. Requests must send the header
	`X-Frappe-Site-Name` (frappe.local.site); what they need must be committed first."""
	bench = frappe.utils.get_bench_path()
	sites = os.path.abspath(frappe.local.sites_path)
	port = free_port()
	log = open(os.path.join(frappe.utils.get_bench_path(), "logs", f"oms-test-gunicorn-{port}.log"), "w")
	server = subprocess.Popen(
		[
			os.path.join(bench, "env", "bin", "gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(workers),
			"-t",
			str(timeout),
			"frappe.app:application",
		],  # fmt: skip
		cwd=sites,
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,  # its own process group: stopped together, never left behind
	)
	base = f"http://127.0.0.1:{port}"
	try:
		wait_until_up(base, server)
		yield base
	finally:
		stop(server)
		log.close()


def wait_until_up(base: str, server: subprocess.Popen, seconds: int = 60) -> None:
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		if server.poll() is not None:
			raise RuntimeError(f"gunicorn exited with {server.returncode}")
		try:
			response = requests.get(
				f"{base}/api/method/ping", headers={"X-Frappe-Site-Name": frappe.local.site}, timeout=2
			)
			if response.status_code == 200:
				return
		except requests.RequestException:
			pass
		time.sleep(0.3)
	raise RuntimeError(f"gunicorn did not answer on {base} within {seconds} s")


def stop(server: subprocess.Popen) -> None:
	import signal

	if server.poll() is not None:
		return
	os.killpg(server.pid, signal.SIGTERM)
	try:
		server.wait(timeout=20)
	except subprocess.TimeoutExpired:
		os.killpg(server.pid, signal.SIGKILL)
		server.wait(timeout=10)
