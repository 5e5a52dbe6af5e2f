// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["OMS Stock Ledger"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_days(frappe.datetime.get_today(), -29), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "OMS Item" },
		{ fieldname: "location", label: __("Location"), fieldtype: "Link", options: "Stock Location" },
		{
			fieldname: "stock_status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Available", "Damaged", "Quarantine", "In Transit"],
		},
		{
			fieldname: "voucher_type",
			label: __("Voucher Type"),
			fieldtype: "Select",
			options: ["", "OMS Stock Entry", "OMS Shipment", "Return Request"],
		},
	],
};
