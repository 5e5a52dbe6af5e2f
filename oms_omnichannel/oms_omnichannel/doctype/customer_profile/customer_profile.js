// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Profile", {
	setup(frm) {
		frm.set_query("sales_channel", "channel_identities", () => ({ filters: { is_active: 1 } }));
	},
});
