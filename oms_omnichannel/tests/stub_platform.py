"""A stand-in for a shop platform's API on 127.0.0.1, and the site itself served over a real
socket, for tier-2 tests of the connectors.

`StubPlatform` records every request (method, path, headers, JSON body) and answers from a table
of canned answers by method and path; `fail(path, times, status)` makes a path fail first.
`serve_site()` serves Frappe's WSGI app on 127.0.0.1 in a thread (real HTTP over a socket, each
request on its own database connection, as a web worker would): the caller commits first.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch


class StubPlatform:
	def __init__(self):
		self.requests: list[dict] = []
		self.answers: dict[tuple[str, str], tuple[int, object]] = {}
		self.failures: dict[str, list[int]] = {}
		self.lock = threading.Lock()
		stub = self

		class Handler(BaseHTTPRequestHandler):
			def log_message(self, *args):  # keep the test output quiet
				pass

			def handle_one(self):
				length = int(self.headers.get("Content-Length") or 0)
				raw = self.rfile.read(length) if length else b""
				status, body = stub.answer(self.command, self.path, dict(self.headers), raw)
				data = json.dumps(body).encode()
				self.send_response(status)
				self.send_header("Content-Type", "application/json")
				self.send_header("Content-Length", str(len(data)))
				self.end_headers()
				self.wfile.write(data)

			do_GET = do_POST = do_PUT = handle_one

		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
		self.thread.start()

	@property
	def url(self) -> str:
		return f"http://127.0.0.1:{self.server.server_address[1]}"

	def answer(self, method: str, path: str, headers: dict, raw: bytes):
		with self.lock:
			body = json.loads(raw) if raw else None
			self.requests.append({"method": method, "path": path, "headers": headers, "body": body})
			failing = self.failures.get(path)
			if failing:
				return failing.pop(0), {"errors": "stub failure"}
			return self.answers.get((method, path), (200, {}))

	def on(self, method: str, path: str, body, status: int = 200) -> None:
		self.answers[(method, path)] = (status, body)

	def fail(self, path: str, times: int, status: int = 503) -> None:
		self.failures[path] = [status] * times

	def calls(self, method: str | None = None, path: str | None = None) -> list[dict]:
		return [
			r
			for r in self.requests
			if (method is None or r["method"] == method) and (path is None or r["path"] == path)
		]

	def reset(self) -> None:
		with self.lock:
			self.requests.clear()
			self.failures.clear()

	def stop(self) -> None:
		self.server.shutdown()
		self.server.server_close()


@contextmanager
def serve_site(site: str):
	"""The site's WSGI app on 127.0.0.1:<free port>; yields the base URL (send `Host: <site>`)."""
	from frappe.app import application
	from werkzeug.serving import WSGIRequestHandler, make_server

	class QuietHandler(WSGIRequestHandler):
		def log_request(self, *args, **kwargs):
			pass

	with patch("frappe.app.get_site_name", return_value=site):
		server = make_server("127.0.0.1", 0, application, threaded=True, request_handler=QuietHandler)
		thread = threading.Thread(target=server.serve_forever, daemon=True)
		thread.start()
		try:
			yield f"http://127.0.0.1:{server.server_port}"
		finally:
			server.shutdown()
			server.server_close()
