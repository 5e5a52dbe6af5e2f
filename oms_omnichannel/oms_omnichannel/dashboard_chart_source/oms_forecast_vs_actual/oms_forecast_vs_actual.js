// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["OMS Forecast vs Actual"] = {
	method: "oms_omnichannel.oms_omnichannel.dashboard_chart_source.oms_forecast_vs_actual.oms_forecast_vs_actual.get",
	filters: [],
};
