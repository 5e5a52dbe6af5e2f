// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Reorder Suggestion", {
	refresh(frm) {
		if (frm.doc.status === "Open" && !frm.is_new()) {
			frm.add_custom_button(__("Create Receipt"), () => {
				frappe.new_doc("OMS Stock Entry", { entry_type: "Receipt", to_location: frm.doc.location }).then(() => {
					const row = cur_frm.add_child("items", { item: frm.doc.item, qty: frm.doc.suggested_qty });
					cur_frm.refresh_field("items");
					return row;
				});
			});
		}
	},
});
