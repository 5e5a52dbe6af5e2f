// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Sales Channel", {
	setup(frm) {
		frm.set_query("store_location", () => ({
			filters: { disabled: 0, location_type: ["in", ["Store", "Dark Store"]] },
		}));
		frm.set_query("location", "fulfilment_locations", () => ({ filters: { disabled: 0, can_ship: 1 } }));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Listings"), () =>
				frappe.set_route("List", "Channel Listing", { sales_channel: frm.doc.name })
			);
		}
	},
	channel_type(frm) {
		if (frm.doc.channel_type !== "Physical Store") {
			frm.set_value("store_location", null);
		}
	},
});
