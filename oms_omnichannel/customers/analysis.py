"""Customer analysis, Frappe side: gather the figures with one grouped query each, let
`core/customer_analytics.py` decide, and store the results where the desk reads them: the
Insights section of every Customer Profile with orders, and `OMS Item Affinity` rules shown on
the item form. Runs nightly and on demand as a background job, never per page view.

Money is in the reporting currency of OMS Settings; orders in other currencies count as orders
but not in the money figures (no exchange rates are kept, as in the reports)."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime, today

from oms_omnichannel.core import customer_analytics as ca

PROFILE = "Customer Profile"
AFFINITY = "OMS Item Affinity"
ANALYSIS_ROLES = ("OMS Manager", "OMS Analyst", "System Manager")
JOB_ID = "oms-customer-analysis"
NOT_ORDERS = ("Cancelled", "Merged")  # a merged order lives on in the order it went into
AFFINITY_DAYS = 365  # baskets of the last year
AFFINITY_MIN_SUPPORT = 0.001  # a pair in at least one order in a thousand ...
AFFINITY_MIN_ORDERS = 3  # ... and in at least three orders
AFFINITY_MIN_CONFIDENCE = 0.1
SEPARATOR = "\x1f"
INSIGHT_FIELDS = (
	"first_order",
	"last_order",
	"order_count",
	"lifetime_value",
	"average_order_value",
	"return_rate",
	"average_rating",
	"rfm_segment",
	"rfm_score",
	"churn_risk",
	"insights_updated_on",
)
CHUNK = 500


@frappe.whitelist(methods=["POST"])
def run_now() -> dict:
	"""On demand (OMS Manager, OMS Analyst): queue the analysis; one job at a time."""
	# Not frappe.only_for: it lets everyone through while tests run, so its refusal cannot be tested.
	if not set(ANALYSIS_ROLES).intersection(frappe.get_roles()):
		frappe.throw(
			_("Only {0} may run the customer analysis").format(", ".join(ANALYSIS_ROLES)),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	frappe.enqueue(
		"oms_omnichannel.customers.analysis.run_analysis",
		queue="long",
		job_id=JOB_ID,
		deduplicate=True,
		enqueue_after_commit=True,
	)
	return {"queued": True, "job_id": JOB_ID}


def scheduled_analysis() -> None:
	"""Nightly (hooks.py)."""
	run_analysis()


def run_analysis(on: str | None = None, customers: list[str] | None = None) -> dict:
	"""Compute and store every customer's insights and the item affinities; returns counts.

	`customers` limits the population (segments are quintiles within it) and the baskets to
	theirs: for tests on a fixed set of customers. The job itself always analyses everyone."""
	day = getdate(on or today())
	if customers == []:
		return {"customers": 0, "affinities": 0}
	stamp = now_datetime()
	figures = ca.insights(gather_customers(customers), day)
	store_insights(figures, average_ratings(), stamp)
	if customers is None:
		clear_stale_insights(stamp)
	rules = compute_affinities(day, customers)
	store_affinities(rules)
	return {"customers": len(figures), "affinities": len(rules)}


def customer_condition(column: str, customers: list[str] | None, params: dict) -> str:
	if customers is None:
		return ""
	params["customers"] = tuple(customers)
	return f" and {column} in %(customers)s"


def cohort_table(customers: list[str] | None = None) -> list[ca.Cohort]:
	"""Cohorts by first-order month: size, repeat rate and who ordered again N months later
	(read on demand, e.g. by a report: two grouped queries, nothing stored)."""
	params = {"out": NOT_ORDERS}
	# safe-sql: customer_condition adds ' and <column> in %(customers)s' with a constant column; customers are a parameter
	active = frappe.db.sql(
		f"""select o.customer, date_format(o.order_datetime, '%%Y-%%m') as month
		from `tabOMS Order` o
		where o.docstatus = 1 and o.status not in %(out)s and ifnull(o.customer, '') != ''
			{customer_condition("o.customer", customers, params)}
		group by o.customer, month""",
		params,
	)
	return ca.cohorts(gather_customers(customers), active)


# ---------------------------------------------------------------- gathering (one query each)


def reporting_currency() -> str | None:
	return frappe.db.get_single_value("OMS Settings", "default_currency")


def gather_customers(customers: list[str] | None = None) -> list[ca.CustomerOrders]:
	"""Per customer: first and last order, orders, revenue net of refunds in the reporting
	currency, and orders with goods returned."""
	params = {"currency": reporting_currency() or "", "out": NOT_ORDERS}
	# safe-sql: customer_condition adds ' and <column> in %(customers)s' with a constant column; customers are a parameter
	rows = frappe.db.sql(
		f"""select o.customer, min(date(o.order_datetime)), max(date(o.order_datetime)), count(*),
			sum(case when o.currency = %(currency)s
				then o.grand_total - ifnull(o.refunded_amount, 0) else 0 end),
			sum(exists(
				select 1 from `tabOMS Order Item` i
				where i.parent = o.name and i.parenttype = 'OMS Order' and i.returned_qty > 0
			))
		from `tabOMS Order` o
		where o.docstatus = 1 and o.status not in %(out)s and ifnull(o.customer, '') != ''
			{customer_condition("o.customer", customers, params)}
		group by o.customer""",
		params,
	)
	return [
		ca.CustomerOrders(
			customer,
			getdate(first),
			getdate(last),
			int(count),
			Decimal(str(revenue or 0)),
			int(returned or 0),
		)
		for customer, first, last, count, revenue, returned in rows
	]


def average_ratings() -> dict[str, float]:
	return {
		customer: round(float(rating), 2)
		for customer, rating in frappe.db.sql(
			"""select customer, avg(rating) from `tabCustomer Feedback`
			where rating > 0 and ifnull(customer, '') != '' group by customer"""
		)
	}


def baskets_since(since, customers: list[str] | None = None) -> list[list[str]]:
	"""The distinct items of every order since `since`, one row per order."""
	params = {"sep": SEPARATOR, "out": NOT_ORDERS, "since": since}
	# safe-sql: customer_condition adds ' and <column> in %(customers)s' with a constant column; customers are a parameter
	rows = frappe.db.sql(
		f"""select group_concat(distinct i.item order by i.item separator %(sep)s)
		from `tabOMS Order Item` i
		join `tabOMS Order` o on o.name = i.parent
		where i.parenttype = 'OMS Order' and o.docstatus = 1 and o.status not in %(out)s
			and o.order_datetime >= %(since)s {customer_condition("o.customer", customers, params)}
		group by i.parent""",
		params,
	)
	return [basket.split(SEPARATOR) for (basket,) in rows if basket]


def compute_affinities(day, customers: list[str] | None = None) -> list[ca.AffinityRule]:
	baskets = baskets_since(add_days(day, -AFFINITY_DAYS), customers)
	if not baskets:
		return []
	min_support = max(AFFINITY_MIN_SUPPORT, AFFINITY_MIN_ORDERS / len(baskets))
	return ca.affinity_rules(baskets, min_support=min_support, min_confidence=AFFINITY_MIN_CONFIDENCE)


# ---------------------------------------------------------------- storing


def store_insights(figures: list[ca.Insights], ratings: dict[str, float], stamp) -> None:
	"""One UPDATE per chunk of profiles (a CASE per field), not one per customer."""
	rows = {
		f.customer: {
			"first_order": f.first_order,
			"last_order": f.last_order,
			"order_count": f.order_count,
			"lifetime_value": float(f.lifetime_value),
			"average_order_value": float(f.average_order_value),
			"return_rate": f.return_rate,
			"average_rating": ratings.get(f.customer, 0),
			"rfm_segment": f.rfm_segment,
			"rfm_score": f.rfm_score,
			"churn_risk": f.churn_risk,
			"insights_updated_on": stamp,
		}
		for f in figures
	}
	names = list(rows)
	for start in range(0, len(names), CHUNK):
		bulk_update(PROFILE, {name: rows[name] for name in names[start : start + CHUNK]})


def clear_stale_insights(stamp) -> None:
	"""Profiles that had orders at the last run and have none now (cancelled, merged away)."""
	profile = frappe.qb.DocType(PROFILE)
	query = frappe.qb.update(profile)
	for field in ("first_order", "last_order", "rfm_segment", "rfm_score", "churn_risk"):
		query = query.set(profile[field], None)
	for field in ("order_count", "lifetime_value", "average_order_value", "return_rate"):
		query = query.set(profile[field], 0)
	query.set(profile.insights_updated_on, stamp).where(
		(profile.order_count > 0) & (profile.insights_updated_on < stamp)
	).run()


def bulk_update(doctype: str, rows: dict[str, dict]) -> None:
	"""UPDATE `tab<doctype>` SET field = CASE name WHEN ... END, ... WHERE name IN (...)."""
	if not rows:
		return
	table = frappe.get_meta(doctype).name  # a DocType name from metadata, never user input
	assignments, params = [], []
	for field in INSIGHT_FIELDS:
		cases = " ".join(["when %s then %s"] * len(rows))
		assignments.append(f"`{field}` = case `name` {cases} end")
		for name, values in rows.items():
			params += [name, values[field]]
	params += list(rows)
	# safe-sql: table is a DocType name from metadata, fields are the constant INSIGHT_FIELDS; values are %s parameters
	frappe.db.sql(
		f"update `tab{table}` set {', '.join(assignments)} "
		f"where `name` in ({', '.join(['%s'] * len(rows))})",
		params,
	)


def store_affinities(rules: list[ca.AffinityRule]) -> None:
	"""Replace every stored rule with this run's (the rules are a snapshot, not a history)."""
	from oms_omnichannel.bulk import insert_rows

	frappe.db.delete(AFFINITY)
	stamp, user = now_datetime(), frappe.session.user
	insert_rows(
		AFFINITY,
		[
			{
				"name": frappe.generate_hash(length=12),
				"item": rule.item,
				"other_item": rule.other_item,
				"support": rule.support,
				"confidence": rule.confidence,
				"lift": rule.lift,
				"computed_at": stamp,
				"creation": stamp,
				"modified": stamp,
				"owner": user,
				"modified_by": user,
				"docstatus": 0,
			}
			for rule in rules
		],
	)
