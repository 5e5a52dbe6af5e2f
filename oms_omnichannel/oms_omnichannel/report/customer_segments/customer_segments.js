// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Customer Segments"] = {
	filters: [
		{ fieldname: "view", label: __("View"), fieldtype: "Select", options: ["Segments", "Cohorts"], default: "Segments", reqd: 1 },
	],
};
