# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Customer Segments: the RFM segments the nightly customer analysis stored (size, share, value),
or the cohorts by first-order month with their repeat rates. Reads aggregates only."""

import frappe
from frappe import _

from oms_omnichannel.analytics.charts import line_type
from oms_omnichannel.core.customer_analytics import SEGMENTS
from oms_omnichannel.customers.analysis import cohort_table

VIEWS = ("Segments", "Cohorts")


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	view = filters.view or "Segments"
	if view not in VIEWS:
		frappe.throw(_("View must be one of {0}").format(", ".join(VIEWS)), title=_("Invalid Filter"))
	return segments() if view == "Segments" else cohorts()


def segments():
	rows = frappe.db.sql(
		"""select rfm_segment as segment, count(*) as customers, sum(lifetime_value) as lifetime_value,
			sum(order_count) as orders
		from `tabCustomer Profile`
		where ifnull(rfm_segment, '') != '' and ifnull(status, 'Active') = 'Active'
		group by rfm_segment""",
		as_dict=True,
	)
	by_segment = {row.segment: row for row in rows}
	total = sum(row.customers for row in rows)
	currency = frappe.db.get_single_value("OMS Settings", "default_currency")
	data = []
	for segment in SEGMENTS:  # the segments' own order, best first
		row = by_segment.get(segment)
		if not row:
			continue
		data.append(
			{
				"segment": segment,
				"customers": row.customers,
				"share": round(100 * row.customers / total, 1) if total else 0,
				"orders": row.orders or 0,
				"lifetime_value": row.lifetime_value or 0,
				"average_value": round((row.lifetime_value or 0) / row.customers, 2),
				"currency": currency,
			}
		)
	columns = [
		{"fieldname": "segment", "label": _("Segment"), "fieldtype": "Data", "width": 140},
		{"fieldname": "customers", "label": _("Customers"), "fieldtype": "Int", "width": 110},
		{"fieldname": "share", "label": _("Share %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "orders", "label": _("Orders"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "lifetime_value",
			"label": _("Lifetime Value"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 140,
		},
		{
			"fieldname": "average_value",
			"label": _("Value per Customer"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 150,
		},
		{
			"fieldname": "currency",
			"label": _("Currency"),
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]
	chart = {
		"data": {
			"labels": [_(row["segment"]) for row in data],
			"datasets": [{"name": _("Customers"), "values": [row["customers"] for row in data]}],
		},
		"type": "bar",
	}
	summary = [
		{"label": _("Customers in a segment"), "value": total, "datatype": "Int", "indicator": "blue"},
	]
	message = None if data else _("No segments yet: run the customer analysis (OMS Item Affinity list).")
	return columns, data, message, chart, summary


def cohorts():
	data = [
		{
			"month": cohort.month,
			"customers": cohort.customers,
			"repeat_customers": cohort.repeat_customers,
			"repeat_rate": cohort.repeat_rate,
		}
		for cohort in cohort_table()
	]
	columns = [
		{"fieldname": "month", "label": _("First Order Month"), "fieldtype": "Data", "width": 150},
		{"fieldname": "customers", "label": _("Customers"), "fieldtype": "Int", "width": 110},
		{"fieldname": "repeat_customers", "label": _("Ordered Again"), "fieldtype": "Int", "width": 130},
		{"fieldname": "repeat_rate", "label": _("Repeat Rate %"), "fieldtype": "Percent", "width": 130},
	]
	chart = {
		"data": {
			"labels": [row["month"] for row in data],
			"datasets": [{"name": _("Repeat Rate %"), "values": [row["repeat_rate"] for row in data]}],
		},
		"type": line_type(data),
	}
	return columns, data, None, chart
