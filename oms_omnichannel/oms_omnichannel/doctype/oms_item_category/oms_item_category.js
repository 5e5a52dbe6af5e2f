// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Item Category", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Items"), () => frappe.set_route("List", "OMS Item", { category: frm.doc.name }));
		}
	},
});
