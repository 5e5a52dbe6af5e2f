// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

const NEXT_STATUSES = {
	Created: ["Picked", "Packed", "In Transit"],
	Picked: ["Packed", "In Transit"],
	Packed: ["In Transit"],
	"In Transit": ["Out for Delivery", "Delivered", "Failed Attempt", "Returned to Sender"],
	"Out for Delivery": ["Delivered", "Failed Attempt"],
	"Failed Attempt": ["Out for Delivery", "Delivered", "Returned to Sender"],
	"Ready for Pickup": ["Returned to Sender"],
};

frappe.ui.form.on("OMS Shipment", {
	setup(frm) {
		frm.set_query("source_location", () => ({ filters: { disabled: 0 } }));
		// The statuses that allow shipping: core/order_status.py statuses_allowing("ship"); a new
		// shipment has no onload to carry them, and the server refuses any other order anyway.
		frm.set_query("order", () => ({ filters: { docstatus: 1, status: ["in", ["Processing", "Partially Shipped"]] } }));
	},
	refresh(frm) {
		frm.trigger("warn_overdue");
		if (frm.doc.docstatus !== 1) return;
		for (const status of NEXT_STATUSES[frm.doc.status] || []) {
			frm.add_custom_button(
				__(status),
				() => frm.call("update_status", { status }).then(() => frm.reload_doc()),
				__("Update Status")
			);
		}
		if (frm.doc.status === "Ready for Pickup") {
			frm.add_custom_button(__("Confirm Pickup"), () =>
				frappe.prompt(
					{ fieldname: "code", label: __("Pickup Code"), fieldtype: "Data", reqd: 1 },
					({ code }) => frm.call("confirm_pickup", { code }).then(() => frm.reload_doc()),
					__("Customer's pickup code")
				)
			).addClass("btn-primary");
		}
		if (frm.doc.tracking_url) {
			frm.add_custom_button(__("Carrier Tracking"), () => window.open(frm.doc.tracking_url));
		}
		if (frm.doc.status === "Ready for Pickup" && frappe.model.can_write("OMS Shipment")) {
			frm.add_custom_button(__("Pickup Counter"), () => frappe.set_route("pickup-counter"));
		}
		if (frm.doc.tracking_token) {
			frm.add_custom_button(__("Customer Tracking Page"), () => window.open(`/track/${frm.doc.tracking_token}`));
		}
	},
	warn_overdue(frm) {
		// Late: the date promised to the customer has passed and the parcel has not arrived.
		const done = ["Delivered", "Picked Up", "Returned to Sender"];
		if (frm.doc.docstatus !== 1 || !frm.doc.promised_date || done.includes(frm.doc.status)) return;
		const late = frappe.datetime.get_day_diff(frappe.datetime.get_today(), frm.doc.promised_date);
		if (late > 0) {
			frm.dashboard.set_headline_alert(
				__("Overdue: promised for {0}, {1} day(s) ago, and still {2}", [
					frappe.datetime.str_to_user(frm.doc.promised_date),
					late,
					__(frm.doc.status),
				]),
				"red"
			);
		}
	},
});
