// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.query_reports["Permission Audit"] = {
	filters: [
		{ fieldname: "user", label: __("User"), fieldtype: "Link", options: "User" },
		{ fieldname: "role", label: __("Role"), fieldtype: "Link", options: "Role" },
		{ fieldname: "include_disabled", label: __("Include Disabled Users"), fieldtype: "Check" },
	],
};
