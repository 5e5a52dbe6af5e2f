// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Fulfilment and Delivery"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -29), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "group_by", label: __("Group By"), fieldtype: "Select", options: ["Carrier", "Delivery Method", "Location", "Sales Channel"], default: "Carrier" },
		{ fieldname: "sales_channel", label: __("Sales Channel"), fieldtype: "Link", options: "Sales Channel" },
		{ fieldname: "carrier", label: __("Carrier"), fieldtype: "Link", options: "Carrier" },
		{ fieldname: "delivery_method", label: __("Delivery Method"), fieldtype: "Link", options: "Delivery Method" },
		{ fieldname: "location", label: __("Location"), fieldtype: "Link", options: "Stock Location" },
	],
};
