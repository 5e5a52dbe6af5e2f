"""Order actions that change a submitted order's shape: cancel, modify, merge, split.

Each runs in one transaction: plan in the core first (refusals write nothing), then apply.
"""

from __future__ import annotations

import math

import frappe
from frappe import _
from frappe.utils import flt

from oms_omnichannel.core.order_status import OrderAction, OrderStatus
from oms_omnichannel.core.orders.lines import Order
from oms_omnichannel.core.orders.merge import plan_merge
from oms_omnichannel.core.orders.split import (
	SplitChild,
	SplitPlan,
	plan_split,
	plan_split_by_availability,
	plan_split_by_location,
)
from oms_omnichannel.inventory.reservations import open_reservations
from oms_omnichannel.orders import fulfilment, holds
from oms_omnichannel.utils import InvalidArgument, domain_errors

S = OrderStatus
ADDRESS_FIELDS = (
	"shipping_name",
	"shipping_address_line1",
	"shipping_address_line2",
	"shipping_city",
	"shipping_postcode",
	"shipping_region",
	"shipping_country",
	"shipping_phone",
	"shipping_latitude",
	"shipping_longitude",
	"delivery_method",
	"pickup_location",
	"shipping_fee",
	"notes",
)
LINE_FIELDS = ("item", "qty", "rate", "discount_amount", "tax_amount")
NUMBER_FIELDS = {
	"shipping_latitude",
	"shipping_longitude",
	"shipping_fee",
	"qty",
	"rate",
	"discount_amount",
	"tax_amount",
}


def check_change_values(changes: dict) -> None:
	"""Every value of a change of the kind its field holds (text, or a finite number), before
	anything is set: a refusal names the field (`changes.items[2].qty`), nothing is written."""
	for field, value in changes.items():
		if field != "items":
			check_change_value(f"changes.{field}", field, value)
			continue
		if not isinstance(value, list) or not all(isinstance(line, dict) for line in value):
			refuse_change("changes.items", _("must be a list of lines (objects)"))
		for position, line in enumerate(value):
			for name in ("name", *LINE_FIELDS):
				if name in line:
					check_change_value(f"changes.items[{position}].{name}", name, line[name])


def check_change_value(path: str, field: str, value) -> None:
	if value is None:
		return
	if field in NUMBER_FIELDS:
		number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
		if isinstance(value, str):
			try:
				number = float(value)
			except ValueError:
				number = None
		if number is None or not math.isfinite(number):
			refuse_change(path, _("must be a finite number"))
	elif not isinstance(value, str):
		refuse_change(path, _("must be text"))


def refuse_change(path: str, message: str) -> None:
	frappe.throw(f"{path}: {message}", InvalidArgument, title=_("Invalid Change"))


def lock_orders(names: list[str]) -> None:
	"""Row-lock orders in name order so concurrent merges/splits of the same orders queue."""
	for name in sorted(set(names)):
		if not frappe.db.get_value("OMS Order", name, "name", for_update=True):
			frappe.throw(_("Order {0} does not exist").format(frappe.bold(name)), frappe.DoesNotExistError)


def cancel_order(order, reason: str) -> None:
	"""Cancel with a reason: the order's `before_cancel` checks the status and the reason (one rule
	for every way in, Frappe's own Cancel included)."""
	order.flags.cancel_reason = reason
	order.cancel()


def modify_order(order, changes: dict) -> None:
	"""Change quantities, lines, address or delivery method of an order that has not shipped.

	`changes` may hold any of ADDRESS_FIELDS and `items`: the full new list of lines, each with
	`name` (an existing line) or none (a new line). Lines left out are removed. Reservations are
	released and taken again for the new lines; Version history records the before and after.
	"""
	order.check_allowed(OrderAction.MODIFY)
	check_change_values(changes)
	unknown = set(changes) - set(ADDRESS_FIELDS) - {"items"}
	if unknown:
		frappe.throw(
			_("These fields cannot be modified: {0}").format(", ".join(sorted(unknown))),
			title=_("Invalid Change"),
		)
	for fieldname in ADDRESS_FIELDS:
		if fieldname in changes:
			order.set(fieldname, changes[fieldname])
	if "delivery_method" in changes:
		order.delivery_type = frappe.db.get_value(
			"Delivery Method", changes["delivery_method"], "delivery_type"
		)
	if "items" in changes:
		replace_lines(order, changes["items"])
	fulfilment.release_order(order)
	order.validate_delivery()
	order.calculate_totals()
	if order.status != S.ON_HOLD.value:
		if order.status == S.PROCESSING.value:
			order.set_status(S.PENDING.value, _("Order modified: stock is sourced again"), persist=False)
		fulfilment.reserve_order(order)
		order.update_fulfilment_status(_("Stock reserved for the modified order"), persist=False)
	order.add_comment("Edit", _("Order modified: {0}").format(", ".join(sorted(changes))))
	order.save_after_submit()


