// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("Sales Channel", {
	setup(frm) {
		frm.set_query("store_location", () => ({
			filters: { disabled: 0, location_type: ["in", ["Store", "Dark Store"]] },
		}));
		frm.set_query("location", "fulfilment_locations", () => ({ filters: { disabled: 0, can_ship: 1 } }));
	},
	refresh(frm) {
		frm.trigger("show_webhook_url");
		if (!frm.is_new()) {
			frm.add_custom_button(__("Listings"), () =>
				frappe.set_route("List", "Channel Listing", { sales_channel: frm.doc.name })
			);
			frm.add_custom_button(__("Orders"), () =>
				frappe.set_route("List", "OMS Order", { sales_channel: frm.doc.name })
			);
			frm.add_custom_button(__("Performance Report"), () =>
				frappe.set_route("query-report", "Channel Performance", { sales_channel: frm.doc.name })
			);
			if (frm.doc.store_location) {
				frm.add_custom_button(__("Pickups at this Store"), () =>
					frappe.set_route("List", "OMS Order", {
						pickup_location: frm.doc.store_location,
						status: ["in", ["Pending", "Processing", "Partially Shipped", "Shipped"]],
					})
				);
			}
			frm.trigger("show_stats");
		}
	},
	show_stats(frm) {
		frappe
			.call({
				method: "oms_omnichannel.channels.stats.get_channel_stats",
				args: { sales_channel: frm.doc.name },
			})
			.then(({ message }) => {
				if (!message || !message.current) return;
				const now = message.current;
				const before = message.previous || {};
				const fmt = (v) => format_currency(v || 0, frm.doc.currency);
				const change = (v) =>
					v == null ? "" : ` <span class="${v >= 0 ? "text-success" : "text-danger"}">(${v > 0 ? "+" : ""}${v}%)</span>`;
				frm.dashboard.add_section(
					`<div class="row">
						<div class="col-sm-2"><div class="text-muted small">${__("Orders, 30 days")}</div><h4>${now.orders}${change(message.orders_change)}</h4></div>
						<div class="col-sm-3"><div class="text-muted small">${__("Revenue")}</div><h4>${fmt(now.revenue)}${change(message.revenue_change)}</h4></div>
						<div class="col-sm-2"><div class="text-muted small">${__("Avg Order")}</div><h4>${fmt(now.average_order_value)}</h4></div>
						<div class="col-sm-2"><div class="text-muted small">${__("Cancelled")}</div><h4>${now.cancellation_rate}%</h4></div>
						<div class="col-sm-2"><div class="text-muted small">${__("Returned")}</div><h4>${now.return_rate}%</h4></div>
						<div class="col-sm-1"><div class="text-muted small">${__("Rating")}</div><h4>${now.average_rating ?? "–"}</h4></div>
					</div>
					<div class="text-muted small">${__("Previous 30 days: {0} orders, {1}", [before.orders || 0, fmt(before.revenue)])}</div>`,
					__("Last 30 Days")
				);
			});
	},
	channel_type(frm) {
		if (frm.doc.channel_type !== "Physical Store") {
			frm.set_value("store_location", null);
		}
	},
	platform(frm) {
		frm.trigger("show_webhook_url");
	},
	show_webhook_url(frm) {
		const field = frm.get_field("webhook_url");
		if (!field) return;
		const url = frm.doc.__onload && frm.doc.__onload.webhook_url;
		if (frm.is_new() || !url) {
			field.$wrapper.html(
				`<p class="text-muted small">${__("Save the channel to see the URL its platform's webhooks go to.")}</p>`
			);
			return;
		}
		const topics =
			frm.doc.platform === "Shopify"
				? "orders/create, orders/updated, orders/cancelled, refunds/create (JSON)"
				: "Order created, Order updated (API version WP REST API Integration v3)";
		field.$wrapper.html(
			`<div class="form-group">
				<label class="control-label">${__("Webhook URL")}</label>
				<pre class="small" style="white-space: pre-wrap">${frappe.utils.escape_html(url)}</pre>
				<p class="text-muted small">${__("Point these webhooks of {0} at this URL: {1}. Each is verified with the Webhook Secret.", [frappe.utils.escape_html(frm.doc.platform), topics])}</p>
			</div>`
		);
	},
});
