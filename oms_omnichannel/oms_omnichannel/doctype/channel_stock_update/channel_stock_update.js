// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Channel Stock Update", {
	refresh(frm) {
		frm.set_intro(__("Published when what this channel may sell of the item changes."), "blue");
	},
});
