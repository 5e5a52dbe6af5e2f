// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Low Stock and Reorder"] = {
	filters: [
		{ fieldname: "location", label: __("Location"), fieldtype: "Link", options: "Stock Location" },
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "OMS Item" },
		{ fieldname: "category", label: __("Category"), fieldtype: "Link", options: "OMS Item Category" },
		{ fieldname: "show_all", label: __("Show All Items"), fieldtype: "Check", default: 0 },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "days_of_cover" && data && data.days_of_cover != null && data.days_of_cover < 7) {
			value = `<span style="color: var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
