// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Order Volume and Revenue"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -29), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "period", label: __("Period"), fieldtype: "Select", options: ["Day", "Week", "Month"], default: "Day" },
		{ fieldname: "sales_channel", label: __("Sales Channel"), fieldtype: "Link", options: "Sales Channel" },
		{ fieldname: "group_by_channel", label: __("Per Channel"), fieldtype: "Check", default: 1 },
	],
};
