// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Stock Location", {
	refresh(frm) {
		if (!frm.is_new() && !(frm.doc.latitude || frm.doc.longitude)) {
			frm.dashboard.add_comment(
				__("This location has no coordinates: sourcing cannot measure its distance to customers and it is missing from the map. Set Latitude and Longitude."),
				"orange",
				true
			);
		}
		if (frm.doc.latitude && frm.doc.longitude) {
			frm.add_custom_button(__("Open in OpenStreetMap"), () => {
				const { latitude, longitude } = frm.doc;
				window.open(
					`https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`
				);
			});
		}
		frm.add_custom_button(__("All Locations on Map"), () => frappe.set_route("List", "Stock Location", "Map"));
	},
});
