// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

const MERGE_ROLES = ["Customer Service", "OMS Manager", "System Manager"];

frappe.ui.form.on("Customer Profile", {
	setup(frm) {
		frm.set_query("sales_channel", "channel_identities", () => ({ filters: { is_active: 1 } }));
		frm.set_query("preferred_store", () => ({ filters: { disabled: 0 } }));
	},

	refresh(frm) {
		if (frm.is_new() || !MERGE_ROLES.some((role) => frappe.user.has_role(role))) return;
		if (frm.doc.merged_into) {
			frm.dashboard.set_headline(
				__("Merged into {0}", [`<a href="/app/customer-profile/${encodeURIComponent(frm.doc.merged_into)}">${frappe.utils.escape_html(frm.doc.merged_into)}</a>`])
			);
			frm.add_custom_button(__("Unmerge"), () =>
				frappe.confirm(__("Put back everything the merge moved to {0}?", [frm.doc.merged_into]), () =>
					frappe
						.xcall("oms_omnichannel.customers.merge.unmerge", { profile: frm.doc.name })
						.then(() => frm.reload_doc())
				)
			);
			return;
		}
		frm.add_custom_button(__("Merge Another Profile Into This"), () => {
			frappe.prompt(
				{
					fieldname: "profile",
					fieldtype: "Link",
					options: "Customer Profile",
					label: __("Profile to merge into this one"),
					reqd: 1,
					get_query: () => ({ filters: { status: "Active", name: ["!=", frm.doc.name] } }),
				},
				({ profile }) =>
					frappe
						.xcall("oms_omnichannel.customers.merge.merge", { profile, into: frm.doc.name })
						.then(() => frm.reload_doc()),
				__("Merge Profiles"),
				__("Merge")
			);
		});
	},
});
