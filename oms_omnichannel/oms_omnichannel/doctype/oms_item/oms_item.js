// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Item", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Channel Listings"), () =>
				frappe.set_route("List", "Channel Listing", { item: frm.doc.name })
			);
			frm.trigger("show_often_bought_with");
		}
	},
	show_often_bought_with(frm) {
		// Association rules stored by the customer analysis (OMS Item Affinity), strongest first.
		frappe.db
			.get_list("OMS Item Affinity", {
				filters: { item: frm.doc.name },
				fields: ["other_item", "support", "confidence", "lift"],
				order_by: "lift desc, confidence desc",
				limit: 5,
			})
			.then((rules) => {
				if (!rules.length) return;
				const rows = rules
					.map(
						(r) => `<tr>
							<td><a href="/app/oms-item/${encodeURIComponent(r.other_item)}">${frappe.utils.escape_html(r.other_item)}</a></td>
							<td class="text-right">${format_number(r.confidence * 100, null, 1)}%</td>
							<td class="text-right">${format_number(r.lift, null, 2)}</td>
							<td class="text-right">${format_number(r.support * 100, null, 2)}%</td>
						</tr>`
					)
					.join("");
				frm.dashboard.add_section(
					`<table class="table table-sm">
						<thead><tr><th>${__("Item")}</th><th class="text-right">${__("Confidence")}</th>
						<th class="text-right">${__("Lift")}</th><th class="text-right">${__("Support")}</th></tr></thead>
						<tbody>${rows}</tbody>
					</table>`,
					__("Often Bought With")
				);
			});
	},
	safety_stock(frm) {
		if (!frm.doc.reorder_level) {
			frm.set_value("reorder_level", frm.doc.safety_stock);
		}
	},
});
