// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Carrier", {
	refresh(frm) {
		if (frm.doc.tracking_url_template && !frm.is_new()) {
			frm.add_custom_button(__("Try Tracking Link"), () => {
				frappe.prompt(
					{ fieldname: "tracking_number", label: __("Tracking Number"), fieldtype: "Data", reqd: 1 },
					({ tracking_number }) =>
						window.open(
							frm.doc.tracking_url_template.replace(
								"{tracking_number}",
								encodeURIComponent(tracking_number)
							)
						),
					__("Open the carrier's tracking page")
				);
			});
		}
	},
});
