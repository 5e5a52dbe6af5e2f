"""Customer feedback as the reports read it: the one place that knows its fields.

`Customer Feedback` (Customers module): `rating` (1-5, 0 when a complaint left it out),
`feedback_type` (Review, Complaint, Suggestion), `sales_channel`, `complaint_category`, `status`
(Open, In Progress, Resolved, Rejected), `opened_on` and `time_to_resolve_hours` (set when it is
resolved or rejected). Feedback counts in the period it was opened."""

from __future__ import annotations

import frappe

from oms_omnichannel.analytics.report_scope import channel_condition, end_of
from oms_omnichannel.core.feedback import CLOSED, COMPLAINT

FEEDBACK = "Customer Feedback"
CLOSED_STATUSES = tuple(sorted(CLOSED))
SATISFIED_FROM = 4  # CSAT: ratings of 4 and 5 out of 5


def feedback_available() -> bool:
	return bool(frappe.db.exists("DocType", FEEDBACK))


def average_ratings(from_date, to_date, channels: list[str] | None = None) -> dict[str, float]:
	"""{channel: average rating} of the rated feedback opened in the period."""
	if not feedback_available() or channels == []:
		return {}
	params = {"from": from_date, "to": end_of(to_date)}
	# safe-sql: channel_condition adds ' and <column> in %(channels)s' with a constant column; the channels are a parameter
	rows = frappe.db.sql(
		f"""select f.sales_channel, avg(f.rating) from `tabCustomer Feedback` f
		where f.rating > 0 and f.opened_on >= %(from)s and f.opened_on < %(to)s
			and f.sales_channel is not null
			{channel_condition("f.sales_channel", channels, params)}
		group by f.sales_channel""",
		params,
	)
	return {channel: float(rating) for channel, rating in rows}


def satisfaction_rows(from_date, to_date, channels: list[str] | None, group_by: str) -> list[dict]:
	"""Per channel (all feedback), or per complaint category (complaints only): feedback, rating,
	CSAT, complaint figures and the average hours to resolve or reject a complaint."""
	if not feedback_available() or channels == []:
		return []
	by_category = group_by == "complaint_category"
	key = "f.complaint_category" if by_category else "f.sales_channel"
	params = {
		"from": from_date,
		"to": end_of(to_date),
		"closed": CLOSED_STATUSES,
		"satisfied": SATISFIED_FROM,
		"complaint": COMPLAINT,
	}
	only_complaints = "and f.feedback_type = %(complaint)s" if by_category else ""
	# safe-sql: key and only_complaints are constants chosen by group_by; channel_condition adds a constant column and a parameter
	return frappe.db.sql(
		f"""select {key} as name, count(*) as feedback, avg(nullif(f.rating, 0)) as average_rating,
			sum(f.rating > 0) as rated, sum(f.rating >= %(satisfied)s) as satisfied,
			sum(f.feedback_type = %(complaint)s) as complaints,
			sum(f.feedback_type = %(complaint)s and f.status not in %(closed)s) as open_complaints,
			avg(case when f.feedback_type = %(complaint)s and f.status in %(closed)s
				then f.time_to_resolve_hours end) as resolution_hours
		from `tabCustomer Feedback` f
		where f.opened_on >= %(from)s and f.opened_on < %(to)s {only_complaints}
			{channel_condition("f.sales_channel", channels, params)}
		group by {key} order by feedback desc, name""",
		params,
		as_dict=True,
	)


def weekly_ratings(from_date, to_date, channels: list[str] | None) -> list[tuple]:
	"""[(week starting, average rating, feedback)] for the trend chart."""
	if not feedback_available() or channels == []:
		return []
	params = {"from": from_date, "to": end_of(to_date)}
	# safe-sql: channel_condition adds ' and <column> in %(channels)s' with a constant column; the channels are a parameter
	return frappe.db.sql(
		f"""select date_sub(date(f.opened_on), interval weekday(f.opened_on) day) as week,
			avg(nullif(f.rating, 0)), count(*)
		from `tabCustomer Feedback` f
		where f.opened_on >= %(from)s and f.opened_on < %(to)s
			{channel_condition("f.sales_channel", channels, params)}
		group by week order by week""",
		params,
	)
