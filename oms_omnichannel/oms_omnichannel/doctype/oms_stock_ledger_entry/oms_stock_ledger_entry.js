// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Stock Ledger Entry", {
	refresh(frm) {
		frm.set_intro(__("Ledger entries are append-only: cancel the voucher to reverse them."), "blue");
	},
});