def replace_lines(order, new_lines: list[dict]) -> None:
	existing = {row.name: row for row in order.items}
	if not new_lines:
		frappe.throw(_("An order needs at least one line"), title=_("No Items"))
	kept = set()
	for position, line in enumerate(new_lines, 1):
		name = line.get("name")
		if name and name not in existing:
			frappe.throw(
				_("Row {0}: line {1} is not on {2}").format(position, name, order.name),
				title=_("Unknown Line"),
			)
		if name:
			row = existing[name]
			if flt(row.shipped_qty) and any(
				field in line and line[field] != row.get(field) for field in LINE_FIELDS
			):
				frappe.throw(
					_("Row {0}: {1} has already shipped and cannot be changed").format(
						row.idx, frappe.bold(row.item)
					),
					title=_("Line Shipped"),
				)
			for field in LINE_FIELDS:
				if field in line:
					row.set(field, line[field])
			kept.add(name)
		else:
			if not frappe.db.exists("OMS Item", line.get("item")):
				frappe.throw(
					_("Row {0}: Item {1} does not exist").format(position, frappe.bold(line.get("item"))),
					frappe.LinkValidationError,
				)
			order.append("items", {field: line.get(field) for field in LINE_FIELDS if field in line})
	for name, row in existing.items():
		if name not in kept:
			if flt(row.shipped_qty):
				frappe.throw(
					_("Row {0}: {1} has already shipped and cannot be removed").format(
						row.idx, frappe.bold(row.item)
					),
					title=_("Line Shipped"),
				)
			order.remove(row)
	for row in order.items:  # new rows need names now: reservations refer to them
		if not row.name:
			row.name = frappe.generate_hash(length=10)


def to_planning_order(order) -> Order:
	return Order(
		name=order.name,
		lines=tuple(order.planning_lines()),
		shipping_fee=flt(order.shipping_fee),
		status=order.status,
		customer=order.customer or "",
		shipping_address="|".join(
			(order.get(f) or "").strip().casefold()
			for f in ("shipping_address_line1", "shipping_city", "shipping_postcode", "shipping_country")
		),
		delivery_method=order.delivery_method or "",
		currency=order.currency or "",
		channel=order.sales_channel,
	)


def merge_orders(names: list[str]) -> str:
	"""Merge orders of one customer and address into a new order; the sources end as Merged.

	Orders already reserved (Processing) merge as long as nothing of them is picked or shipped:
	their reservations are released and the merged order is sourced and reserved again."""
	lock_orders(names)
	sources = [frappe.get_doc("OMS Order", name) for name in names]
	with domain_errors():
		plan = plan_merge([to_planning_order(order) for order in sources])
	refuse_merging_what_is_being_picked(names)
	first = sources[0]
	merged = frappe.copy_doc(first)
	merged.channel_order_id = None
	merged.items, merged.holds, merged.status_log = [], [], []
	merged.merged_into = merged.split_from = None
	merged.shipping_fee = float(plan.order.shipping_fee)
	merged.notes = _("Merged from {0}").format(", ".join(names))
	for line in plan.order.lines:
		merged.append(
			"items",
			{
				"item": line.item,
				"qty": float(line.qty),
				"rate": float(line.rate),
				"discount_amount": float(line.discount_amount),
				"tax_amount": float(line.tax_amount),
				"value": float(line.line_value),
			},
		)
	merged.flags.keep_line_values = True
	# ignore-permissions: api.v1.orders.merge checked write on every source order and create on OMS Order
	merged.insert(ignore_permissions=True)
	carried_holds = []
	for order in sources:
		carried_holds += [(row.hold_type, row.reason, row.rule) for row in holds.active_holds(order)]
		fulfilment.release_order(order)
		for row in holds.active_holds(order):
			row.released, row.release_note = 1, _("Moved to merged order {0}").format(merged.name)
		if order.status == S.ON_HOLD.value:
			order.set_status(
				S.PENDING.value, _("Released for merging into {0}").format(merged.name), persist=False
			)
		order.merged_into = merged.name
		order.set_status(S.MERGED.value, _("Merged into {0}").format(merged.name), persist=False)
		order.save_after_submit()
	merged.submit()
	for hold_type, reason, rule in carried_holds:
		holds.place_hold(merged, hold_type, reason, rule=rule or "", persist=False)
	if carried_holds:
		merged.save_after_submit()
	return merged.name


