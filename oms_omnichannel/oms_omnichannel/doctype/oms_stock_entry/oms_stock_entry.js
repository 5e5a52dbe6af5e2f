// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

frappe.ui.form.on("OMS Stock Entry", {
	setup(frm) {
		for (const field of ["from_location", "to_location"]) {
			frm.set_query(field, () => ({ filters: { disabled: 0 } }));
		}
		frm.set_query("item", "items", () => ({ filters: { disabled: 0, is_stock_item: 1 } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(__("Stock Ledger"), () =>
				frappe.set_route("List", "OMS Stock Ledger Entry", { voucher_no: frm.doc.name })
			);
			if (frm.doc.via_in_transit && !frm.doc.received) {
				frm.add_custom_button(__("Receive at {0}", [frm.doc.to_location]), () =>
					frm.call("receive_in_transit").then(() => frm.reload_doc())
				).addClass("btn-primary");
			}
		}
	},
	entry_type(frm) {
		frm.trigger("toggle_count_columns");
	},
	onload_post_render(frm) {
		frm.trigger("toggle_count_columns");
	},
	toggle_count_columns(frm) {
		const counting = frm.doc.entry_type === "Stock Count";
		const grid = frm.fields_dict.items.grid;
		grid.update_docfield_property("counted_qty", "in_list_view", counting ? 1 : 0);
		grid.update_docfield_property("qty", "read_only", counting ? 1 : 0);
		grid.refresh();
	},
});
