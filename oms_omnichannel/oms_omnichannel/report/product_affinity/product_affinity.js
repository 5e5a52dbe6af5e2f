// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Product Affinity"] = {
	filters: [
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "OMS Item" },
		{ fieldname: "min_lift", label: __("Minimum Lift"), fieldtype: "Float", default: 1 },
	],
};
