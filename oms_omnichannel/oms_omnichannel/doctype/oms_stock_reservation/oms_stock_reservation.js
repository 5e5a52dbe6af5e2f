// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Stock Reservation", {
	refresh(frm) {
		frm.set_intro(__("Reservations are made by orders and closed by shipments, cancellations and expiry."), "blue");
	},
});
