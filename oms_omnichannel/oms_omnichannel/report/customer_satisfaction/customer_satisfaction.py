# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Average rating, CSAT % (ratings of 4 or 5), complaints by category and channel, resolution
time and the weekly rating trend. It fills as Customer Feedback arrives: until that DocType
exists it runs empty and says why. What it assumes of feedback is in `analytics/feedback.py`."""

import frappe
from frappe import _

from oms_omnichannel.analytics import feedback
from oms_omnichannel.analytics.charts import line_type
from oms_omnichannel.analytics.report_scope import choice, report_channels, report_period
from oms_omnichannel.core.analytics import rate

GROUPS = {"Sales Channel": "sales_channel", "Complaint Category": "complaint_category"}


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	from_date, to_date, _previous_from, _previous_to = report_period(filters, default_days=90)
	group_by = choice(filters.group_by, GROUPS, "Sales Channel")
	if not feedback.feedback_available():
		message = _("No customer feedback yet: this report fills once {0} records are kept.").format(
			frappe.bold(feedback.FEEDBACK)
		)
		return columns(group_by), [], message, None, []
	channels = report_channels(filters.sales_channel)
	data = [
		with_rates(row) for row in feedback.satisfaction_rows(from_date, to_date, channels, GROUPS[group_by])
	]
	trend = feedback.weekly_ratings(from_date, to_date, channels)
	return columns(group_by), data, None, chart(trend), summary(data)


def with_rates(row) -> dict:
	return {
		**row,
		"average_rating": round(float(row.average_rating), 2) if row.average_rating is not None else None,
		"csat": rate(row.satisfied or 0, row.rated or 0),
		"resolution_hours": round(float(row.resolution_hours), 1)
		if row.resolution_hours is not None
		else None,
	}


def columns(group_by: str):
	return [
		{
			"fieldname": "name",
			"label": _(group_by),
			"fieldtype": "Link" if group_by == "Sales Channel" else "Data",
			"options": "Sales Channel" if group_by == "Sales Channel" else None,
			"width": 180,
		},
		{"fieldname": "feedback", "label": _("Feedback"), "fieldtype": "Int", "width": 90},
		{"fieldname": "average_rating", "label": _("Avg Rating"), "fieldtype": "Float", "precision": 2},
		{"fieldname": "csat", "label": _("CSAT %"), "fieldtype": "Percent", "width": 90},
		{"fieldname": "complaints", "label": _("Complaints"), "fieldtype": "Int", "width": 100},
		{"fieldname": "open_complaints", "label": _("Open Complaints"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "resolution_hours",
			"label": _("Resolution, avg (h)"),
			"fieldtype": "Float",
			"precision": 1,
		},
	]


def chart(trend):
	if not trend:
		return None
	labels = [str(week) for week, _rating, _count in trend]
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Avg Rating"), "values": [round(float(r or 0), 2) for _w, r, _c in trend]}
			],
		},
		"type": line_type(labels),
	}


def summary(data):
	rated = sum(row.get("rated") or 0 for row in data)
	return [
		{"value": sum(row["feedback"] for row in data), "label": _("Feedback"), "datatype": "Int"},
		{
			"value": rate(sum(row.get("satisfied") or 0 for row in data), rated),
			"label": _("CSAT %"),
			"datatype": "Percent",
			"indicator": "green",
		},
		{
			"value": sum(row.get("open_complaints") or 0 for row in data),
			"label": _("Open Complaints"),
			"datatype": "Int",
			"indicator": "red",
		},
	]
