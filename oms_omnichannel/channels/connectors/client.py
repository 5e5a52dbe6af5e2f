"""Calls to a platform's API: base URL and credentials from the Sales Channel, retries with
exponential backoff on network errors, 429 and 5xx. Errors name the call and the platform's
answer, never a credential."""

from __future__ import annotations

import time

import frappe
import requests
from frappe import _

from oms_omnichannel.core.connectors import SHOPIFY, WOOCOMMERCE, PlatformRequest

TIMEOUT = (5, 30)  # connect, read (seconds)
ATTEMPTS = 3  # per call within a job; a job that still fails is retried later (see stock, fulfilment)
BACKOFF_SECONDS = 1.0  # 1 s, 2 s between the attempts of a call
MAX_RETRY_AFTER = 10.0


class PlatformError(Exception):
	def __init__(self, message: str, retryable: bool):
		super().__init__(message)
		self.message, self.retryable = message, retryable


class PlatformClient:
	"""One channel's platform API over one HTTP session (keep-alive across a job's calls)."""

	def __init__(self, channel: str):
		doc = frappe.get_doc("Sales Channel", channel)
		self.channel, self.platform = channel, doc.platform
		self.base_url = (doc.platform_base_url or "").rstrip("/")
		if not self.base_url:
			raise PlatformError(_("Sales Channel {0}: Platform Base URL is not set").format(channel), False)
		token = doc.get_password("access_token", raise_exception=False)
		if not token:
			raise PlatformError(_("Sales Channel {0}: Access Token is not set").format(channel), False)
		self.session = requests.Session()
		self.session.headers.update({"Accept": "application/json", "User-Agent": "oms-omnichannel"})
		if doc.platform == SHOPIFY:
			self.session.headers["X-Shopify-Access-Token"] = token
		elif doc.platform == WOOCOMMERCE:
			self.session.auth = (doc.platform_api_key or "", token)

	def send(self, call: PlatformRequest) -> dict | list:
		"""The platform's JSON answer; retries what may pass later, then raises PlatformError."""
		for attempt in range(1, ATTEMPTS + 1):
			try:
				return self._send_once(call)
			except PlatformError as error:
				if not error.retryable or attempt == ATTEMPTS:
					raise
				time.sleep(getattr(error, "retry_after", None) or BACKOFF_SECONDS * 2 ** (attempt - 1))
		raise AssertionError("unreachable")

	def _send_once(self, call: PlatformRequest):
		where = f"{call.method} {call.path}"
		try:
			response = self.session.request(
				call.method, self.base_url + call.path, json=call.body, timeout=TIMEOUT
			)
		except requests.RequestException as error:
			raise PlatformError(f"{where}: {type(error).__name__}", True) from None
		if response.status_code == 429 or response.status_code >= 500:
			error = PlatformError(f"{where}: HTTP {response.status_code} {response.text[:300]}", True)
			retry_after = response.headers.get("Retry-After")
			if retry_after and retry_after.replace(".", "", 1).isdigit():
				error.retry_after = min(float(retry_after), MAX_RETRY_AFTER)
			raise error
		if response.status_code >= 400:
			raise PlatformError(f"{where}: HTTP {response.status_code} {response.text[:300]}", False)
		try:
			return response.json() if response.content else {}
		except ValueError:
			raise PlatformError(f"{where}: the answer is not JSON", False) from None


def backoff_minutes(attempts: int) -> int:
	"""Minutes until a job that failed `attempts` times runs again: 1, 2, 4 ... at most 60."""
	return min(2 ** max(attempts - 1, 0), 60)
