// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Channel Performance"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -29), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "sales_channel", label: __("Sales Channel"), fieldtype: "Link", options: "Sales Channel" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "revenue_change" && data && data.revenue_change != null) {
			const colour = data.revenue_change >= 0 ? "green" : "red";
			value = `<span style="color: var(--${colour}-600)">${value}</span>`;
		}
		return value;
	},
};
