// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.listview_settings["Reorder Suggestion"] = {
	add_fields: ["status", "suggested_qty"],
	get_indicator(doc) {
		const colours = { Open: "red", Ordered: "blue", Dismissed: "gray", Closed: "green" };
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
	onload(listview) {
		const method = "oms_omnichannel.oms_omnichannel.doctype.reorder_suggestion.reorder_suggestion.set_status";
		for (const status of ["Ordered", "Dismissed"]) {
			listview.page.add_actions_menu_item(__("Mark as {0}", [__(status)]), () => {
				const names = listview.get_checked_items(true);
				if (!names.length) {
					frappe.msgprint(__("Select suggestions first"));
					return;
				}
				frappe
					.call({ method, args: { names, status }, freeze: true })
					.then(() => listview.refresh());
			});
		}
	},
};
