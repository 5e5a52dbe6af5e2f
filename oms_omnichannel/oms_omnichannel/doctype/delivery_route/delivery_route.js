// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Delivery Route", {
	setup(frm) {
		frm.set_query("location", () => ({ filters: { disabled: 0, can_ship: 1 } }));
		frm.set_query("shipment", "stops", () => ({
			filters: { docstatus: 1, source_location: frm.doc.location, status: ["in", ["Created", "Picked", "Packed"]] },
		}));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Plan Route"), () =>
				frm.call("plan_route").then((r) => {
					if (r.message === "queued") frappe.show_alert(__("Planning in the background..."));
					frm.reload_doc();
				})
			).addClass("btn-primary");
		}
		if (frm.doc.status === "Planned" && frm.doc.saving_percent != null) {
			frm.dashboard.set_headline_alert(
				__("{0} km instead of {1} km in creation order: {2}% shorter", [
					format_number(frm.doc.total_distance_km, null, 1),
					format_number(frm.doc.unoptimised_distance_km, null, 1),
					format_number(frm.doc.saving_percent, null, 1),
				]),
				"green"
			);
		}
	},
});
