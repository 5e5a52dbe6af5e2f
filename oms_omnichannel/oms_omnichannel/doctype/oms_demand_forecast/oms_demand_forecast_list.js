// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.listview_settings["OMS Demand Forecast"] = {
	onload(listview) {
		if (frappe.user.has_role(["OMS Manager", "Inventory Manager", "System Manager"])) {
			listview.page.add_inner_button(__("Recompute All Forecasts"), () =>
				frappe
					.xcall("oms_omnichannel.analytics.forecasting.queue_forecasts")
					.then(() => frappe.show_alert({ message: __("Forecasts are being recomputed"), indicator: "blue" }))
			);
		}
	},
};
