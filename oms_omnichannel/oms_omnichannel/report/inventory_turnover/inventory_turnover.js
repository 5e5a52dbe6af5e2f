// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Inventory Turnover"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -89), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "group_by", label: __("Group By"), fieldtype: "Select", options: ["Item", "Category", "Location"], default: "Item", reqd: 1 },
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "OMS Item" },
		{ fieldname: "category", label: __("Category"), fieldtype: "Link", options: "OMS Item Category" },
		{ fieldname: "location", label: __("Location"), fieldtype: "Link", options: "Stock Location" },
		{ fieldname: "slow_after_days", label: __("Slow Mover After (days of inventory)"), fieldtype: "Int", default: 90 },
		{ fieldname: "flagged_only", label: __("Slow Movers and Dead Stock Only"), fieldtype: "Check", default: 0 },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "flag" && data && data.flag) {
			const colour = data.flag === "Dead Stock" ? "red" : "orange";
			value = `<span style="color: var(--${colour}-600)">${value}</span>`;
		}
		return value;
	},
};
