# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""A whitelisted method called without a parameter it needs, or with one of the wrong type,
answers 400 naming the parameter: never Python's TypeError (a 500)."""

import importlib
import inspect
import json
import pkgutil

import frappe

from oms_omnichannel.tests.rest import ApiUser, get, post
from oms_omnichannel.tests.utils import OMSTestCase
from oms_omnichannel.utils import InvalidArgument, check_arguments


def app_methods():
	"""(dotted path, function) of every whitelisted module function of the app: every module is
	imported first (Frappe knows a whitelisted function once its module has been imported)."""
	import_app_modules()
	for function in frappe.whitelisted:
		module = getattr(function, "__module__", "")
		if module.startswith("oms_omnichannel.") and "." not in function.__qualname__:
			yield f"{module}.{function.__name__}", function


def import_app_modules() -> None:
	import oms_omnichannel

	for info in pkgutil.walk_packages(oms_omnichannel.__path__, "oms_omnichannel."):
		if (
			".tests" in info.name
			or ".patches" in info.name
			or info.name.rsplit(".", 1)[-1].startswith("test_")
		):
			continue
		importlib.import_module(info.name)


def required(function) -> list[str]:
	return [
		name
		for name, parameter in inspect.signature(function).parameters.items()
		if parameter.default is inspect.Parameter.empty
	]


def call(path: str, function, user, body: dict):
	methods = frappe.allowed_http_methods_for_whitelisted_func.get(function, ["POST"])
	if "POST" in methods:
		return post(f"/api/method/{path}", user=user, json_body=body)
	# a query string has no null: a parameter given as null is one left out
	query = {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items() if v is not None}
	return get(f"/api/method/{path}", user=user, query=query)


class TestArgumentsOverREST(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.user = ApiUser("oms.arguments@example.com", ["OMS Manager", "System Manager"])
		frappe.db.commit()

	def test_every_method_names_a_missing_parameter_with_400(self):
		methods = [(path, f) for path, f in app_methods() if required(f)]
		self.assertGreaterEqual(len(methods), 15)
		for path, function in methods:
			names = required(function)
			for body in ({}, dict.fromkeys(names), dict.fromkeys(names, "  ")):
				with self.subTest(path=path, body=body):
					response = call(path, function, self.user, body)
					self.assertEqual(response.status_code, 400, f"{path}: {response.text[:300]}")
					for name in names:
						self.assertIn(name, response.text)
					self.assertNotIn("Traceback", response.text)

	def test_a_parameter_of_the_wrong_type_is_400_naming_it(self):
		cases = [
			("oms_omnichannel.api.v1.orders.hold", {"order": ["a", "list"], "reason": "x"}, "order"),
			("oms_omnichannel.api.v1.orders.cancel", {"order": "ORD-X", "reason": {"an": "object"}}, "reason"),
			("oms_omnichannel.api.v1.orders.merge", {"orders": [1, 2]}, "orders"),
			("oms_omnichannel.api.v1.orders.merge", {"orders": ["only-one"]}, "orders"),
			("oms_omnichannel.api.v1.orders.modify", {"order": "ORD-X", "changes": "{not json"}, "changes"),
			("oms_omnichannel.api.v1.feedback.post_feedback", {"channel": "X", "channel_feedback_id": [1]}, "channel_feedback_id"),
			("oms_omnichannel.api.v1.tracking.post_events", {"events": 7}, "events"),
			("oms_omnichannel.customers.merge.merge", {"profile": 1, "into": "x"}, "profile"),
		]  # fmt: skip
		functions = dict(app_methods())
		for path, body, name in cases:
			with self.subTest(path=path, body=body):
				response = call(path, functions[path], self.user, body)
				self.assertEqual(response.status_code, 400, response.text[:300])
				self.assertIn(name, response.text)

	def test_check_arguments_refuses_before_the_method_runs_and_converts_like_frappe(self):
		ran = []

		@check_arguments
		def method(order: str, qty: int = 1, note: str = "") -> None:
			ran.append((order, qty, note))

		with self.assertRaisesRegex(InvalidArgument, "order"):
			method()
		with self.assertRaisesRegex(InvalidArgument, "qty"):
			method("A", qty="many")
		method("A", qty="3", note=None)  # text to int as Frappe does; null means the default
		self.assertEqual(ran, [("A", 3, "")])
		self.assertEqual(method.__annotations__, {})  # Frappe's own check (417) stays out
		self.assertEqual(list(inspect.signature(method).parameters), ["order", "qty", "note"])
