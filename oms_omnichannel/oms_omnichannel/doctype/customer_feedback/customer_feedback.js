// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Customer Feedback", {
	refresh(frm) {
		frm.trigger("limit_status_options");
		const returnable = ["Partially Shipped", "Shipped", "Completed"];
		if (!frm.is_new() && frm.doc.feedback_type === "Complaint" && frm.doc.order) {
			frappe.db.get_value("OMS Order", frm.doc.order, "status").then((r) => {
				if (!returnable.includes(r.message && r.message.status)) return;
				frm.add_custom_button(__("Create Return"), () =>
					frappe
						.call({
							method: "oms_omnichannel.api.v1.feedback.make_return",
							args: { feedback: frm.doc.name },
							type: "GET", // it only reads: the API answers GET alone
						})
						.then((r) => {
							const doc = frappe.model.sync(r.message)[0];
							frappe.set_route("Form", doc.doctype, doc.name);
						})
				);
			});
		}
	},

	limit_status_options(frm) {
		// The status machine lives in core/feedback.py: offer only the moves it allows.
		if (frm.is_new()) return;
		const current = frm.doc.status;
		frappe
			.call({
				method: "oms_omnichannel.oms_omnichannel.doctype.customer_feedback.customer_feedback.next_statuses",
				args: { status: current },
			})
			.then((r) => frm.set_df_property("status", "options", [current, ...(r.message || [])]));
	},
});
