"""Customer feedback as the reports read it: the one place that knows its fields.

`Customer Feedback` comes with the Customers module. Until it exists every function here answers
"nothing yet"; the fields assumed are `rating` (1-5), `sales_channel`, `complaint_category`,
`status`, `opened_on` (else `creation`) and `resolved_on`. Adapt only this file if they differ."""

from __future__ import annotations

import frappe

from oms_omnichannel.analytics.report_scope import channel_condition, end_of

FEEDBACK = "Customer Feedback"
CLOSED_STATUSES = ("Resolved", "Closed")
SATISFIED_FROM = 4  # CSAT: ratings of 4 and 5 out of 5


def feedback_available() -> bool:
	return bool(frappe.db.exists("DocType", FEEDBACK))


def _opened_on() -> str:
	return "f.opened_on" if frappe.get_meta(FEEDBACK).has_field("opened_on") else "f.creation"


def average_ratings(from_date, to_date, channels: list[str] | None = None) -> dict[str, float]:
	"""{channel: average rating} of the feedback opened in the period."""
	if not feedback_available() or channels == []:
		return {}
	params = {"from": from_date, "to": end_of(to_date)}
	rows = frappe.db.sql(
		f"""select f.sales_channel, avg(f.rating) from `tabCustomer Feedback` f
		where f.rating > 0 and {_opened_on()} >= %(from)s and {_opened_on()} < %(to)s
			{channel_condition("f.sales_channel", channels, params)}
		group by f.sales_channel""",
		params,
	)
	return {channel: float(rating) for channel, rating in rows}


def satisfaction_rows(from_date, to_date, channels: list[str] | None, group_by: str) -> list[dict]:
	"""Per channel, or per complaint category: feedback, rating, CSAT and complaint figures."""
	if not feedback_available() or channels == []:
		return []
	key = "f.complaint_category" if group_by == "complaint_category" else "f.sales_channel"
	opened = _opened_on()
	params = {
		"from": from_date,
		"to": end_of(to_date),
		"closed": CLOSED_STATUSES,
		"satisfied": SATISFIED_FROM,
	}
	return frappe.db.sql(
		f"""select {key} as name, count(*) as feedback, avg(nullif(f.rating, 0)) as average_rating,
			sum(f.rating > 0) as rated, sum(f.rating >= %(satisfied)s) as satisfied,
			sum(ifnull(f.complaint_category, '') != '') as complaints,
			sum(ifnull(f.complaint_category, '') != '' and ifnull(f.status, '') not in %(closed)s)
				as open_complaints,
			avg(case when f.resolved_on is not null
				then timestampdiff(second, {opened}, f.resolved_on) end) / 3600 as resolution_hours
		from `tabCustomer Feedback` f
		where {opened} >= %(from)s and {opened} < %(to)s
			{channel_condition("f.sales_channel", channels, params)}
		group by {key} order by feedback desc""",
		params,
		as_dict=True,
	)


def weekly_ratings(from_date, to_date, channels: list[str] | None) -> list[tuple]:
	"""[(week starting, average rating, feedback)] for the trend chart."""
	if not feedback_available() or channels == []:
		return []
	opened = _opened_on()
	params = {"from": from_date, "to": end_of(to_date)}
	return frappe.db.sql(
		f"""select date_sub(date({opened}), interval weekday({opened}) day) as week,
			avg(nullif(f.rating, 0)), count(*)
		from `tabCustomer Feedback` f
		where {opened} >= %(from)s and {opened} < %(to)s
			{channel_condition("f.sales_channel", channels, params)}
		group by week order by week""",
		params,
	)
