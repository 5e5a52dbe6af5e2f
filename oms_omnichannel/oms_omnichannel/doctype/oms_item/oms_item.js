// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Item", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Channel Listings"), () =>
				frappe.set_route("List", "Channel Listing", { item: frm.doc.name })
			);
		}
	},
	safety_stock(frm) {
		if (!frm.doc.reorder_level) {
			frm.set_value("reorder_level", frm.doc.safety_stock);
		}
	},
});
