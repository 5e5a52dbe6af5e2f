// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Demand Forecast and Trends"] = {
	filters: [
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "OMS Item" },
		{ fieldname: "category", label: __("Category"), fieldtype: "Link", options: "OMS Item Category" },
		{ fieldname: "sales_channel", label: __("Sales Channel"), fieldtype: "Link", options: "Sales Channel" },
		{ fieldname: "history_weeks", label: __("Weeks of History Shown"), fieldtype: "Int", default: 52 },
		{ fieldname: "horizon_weeks", label: __("Weeks to Forecast"), fieldtype: "Int", default: 12 },
		{ fieldname: "moving_average_weeks", label: __("Moving Average Weeks"), fieldtype: "Int", default: 4 },
	],
};
