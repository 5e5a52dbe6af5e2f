// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Merge Suggestion", {
	refresh(frm) {
		const roles = ["Customer Service", "OMS Manager", "System Manager"];
		if (frm.is_new() || frm.doc.status !== "Open" || !roles.some((r) => frappe.user.has_role(r))) return;
		const call = (method) =>
			frappe
				.xcall(`oms_omnichannel.customers.merge.${method}`, { suggestion: frm.doc.name })
				.then(() => frm.reload_doc());
		frm.add_custom_button(__("Merge {0} into {1}", [frm.doc.other_profile, frm.doc.profile]), () =>
			frappe.confirm(__("Move everything of {0} to {1}?", [frm.doc.other_profile, frm.doc.profile]), () =>
				call("accept")
			)
		);
		frm.add_custom_button(__("Dismiss"), () => call("dismiss"));
	},
});
