// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Intake Log", {
	refresh(frm) {
		if (["Failed", "Queued"].includes(frm.doc.outcome)) {
			frm.add_custom_button(__("Replay"), () =>
				frappe
					.call({
						method: "oms_omnichannel.api.v1.orders.replay_intake",
						args: { logs: [frm.doc.name] },
						freeze: true,
					})
					.then(() => frm.reload_doc())
			).addClass("btn-primary");
		}
		if (frm.doc.outcome === "Queued" && frm.doc.batch_id) {
			// the batch's worker died: queue what is left of the batch again
			frm.add_custom_button(__("Resume Batch"), () =>
				frappe
					.call({
						method: "oms_omnichannel.api.v1.orders.resume_intake_batch",
						args: { batch_id: frm.doc.batch_id },
						freeze: true,
					})
					.then((r) =>
						frappe.show_alert({
							message: __("{0} orders of the batch queued again", [r.message.queued]),
							indicator: "green",
						})
					)
			);
		}
		if (frm.doc.error) {
			frm.dashboard.set_headline_alert(
				frappe.utils.escape_html(frm.doc.error),
				frm.doc.outcome === "Failed" ? "red" : "gray"
			);
		}
	},
});
