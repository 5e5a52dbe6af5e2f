// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

const OMS_ORDER_API = "oms_omnichannel.api.v1.orders";

frappe.ui.form.on("OMS Order", {
	setup(frm) {
		frm.set_query("item", "items", () => ({ filters: { disabled: 0 } }));
		frm.set_query("pickup_location", () => ({ filters: { can_pickup: 1, disabled: 0 } }));
		frm.set_query("delivery_method", () => ({ filters: { is_active: 1 } }));
		frm.set_query("sales_channel", () => ({ filters: { is_active: 1 } }));
	},

	refresh(frm) {
		frm.trigger("show_status");
		frm.trigger("warn_low_stock");
		if (frm.doc.docstatus === 1) frm.trigger("show_shipments");
		if (frm.doc.docstatus !== 1) return;
		const status = frm.doc.status;
		// What the status machine allows now: core/order_status.py `allowed_actions`, sent by the
		// controller's onload; the server checks the same rule again on every action.
		const allowed = new Set(frm.doc.__onload?.allowed_actions || []);
		const call = (method, args, message) => order_action(frm, method, args, message);

		if (allowed.has("hold")) {
			frm.add_custom_button(
				__("Hold"),
				() =>
					frappe.prompt(
						[
							{ fieldname: "hold_type", label: __("Hold Type"), fieldtype: "Link", options: "OMS Hold Type", reqd: 1, default: "Manual" },
							{ fieldname: "reason", label: __("Reason"), fieldtype: "Small Text", reqd: 1 },
						],
						(values) => call("hold", values, __("Order held")),
						__("Hold Order")
					),
				__("Actions")
			);
		}
		if (allowed.has("release")) {
			frm.add_custom_button(
				__("Release Hold"),
				() =>
					frappe.prompt(
						[
							{ fieldname: "hold_type", label: __("Hold Type (empty: all)"), fieldtype: "Link", options: "OMS Hold Type" },
							{ fieldname: "note", label: __("Note"), fieldtype: "Small Text" },
						],
						(values) => call("release_hold", values, __("Hold released")),
						__("Release Hold")
					),
				__("Actions")
			);
		}
		if (allowed.has("modify")) {
			frm.add_custom_button(__("Modify"), () => frm.trigger("modify_dialog"), __("Actions"));
		}
		if (allowed.has("modify") && !allowed.has("release")) {
			// lines are sourced again: a change to an order that has not shipped, never while held
			frm.add_custom_button(
				__("Location Rejects Lines"),
				() => {
					const locations = [...new Set(frm.doc.items.filter((r) => r.reserved_qty > 0).map((r) => r.fulfilment_location))];
					frappe.prompt(
						[
							{ fieldname: "location", label: __("Location"), fieldtype: "Select", options: locations, reqd: 1, default: locations[0] },
							{ fieldname: "reason", label: __("Reason"), fieldtype: "Select", options: "Not Found\nDamaged\nToo Busy", reqd: 1 },
							{ fieldname: "note", label: __("Note"), fieldtype: "Small Text" },
						],
						(values) => {
							const lines = frm.doc.items
								.filter((r) => r.reserved_qty > 0 && r.fulfilment_location === values.location)
								.map((r) => r.name);
							call("reject", { ...values, lines }, __("Lines sourced again"));
						},
						__("A location cannot fulfil its lines")
					);
				},
				__("Actions")
			);
		}
		if (allowed.has("split")) {
			frm.add_custom_button(
				__("Split"),
				() =>
					frappe.prompt(
						{ fieldname: "by", label: __("Split By"), fieldtype: "Select", options: "location\navailability", reqd: 1 },
						(values) => call("split", values).then((r) => frappe.msgprint(__("New orders: {0}", [r.new_orders.map((o) => o.name).join(", ")]))),
						__("Split Order")
					),
				__("Actions")
			);
		}
		if (allowed.has("cancel")) {
			frm.add_custom_button(__("Cancel Order"), () => frm.trigger("cancel_with_reason"), __("Actions"));
		}
		if (allowed.has("ship")) {
			frm.add_custom_button(
				__("Shipment"),
				() =>
					frappe
						.call({
							method: "oms_omnichannel.api.v1.shipments.make_shipment",
							args: { order: frm.doc.name },
							type: "GET", // it only reads: the API answers GET alone
						})
						.then((r) => {
							const doc = frappe.model.sync(r.message)[0];
							frappe.set_route("Form", doc.doctype, doc.name);
						}),
				__("Create")
			);
		}
		if (["Partially Shipped", "Shipped", "Completed"].includes(status)) {
			frm.add_custom_button(__("Return"), () => {
				frappe.new_doc("Return Request", { order: frm.doc.name }).then(() => {
					cur_frm.clear_table("items"); // a new form starts with one empty row
					for (const row of frm.doc.items.filter((r) => r.shipped_qty - r.returned_qty > 0)) {
						cur_frm.add_child("items", { order_item: row.name, item: row.item, qty: row.shipped_qty - row.returned_qty });
					}
					cur_frm.refresh_field("items");
				});
			}, __("Create"));
		}
	},

	before_cancel(frm) {
		// The standard Cancel button: an order is cancelled only with a reason (the controller's
		// before_cancel refuses one without), so ask for it and cancel through the same action.
		frappe.validated = false;
		frm.trigger("cancel_with_reason");
	},

	cancel_with_reason(frm) {
		frappe.prompt(
			{ fieldname: "reason", label: __("Reason"), fieldtype: "Small Text", reqd: 1 },
			(values) => order_action(frm, "cancel", values, __("Order cancelled")),
			__("Cancel Order"),
			__("Cancel Order")
		);
	},

	customer(frm) {
		if (!frm.doc.customer || frm.doc.shipping_address_line1) return;
		frappe.db
			.get_value("Customer Profile", frm.doc.customer, [
				"full_name",
				"phone",
				"address_line1",
				"address_line2",
				"city",
				"postcode",
				"region",
				"country",
			])
			.then(({ message: c }) => {
				if (!c) return;
				frm.set_value({
					shipping_name: c.full_name,
					shipping_phone: c.phone,
					shipping_address_line1: c.address_line1,
					shipping_address_line2: c.address_line2,
					shipping_city: c.city,
					shipping_postcode: c.postcode,
					shipping_region: c.region,
					shipping_country: c.country,
				});
			});
	},

	show_shipments(frm) {
		frappe.db
			.get_list("OMS Shipment", {
				filters: { order: frm.doc.name, docstatus: 1 },
				fields: ["name", "status", "source_location", "tracking_number", "promised_date"],
				order_by: "creation asc",
			})
			.then((shipments) => {
				if (!shipments.length) return;
				const rows = shipments
					.map(
						(s) => `<tr><td><a href="/app/oms-shipment/${s.name}">${s.name}</a></td>
						<td><span class="indicator-pill ${["Delivered", "Picked Up"].includes(s.status) ? "green" : "blue"}">${__(s.status)}</span></td>
						<td>${frappe.utils.escape_html(s.source_location || "")}</td>
						<td>${frappe.utils.escape_html(s.tracking_number || "")}</td>
						<td>${s.promised_date ? frappe.datetime.str_to_user(s.promised_date) : ""}</td></tr>`
					)
					.join("");
				frm.dashboard.add_section(
					`<table class="table table-sm"><thead><tr><th>${__("Shipment")}</th><th>${__("Status")}</th><th>${__("From")}</th><th>${__("Tracking")}</th><th>${__("Promised")}</th></tr></thead><tbody>${rows}</tbody></table>`,
					__("Shipments")
				);
			});
	},

	sales_channel(frm) {
		frm.trigger("warn_low_stock");
	},

	warn_low_stock(frm) {
		// Lines the order's channel cannot promise in full (available to promise after the channel's
		// buffer, api/v1/inventory.atp): before submitting, and while a submitted order waits for stock.
		// Each check supersedes the ones before it: an answer that arrives late (an item changed
		// again meanwhile) is dropped, or it would show the warning of a line that is gone.
		const check = (frm.__low_stock_check = (frm.__low_stock_check || 0) + 1);
		const waiting = frm.doc.docstatus === 0 || frm.doc.status === "Pending";
		const open_qty = (r) => flt(r.qty) - flt(r.cancelled_qty) - flt(r.shipped_qty) - flt(r.reserved_qty);
		const lines = (frm.doc.items || []).filter((r) => r.item && open_qty(r) > 0);
		if (!waiting || !frm.doc.sales_channel || !lines.length || !frappe.model.can_read("OMS Stock Balance")) {
			set_low_stock_message(frm, "");
			return;
		}
		const items = [...new Set(lines.map((r) => r.item))];
		Promise.all([
			frappe.db.get_list("OMS Item", { filters: { name: ["in", items], is_stock_item: 1 }, fields: ["name"], limit: items.length }),
			frappe.call({ method: "oms_omnichannel.api.v1.inventory.atp", type: "GET", args: { items, sales_channel: frm.doc.sales_channel } }),
		]).then(([stock_items, r]) => {
			if (check !== frm.__low_stock_check) return;
			const stocked = (stock_items || []).map((i) => i.name);
			const atp = (r.message && r.message.items) || {};
			const needed = {};
			for (const row of lines.filter((r) => stocked.includes(r.item))) {
				needed[row.item] = (needed[row.item] || 0) + open_qty(row);
			}
			const short = Object.entries(needed).filter(([item, qty]) => flt(atp[item] && atp[item].total) < qty);
			if (!short.length) {
				set_low_stock_message(frm, "");
				return;
			}
			const rows = short.map(
				([item, qty]) =>
					`<li>${__("{0}: {1} needed, {2} available to promise on {3}", [
						`<b>${frappe.utils.escape_html(item)}</b>`,
						format_number(qty),
						format_number(flt(atp[item] && atp[item].total)),
						frappe.utils.escape_html(frm.doc.sales_channel),
					])}</li>`
			);
			set_low_stock_message(
				frm,
				`${__("Low stock: these lines cannot be reserved in full and will wait for stock.")}<ul class="mb-0">${rows.join("")}</ul>`
			);
		});
	},

	show_status(frm) {
		const active = (frm.doc.holds || []).filter((h) => !h.released);
		if (active.length) {
			frm.dashboard.set_headline_alert(
				active.map((h) => `<b>${__(h.hold_type)}</b>: ${frappe.utils.escape_html(h.reason || "")}`).join("<br>"),
				"yellow"
			);
		}
		if (frm.doc.merged_into) {
			frm.set_intro(__("Merged into {0}", [`<a href="/app/oms-order/${frm.doc.merged_into}">${frm.doc.merged_into}</a>`]));
		}
	},

	modify_dialog(frm) {
		const dialog = new frappe.ui.Dialog({
			title: __("Modify {0}", [frm.doc.name]),
			size: "large",
			fields: [
				{
					fieldname: "items",
					fieldtype: "Table",
					label: __("Items"),
					cannot_add_rows: false,
					in_place_edit: true,
					data: frm.doc.items.map((r) => ({ name: r.name, item: r.item, qty: r.qty, rate: r.rate })),
					fields: [
						{ fieldname: "name", fieldtype: "Data", hidden: 1 },
						{ fieldname: "item", fieldtype: "Link", options: "OMS Item", label: __("Item"), in_list_view: 1, reqd: 1 },
						{ fieldname: "qty", fieldtype: "Float", label: __("Quantity"), in_list_view: 1, reqd: 1 },
						{ fieldname: "rate", fieldtype: "Currency", label: __("Rate"), in_list_view: 1 },
					],
				},
				{ fieldname: "delivery_method", fieldtype: "Link", options: "Delivery Method", label: __("Delivery Method"), default: frm.doc.delivery_method },
				{ fieldname: "shipping_address_line1", fieldtype: "Data", label: __("Address Line 1"), default: frm.doc.shipping_address_line1 },
				{ fieldname: "shipping_city", fieldtype: "Data", label: __("City"), default: frm.doc.shipping_city },
				{ fieldname: "shipping_postcode", fieldtype: "Data", label: __("Postcode"), default: frm.doc.shipping_postcode },
			],
			primary_action_label: __("Save Changes"),
			primary_action(values) {
				const changes = {};
				for (const key of ["delivery_method", "shipping_address_line1", "shipping_city", "shipping_postcode"]) {
					if ((values[key] || "") !== (frm.doc[key] || "")) changes[key] = values[key];
				}
				changes.items = values.items.map((r) => (r.name ? r : { item: r.item, qty: r.qty, rate: r.rate }));
				frappe
					.call({ method: `${OMS_ORDER_API}.modify`, args: { order: frm.doc.name, changes }, freeze: true })
					.then(() => {
						dialog.hide();
						frm.reload_doc();
					});
			},
		});
		dialog.show();
	},
});

