// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

const MERGE_ROLES = ["Customer Service", "OMS Manager", "System Manager"];
const ERASURE_APPROVERS = ["OMS Manager", "System Manager"];
const ERASURE = "oms_omnichannel.customers.erasure";

function add_erasure_actions(frm) {
	const status = frm.doc.erasure_status;
	const is_approver = ERASURE_APPROVERS.some((role) => frappe.user.has_role(role));
	if (status === "Anonymised") {
		frm.dashboard.set_headline(__("This customer was anonymised on {0}.", [frappe.datetime.str_to_user(frm.doc.anonymised_on)]));
		frm.disable_form();
		return;
	}
	if (status === "Requested") {
		frm.dashboard.set_headline(__("Erasure requested by {0}; waiting for an OMS Manager.", [frm.doc.erasure_requested_by]));
		if (!is_approver) return;
		frm.add_custom_button(__("Approve Erasure"), () =>
			frappe.confirm(
				__("Anonymise this customer everywhere? Orders are kept, but the name, emails, phones and addresses cannot be brought back."),
				() => frappe.xcall(`${ERASURE}.approve_erasure`, { profile: frm.doc.name }).then(() => frm.reload_doc())
			), __("Erasure"));
		frm.add_custom_button(__("Reject Erasure"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
				({ reason }) => frappe.xcall(`${ERASURE}.reject_erasure`, { profile: frm.doc.name, reason }).then(() => frm.reload_doc()),
				__("Reject Erasure"),
				__("Reject")
			), __("Erasure"));
		return;
	}
	if (status === "Approved" || frm.doc.merged_into) return;
	frm.add_custom_button(__("Request Erasure"), () =>
		frappe.prompt(
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason (for example: the customer's request of ...)") },
			({ reason }) => frappe.xcall(`${ERASURE}.request_erasure`, { profile: frm.doc.name, reason }).then(() => frm.reload_doc()),
			__("Request Erasure"),
			__("Request")
		), __("Erasure"));
}

frappe.ui.form.on("Customer Profile", {
	setup(frm) {
		frm.set_query("sales_channel", "channel_identities", () => ({ filters: { is_active: 1 } }));
		frm.set_query("preferred_store", () => ({ filters: { disabled: 0 } }));
	},

	refresh(frm) {
		if (frm.is_new() || !MERGE_ROLES.some((role) => frappe.user.has_role(role))) return;
		add_erasure_actions(frm);
		if (frm.doc.erasure_status === "Anonymised") return;
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
