// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["OMS Stock Balance"] = {
	filters: [
		{ fieldname: "location", label: __("Location"), fieldtype: "Link", options: "Stock Location" },
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "OMS Item" },
		{ fieldname: "category", label: __("Category"), fieldtype: "Link", options: "OMS Item Category" },
		{
			fieldname: "stock_status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Available", "Damaged", "Quarantine", "In Transit"],
		},
		{ fieldname: "show_zero", label: __("Show Empty Balances"), fieldtype: "Check", default: 0 },
	],
};
