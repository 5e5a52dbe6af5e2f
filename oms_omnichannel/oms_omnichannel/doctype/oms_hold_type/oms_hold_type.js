// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Hold Type", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Orders on this Hold"), () =>
				frappe.set_route("List", "OMS Order", { status: "On Hold" })
			);
		}
	},
});
