// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Sourcing Rule", {
	setup(frm) {
		for (const field of ["allowed_locations", "preferred_locations"]) {
			frm.set_query("location", field, () => ({ filters: { disabled: 0 } }));
		}
	},
});
