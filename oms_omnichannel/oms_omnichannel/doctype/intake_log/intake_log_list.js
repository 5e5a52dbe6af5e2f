// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.listview_settings["Intake Log"] = {
	add_fields: ["outcome"],
	get_indicator(doc) {
		const colours = {
			Created: "green",
			Replayed: "blue",
			Applied: "green",
			Ignored: "gray",
			Failed: "red",
			Queued: "orange",
		};
		return [__(doc.outcome), colours[doc.outcome] || "gray", "outcome,=," + doc.outcome];
	},
	onload(listview) {
		listview.page.add_actions_menu_item(__("Replay"), () => {
			const logs = listview.get_checked_items(true);
			frappe
				.call({ method: "oms_omnichannel.api.v1.orders.replay_intake", args: { logs }, freeze: true })
				.then(() => listview.refresh());
		});
	},
};
