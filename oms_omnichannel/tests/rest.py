"""Real HTTP requests to the site for tier-2 tests, through Frappe's WSGI app.

Each request runs in its own thread with its own database connection, exactly as a web
worker would, so whatever it needs must be committed first (`frappe.db.commit()`).
"""

from __future__ import annotations

import json
from threading import Thread
from unittest.mock import patch

import frappe
from frappe.utils import get_test_client


class ApiUser:
	"""A user with API keys, as a channel or carrier integration would have."""

	def __init__(self, email: str, roles: list[str], user_permissions: dict[str, list[str]] | None = None):
		if not frappe.db.exists("User", email):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0],
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		user = frappe.get_doc("User", email)
		user.set("roles", [])
		user.add_roles(*roles)
		self.api_key = user.api_key or frappe.generate_hash(length=15)
		self.api_secret = frappe.generate_hash(length=15)
		user.api_key, user.api_secret = self.api_key, self.api_secret
		user.save(ignore_permissions=True)
		for allow, values in (user_permissions or {}).items():
			for value in values:
				if not frappe.db.exists(
					"User Permission", {"user": email, "allow": allow, "for_value": value}
				):
					frappe.get_doc(
						{"doctype": "User Permission", "user": email, "allow": allow, "for_value": value}
					).insert(ignore_permissions=True)
		self.email = email

	@property
	def headers(self) -> dict:
		return {"Authorization": f"token {self.api_key}:{self.api_secret}"}


class Response:
	def __init__(self, raw):
		self.status_code = raw.status_code
		self.text = raw.get_data(as_text=True)
		self.headers = raw.headers
		try:
			self.json = json.loads(self.text)
		except ValueError:
			self.json = None

	@property
	def message(self):
		return (self.json or {}).get("message")


def request(
	method: str,
	path: str,
	*,
	user: ApiUser | None = None,
	json_body=None,
	data=None,
	headers=None,
	query=None,
	site=None,
):
	"""Send one HTTP request to the site and return its Response.

	The caller's own transaction keeps its snapshot: commit before reading what a request wrote.
	Pass `site` when calling from a thread other than the test's.
	"""
	site = site or frappe.local.site
	client = get_test_client()
	all_headers = {**(user.headers if user else {}), **(headers or {})}
	result = {}

	def run():
		with patch("frappe.app.get_site_name", return_value=site):
			kwargs = {"headers": all_headers, "query_string": query}
			if json_body is not None:
				kwargs["json"] = json_body
			if data is not None:
				kwargs["data"] = data
				if not any(name.lower() == "content-type" for name in all_headers):
					kwargs["content_type"] = "application/json"
			result["response"] = getattr(client, method.lower())(path, **kwargs)

	thread = Thread(target=run)
	thread.start()
	thread.join()
	return Response(result["response"])


def post(path, **kwargs):
	return request("POST", path, **kwargs)


def get(path, **kwargs):
	return request("GET", path, **kwargs)
