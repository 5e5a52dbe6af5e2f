// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Demand Forecast", {
	refresh(frm) {
		if (frappe.user.has_role(["OMS Manager", "Inventory Manager", "System Manager"])) {
			frm.add_custom_button(__("Recompute for this Item"), () => queue_demand_forecasts(frm.doc.item));
		}
		frm.add_custom_button(__("Demand Forecast and Trends"), () =>
			frappe.set_route("query-report", "Demand Forecast and Trends", { item: frm.doc.item })
		);
	},
});

function queue_demand_forecasts(item) {
	frappe
		.xcall("oms_omnichannel.analytics.forecasting.queue_forecasts", item ? { item } : {})
		.then(() => frappe.show_alert({ message: __("Forecasts are being recomputed"), indicator: "blue" }));
}
