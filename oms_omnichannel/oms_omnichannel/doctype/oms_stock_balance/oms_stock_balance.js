// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Stock Balance", {
	refresh(frm) {
		frm.add_custom_button(__("Stock Ledger"), () =>
			frappe.set_route("List", "OMS Stock Ledger Entry", {
				item: frm.doc.item,
				location: frm.doc.location,
				stock_status: frm.doc.stock_status,
			})
		);
		frm.add_custom_button(__("Reservations"), () =>
			frappe.set_route("List", "OMS Stock Reservation", {
				item: frm.doc.item,
				location: frm.doc.location,
				status: ["in", frm.doc.__onload?.open_reservation_statuses], // inventory.reservations.OPEN_STATUSES
			})
		);
		if (frm.doc.available_qty <= (frm.doc.safety_stock || 0)) {
			frm.dashboard.set_headline_alert(__("Available stock is at or below safety stock"), "red");
		}
	},
});
