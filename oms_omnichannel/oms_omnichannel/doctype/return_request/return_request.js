// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Return Request", {
	setup(frm) {
		frm.set_query("order", () => ({
			filters: { docstatus: 1, status: ["in", ["Partially Shipped", "Shipped", "Completed"]] },
		}));
		frm.set_query("return_location", () => ({ filters: { disabled: 0 } }));
	},
});
