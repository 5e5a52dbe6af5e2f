// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Channel Listing", {
	setup(frm) {
		frm.set_query("item", () => ({ filters: { disabled: 0 } }));
		frm.set_query("sales_channel", () => ({ filters: { is_active: 1 } }));
	},
});
