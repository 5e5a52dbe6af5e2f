// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

const OMS_ORDER_COLOURS = {
	Draft: "red",
	Pending: "orange",
	Processing: "blue",
	"Partially Shipped": "purple",
	Shipped: "cyan",
	Completed: "green",
	"On Hold": "yellow",
	Cancelled: "gray",
	Merged: "gray",
};

frappe.listview_settings["OMS Order"] = {
	add_fields: ["status", "grand_total", "currency", "sales_channel"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		return [__(doc.status), OMS_ORDER_COLOURS[doc.status] || "gray", "status,=," + doc.status];
	},
	onload(listview) {
		listview.page.add_actions_menu_item(__("Merge Orders"), () => {
			const orders = listview.get_checked_items(true);
			if (orders.length < 2) {
				frappe.msgprint(__("Select at least two orders of the same customer"));
				return;
			}
			frappe
				.call({ method: "oms_omnichannel.api.v1.orders.merge", args: { orders }, freeze: true })
				.then((r) => frappe.set_route("Form", "OMS Order", r.message.name));
		});
	},
};
