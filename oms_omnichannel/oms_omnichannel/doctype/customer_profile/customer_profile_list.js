// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.listview_settings["Customer Profile"] = {
	// merged profiles are pointers to the profile they went into
	filters: [["status", "=", "Active"]],
};