frappe.ui.form.on("OMS Order Item", {
	item: (frm) => frm.trigger("warn_low_stock"),
	qty: (frm, cdt, cdn) => {
		update_line_amount(frm, cdt, cdn);
		frm.trigger("warn_low_stock");
	},
	rate: (frm, cdt, cdn) => update_line_amount(frm, cdt, cdn),
	discount_amount: (frm, cdt, cdn) => update_line_amount(frm, cdt, cdn),
	tax_amount: (frm, cdt, cdn) => update_line_amount(frm, cdt, cdn),
});

function order_action(frm, method, args, message) {
	// One of the order actions of api/v1/orders.py on this order, then the form shows the result.
	return frappe
		.call({ method: `${OMS_ORDER_API}.${method}`, args: { order: frm.doc.name, ...args }, freeze: true })
		.then((r) => {
			if (message) frappe.show_alert({ message, indicator: "green" });
			frm.reload_doc();
			return r.message;
		});
}

function set_low_stock_message(frm, html) {
	// The form's message area holds every headline (holds, merged, this one): replace only ours.
	const $area = frm.layout.message;
	$area.children().has(".oms-low-stock").remove();
	if (html) {
		frm.dashboard.set_headline_alert(`<div class="oms-low-stock">${html}</div>`, "orange");
	} else if (!$area.children().not(".close-message").length) {
		$area.empty().addClass("hidden");
	}
}

function update_line_amount(frm, cdt, cdn) {
	// A preview while typing; the server computes the amounts exactly (to the cent) on save.
	const row = locals[cdt][cdn];
	const value = flt(row.qty) * flt(row.rate);
	frappe.model.set_value(cdt, cdn, "amount", value - flt(row.discount_amount) + flt(row.tax_amount));
}
