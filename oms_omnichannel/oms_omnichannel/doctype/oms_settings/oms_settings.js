// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Settings", {
	setup(frm) {
		frm.set_query("default_source_location", () => ({ filters: { disabled: 0, can_ship: 1 } }));
		frm.set_query("default_delivery_method", () => ({ filters: { is_active: 1 } }));
	},
});
