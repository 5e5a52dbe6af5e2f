// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["OMS Revenue per Day"] = {
	method: "oms_omnichannel.oms_omnichannel.dashboard_chart_source.oms_revenue_per_day.oms_revenue_per_day.get",
	filters: [],
};
