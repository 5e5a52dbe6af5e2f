// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

// The store's pickup counter: type (or scan) the customer's 6-digit code, see the order and what to
// hand over, confirm. Finding: logistics/pickup.find_pickup (only the shipments the user may read);
// handing over: the shipment's own confirm_pickup, which checks the code again.
frappe.pages["pickup-counter"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Pickup Counter"), single_column: true });
	wrapper.pickup_counter = new PickupCounter(page);
};

frappe.pages["pickup-counter"].on_page_show = function (wrapper) {
	wrapper.pickup_counter && wrapper.pickup_counter.focus();
};

class PickupCounter {
	constructor(page) {
		this.page = page;
		this.$body = $(`
			<div class="pickup-counter">
				<form class="pickup-search" autocomplete="off">
					<label class="pickup-label" for="pickup-code">${__("Customer's pickup code")}</label>
					<div class="pickup-row">
						<input id="pickup-code" class="form-control pickup-code" name="code" inputmode="numeric"
							maxlength="6" pattern="[0-9]{6}" placeholder="000000" aria-label="${__("Pickup Code")}">
						<button type="submit" class="btn btn-primary btn-lg pickup-find">${__("Find")}</button>
						<button type="button" class="btn btn-default btn-lg pickup-scan">${__("Scan")}</button>
					</div>
					<div class="pickup-hint text-muted">${__("Type the 6 digits the customer shows, or scan the code from their message.")}</div>
				</form>
				<div class="pickup-result"></div>
			</div>`).appendTo(page.main);
		this.$code = this.$body.find(".pickup-code");
		this.$result = this.$body.find(".pickup-result");
		this.$body.find(".pickup-search").on("submit", (e) => {
			e.preventDefault();
			this.find();
		});
		this.$code.on("input", () => {
			const digits = this.$code.val().replace(/\D/g, "").slice(0, 6);
			this.$code.val(digits);
			if (digits.length === 6) this.find();
		});
		this.$body.find(".pickup-scan").on("click", () => this.scan());
		this.focus();
	}

	focus() {
		setTimeout(() => this.$code.trigger("focus"), 100);
	}

	scan() {
		if (!frappe.ui.Scanner) {
			frappe.msgprint(__("This browser cannot scan: type the code."));
			return;
		}
		new frappe.ui.Scanner({
			dialog: true,
			multiple: false,
			on_scan: (data) => {
				this.$code.val(String(data.decodedText || data || "").replace(/\D/g, "").slice(0, 6));
				this.find();
			},
		});
	}

	find() {
		const code = this.$code.val().trim();
		if (!/^\d{6}$/.test(code)) {
			this.show_message(__("A pickup code has 6 digits."), "orange");
			return;
		}
		if (this.busy) return;
		this.busy = true;
		frappe
			.call({ method: "oms_omnichannel.logistics.pickup.find_pickup", args: { code }, type: "GET" })
			.then((r) => this.show(code, r.message || []))
			.always(() => (this.busy = false));
	}

	show(code, parcels) {
		if (!parcels.length) {
			this.show_message(__("No parcel is waiting for pickup with code {0} here.", [code]), "red");
			return;
		}
		this.$result.empty();
		for (const parcel of parcels) this.render(code, parcel);
	}

	render(code, parcel) {
		const esc = frappe.utils.escape_html;
		const lines = parcel.items
			.map(
				(row) => `<tr><td class="pickup-qty">${format_number(row.qty, null, flt(row.qty) % 1 ? 3 : 0)} ×</td>
					<td><b>${esc(row.item_name || row.item)}</b><div class="text-muted small">${esc(row.item)}</div></td></tr>`
			)
			.join("");
		const $card = $(`
			<div class="pickup-card" data-shipment="${esc(parcel.shipment)}">
				<div class="pickup-customer">${esc(parcel.customer_name || "")}</div>
				<div class="pickup-meta text-muted">
					${__("Order")} <a href="/app/oms-order/${encodeURIComponent(parcel.order)}">${esc(parcel.order)}</a>
					· ${__("Shipment")} <a href="/app/oms-shipment/${encodeURIComponent(parcel.shipment)}">${esc(parcel.shipment)}</a>
					· ${esc(parcel.location || "")}
					${parcel.packages ? " · " + __("{0} package(s)", [parcel.packages]) : ""}
				</div>
				<div class="pickup-handover-title">${__("Hand over")}</div>
				<table class="table pickup-lines"><tbody>${lines}</tbody></table>
				<button class="btn btn-success btn-lg btn-block pickup-confirm">${__("Confirm Handover")}</button>
			</div>`).appendTo(this.$result);
		$card.find(".pickup-confirm").on("click", (e) => this.confirm(code, parcel, $(e.currentTarget)));
	}

	confirm(code, parcel, $button) {
		$button.prop("disabled", true);
		frappe
			.call({
				method: "run_doc_method",
				args: { dt: "OMS Shipment", dn: parcel.shipment, method: "confirm_pickup", args: JSON.stringify({ code }) },
				freeze: true,
				freeze_message: __("Confirming..."),
			})
			.then(() => {
				this.$code.val("");
				this.show_message(
					__("Handed over: {0} collected order {1}.", [frappe.utils.escape_html(parcel.customer_name || ""), parcel.order]),
					"green"
				);
				frappe.show_alert({ message: __("Pickup confirmed"), indicator: "green" });
				this.focus();
			})
			.fail(() => $button.prop("disabled", false));
	}

	show_message(text, colour) {
		this.$result.html(`<div class="pickup-message alert alert-${{ red: "danger", orange: "warning", green: "success" }[colour]}">${text}</div>`);
	}
}
