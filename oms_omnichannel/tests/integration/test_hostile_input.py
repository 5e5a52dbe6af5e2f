# Copyright (c) 2026, OMS Omnichannel contributors
# See license.txt
"""Fuzz every whitelisted method of the app over HTTP with hostile input (hypothesis): SQL
metacharacters, huge and deep JSON, wrong types, NaN and infinities, unicode. No reply is a 500 or
carries a stack trace, and a refused request writes nothing. Bounded in time (FUZZ_SECONDS)."""

import inspect
import json
import math
import time

import frappe
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from oms_omnichannel.tests.cleanup import purge_committed_test_records
from oms_omnichannel.tests.integration.test_api_arguments import app_methods
from oms_omnichannel.tests.rest import ApiUser, request
from oms_omnichannel.tests.utils import OMSTestCase, OrderFixture

FUZZ_SECONDS = 60
CASES_PER_METHOD = 60
# What a refused request must leave untouched. (Intake logs every payload it was sent, failed ones
# included, so they can be fixed and replayed: the Intake Log is written by design.)
WATCHED = (
	"OMS Order",
	"OMS Order Item",
	"OMS Stock Ledger Entry",
	"OMS Stock Reservation",
	"OMS Shipment",
	"Shipment Tracking Event",
	"Customer Profile",
	"Customer Feedback",
	"Return Request",
	"OMS Demand Forecast",
)
SQL = [
	"' OR '1'='1",
	"'; DROP TABLE `tabOMS Order`; --",
	'" OR ""="',
	"%s",
	"%(name)s",
	"`",
	"\\",
	"1) OR (1=1",
	"\x00",
	"%",
	"_",
	"ORD-%",
]
UNICODE = ["Zürich 🚚", "\u202egnirts", "\ufeff", "ᄀᄀᄀ", "𝕏" * 50, "\u0000\u0001\u001f", "\ud800"]
NUMBERS = [math.nan, math.inf, -math.inf, 1e308, -1e308, 2**63, -(2**63), 0, -1, 1.5]

scalars = st.one_of(
	st.sampled_from(SQL),
	st.sampled_from(UNICODE),
	st.sampled_from(NUMBERS),
	st.text(max_size=40),
	st.integers(),
	st.floats(allow_nan=True, allow_infinity=True),
	st.booleans(),
	st.none(),
	st.just("x" * 200_000),  # huge text
)


def deep(depth: int):
	value: object = "bottom"
	for level in range(depth):
		value = [value] if level % 2 else {"d": value}
	return value


values = st.recursive(
	scalars,
	lambda children: st.one_of(
		st.lists(children, max_size=5), st.dictionaries(st.text(max_size=10), children, max_size=5)
	),
	max_leaves=12,
) | st.sampled_from([deep(200), [0] * 20_000, {"k": "v" * 100_000}])


class TestHostileInput(OMSTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fx = OrderFixture(stock=100)
		cls.orders = [cls.fx.order().name for _ in range(3)]
		cls.user = ApiUser("oms.fuzz@example.com", ["OMS Manager", "System Manager"])
		cls.traceback_setting = frappe.db.get_single_value("System Settings", "allow_error_traceback")
		# Frappe's default: replies carry tracebacks unless the app keeps them out. Test against it.
		frappe.db.set_single_value("System Settings", "allow_error_traceback", 1)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("System Settings", "allow_error_traceback", cls.traceback_setting or 0)
		frappe.db.commit()
		purge_committed_test_records()
		super().tearDownClass()

	def counts(self) -> dict:
		frappe.db.commit()  # a fresh snapshot: see what the requests committed
		return {doctype: frappe.db.count(doctype) for doctype in WATCHED}

	def test_no_500_no_trace_nothing_written_when_refused(self):
		# Every method with something to fuzz: its parameters, or (intake) its body.
		methods = sorted(
			(path, function)
			for path, function in app_methods()
			if inspect.signature(function).parameters or path.endswith(".ingest")
		)
		self.assertGreaterEqual(len(methods), 20)
		known = [*self.orders, self.fx.channel, self.fx.item, self.fx.north, self.fx.customer]
		argument = st.one_of(values, st.sampled_from(known))
		deadline = time.monotonic() + FUZZ_SECONDS
		per_method = FUZZ_SECONDS / len(methods)
		tried, outcomes, failures = 0, {}, []

		for path, function in methods:
			names = list(inspect.signature(function).parameters)
			http = "POST" if "POST" in frappe.allowed_http_methods_for_whitelisted_func[function] else "GET"
			if path.endswith(".ingest"):
				# An object or a list: Frappe 15.44 refuses any other JSON body itself (417, with its
				# traceback) before app code runs, as it answers 500 to unparseable JSON (README).
				bodies = st.fixed_dictionaries(
					{"channel": st.one_of(st.just(self.fx.channel), values)},
					optional={"order": values, "orders": st.lists(values, max_size=3)},
				) | st.lists(values, max_size=3)
			else:
				bodies = st.fixed_dictionaries({}, optional=dict.fromkeys(names, argument))
			method_deadline = min(deadline, time.monotonic() + per_method)

			@settings(
				max_examples=CASES_PER_METHOD,
				deadline=None,
				database=None,
				phases=[Phase.generate],
				suppress_health_check=list(HealthCheck),
			)
			@given(body=bodies)
			def fuzz(body):
				nonlocal tried
				if time.monotonic() > method_deadline:
					return
				tried += 1
				before = self.counts()
				response = send(http, path, self.user, body)
				status = response.status_code
				outcomes[status] = outcomes.get(status, 0) + 1
				problem = None
				if status >= 500:
					problem = "server error"
				elif "Traceback (most recent call last)" in response.text or 'File "/' in response.text:
					problem = "stack trace in the reply"
				elif status >= 400 and self.counts() != before:
					problem = "a refused request wrote something"
				if problem:
					failures.append(f"{path} {status} {problem}: {short(body)} -> {response.text[:400]}")

			fuzz()

		print(f"\nfuzz: {tried} cases over {len(methods)} methods, statuses {dict(sorted(outcomes.items()))}")
		self.assertGreater(tried, len(methods))
		self.assertEqual(failures[:10], [], f"{len(failures)} of {tried} cases failed")


def send(http: str, path: str, user, body):
	url = f"/api/method/{path}"
	if http == "GET":
		query = {
			k: v if isinstance(v, str) and v.isascii() else json.dumps(v)  # a query string of ASCII
			for k, v in (body.items() if isinstance(body, dict) else [])
		}
		return request("GET", url, user=user, query=query)
	return request("POST", url, user=user, data=json.dumps(body))


def short(body) -> str:
	text = json.dumps(body)
	return text if len(text) < 300 else text[:300] + f"... ({len(text)} chars)"
