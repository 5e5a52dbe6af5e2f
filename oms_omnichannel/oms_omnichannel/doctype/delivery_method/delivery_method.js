// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Delivery Method", {
	setup(frm) {
		frm.set_query("carrier", () => ({ filters: { is_active: 1 } }));
	},
	delivery_type(frm) {
		if (frm.doc.delivery_type === "Self Pickup") {
			frm.set_value("carrier", null);
		}
	},
});
