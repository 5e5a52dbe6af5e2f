// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Hold Rule", {
	refresh(frm) {
		frm.set_intro(
			__("Orders that meet every condition below are held with this type when submitted, and released when they no longer meet them."),
			"blue"
		);
	},
});
