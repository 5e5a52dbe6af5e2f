// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.listview_settings["OMS Item Affinity"] = {
	onload(listview) {
		if (!frappe.user.has_role(["OMS Manager", "OMS Analyst", "System Manager"])) return;
		listview.page.add_inner_button(__("Run Customer Analysis"), () =>
			frappe
				.call({ method: "oms_omnichannel.customers.analysis.run_now", type: "POST" })
				.then(() =>
					frappe.show_alert({
						message: __("Customer analysis queued: segments and affinities refresh in a few minutes"),
						indicator: "green",
					})
				)
		);
	},
};