def refuse_merging_what_is_being_picked(names: list[str]) -> None:
	"""A shipment being prepared (a draft) means picking has started: that order no longer merges."""
	draft = frappe.get_all(
		"OMS Shipment",
		filters={"order": ("in", names), "docstatus": 0},
		fields=["name", "order"],
		order_by="name asc",
		limit=1,
	)
	if draft:
		frappe.throw(
			_("Cannot merge {0}: shipment {1} is being prepared for it").format(
				frappe.bold(draft[0].order), frappe.bold(draft[0].name)
			),
			title=_("Action Not Allowed"),
		)


def split_order(order, groups: list[dict] | None = None, by: str | None = None) -> list[str]:
	"""Split an order: by chosen lines/quantities (`groups`: [{line name: qty}]), or automatically
	`by` "location" (each line's fulfilment location) or "availability" (in stock now vs backorder).

	The first part stays in the order; each other part becomes a new order linked by Split From.
	"""
	lock_orders([order.name])
	order.reload()
	plan = _plan_split(order, groups, by)
	if not plan.needs_split:
		frappe.throw(
			_("{0} does not need splitting").format(frappe.bold(order.name)), title=_("Nothing to Split")
		)
	fulfilment.release_order(order)
	keep, *others = plan.children
	rows = {row.name: row for row in order.items}
	new_names = [_create_split_child(order, child, rows) for child in others]
	_keep_first_child(order, keep, rows)
	if order.status == S.PROCESSING.value:
		order.set_status(S.PENDING.value, _("Split into {0}").format(", ".join(new_names)), persist=False)
	else:
		order.add_comment("Info", _("Split into {0}").format(", ".join(new_names)))
	if order.status != S.ON_HOLD.value:
		fulfilment.reserve_order(order)
		order.update_fulfilment_status(_("Stock reserved after split"), persist=False)
	order.save_after_submit()
	return new_names


def _plan_split(order, groups: list[dict] | None, by: str | None) -> SplitPlan:
	"""The core's split plan for the chosen lines, or by location or availability."""
	core_order = to_planning_order(order)
	with domain_errors():
		if by == "location":
			return plan_split_by_location(core_order, _line_locations(order))
		if by == "availability":
			return plan_split_by_availability(core_order, _reserved_by_item(order))
		if by:
			frappe.throw(
				_("Split by must be location or availability, not {0}").format(by), title=_("Invalid Split")
			)
		return plan_split(core_order, groups or [])


def _line_locations(order) -> dict[str, dict[str, float]]:
	"""Each line's open reservations by location; what no location holds goes to Backorder."""
	line_locations: dict[str, dict[str, float]] = {}
	for row in open_reservations("OMS Order", order.name):
		places = line_locations.setdefault(row.voucher_detail_no, {})
		places[row.location] = places.get(row.location, 0) + flt(row.open_qty)
	for row in order.items:
		left = flt(row.qty) - sum(line_locations.get(row.name, {}).values())
		if left > 0:
			line_locations.setdefault(row.name, {})[_("Backorder")] = left
	return line_locations


def _reserved_by_item(order) -> dict[str, float]:
	"""What is reserved for the order now, by item: the part that can ship without waiting."""
	available = {}
	for row in order.items:
		available[row.item] = available.get(row.item, 0) + flt(row.reserved_qty)
	return available


def _create_split_child(order, child: SplitChild, rows: dict) -> str:
	"""A new submitted order for one child of the split, linked to the parent by Split From."""
	new = frappe.copy_doc(order)
	new.channel_order_id = None
	new.items, new.holds, new.status_log = [], [], []
	new.split_from = order.name
	new.shipping_fee = float(child.shipping_fee)
	for line in child.lines:
		source = rows[line.line_id]
		new.append(
			"items",
			{
				"item": line.item,
				"channel_sku": source.channel_sku,
				"qty": float(line.qty),
				"rate": float(line.rate),
				"discount_amount": float(line.discount_amount),
				"tax_amount": float(line.tax_amount),
				"value": float(line.line_value),
			},
		)
	new.flags.keep_line_values = True
	# ignore-permissions: api.v1.orders.split checked write on the order and create on OMS Order
	new.insert(ignore_permissions=True)
	new.submit()
	return new.name


def _keep_first_child(order, keep: SplitChild, rows: dict) -> None:
	"""The parent keeps the first child's lines (rows of other children removed) and shipping fee."""
	kept_lines = {line.line_id: line for line in keep.lines}
	for name, row in rows.items():
		line = kept_lines.get(name)
		if line is None:
			order.remove(row)
			continue
		row.qty, row.discount_amount, row.tax_amount, row.value = (
			float(line.qty),
			float(line.discount_amount),
			float(line.tax_amount),
			float(line.line_value),
		)
	order.shipping_fee = float(keep.shipping_fee)
	order.flags.keep_line_values = True
	order.calculate_totals()
