"""A location rejects lines it was to fulfil (not on the shelf, damaged, too busy): the stock
says what the reason implies, and the lines are sourced again elsewhere — or wait for a person."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from oms_omnichannel.core import sourcing
from oms_omnichannel.inventory import reservations
from oms_omnichannel.orders import fulfilment, holds
from oms_omnichannel.utils import domain_errors, translated

REASONS = tuple(reason.value for reason in sourcing.RejectionReason)


def reject_lines(
	order, location: str, lines: dict[str, float | None] | list[str], reason: str, note: str = ""
) -> dict:
	"""Apply a store's rejection; returns where the lines went (or that a person must decide)."""
	if order.status not in ("Processing", "Pending"):
		frappe.throw(
			_("Cannot reject lines of {0}: it is {1}").format(frappe.bold(order.name), order.status),
			title=_("Not Allowed"),
		)
	previous = current_assignment(order)
	names = fulfilment.candidate_locations(order)
	with domain_errors():
		outcome = sourcing.resource_after_rejection(
			previous,
			lines,
			location,
			reason,
			lines=[sourcing.OrderLine(row.name, row.item, flt(row.qty)) for row in order.items],
			delivery=sourcing.Delivery(method_type=order.delivery_type or "Standard"),
			locations=[
				c
				for c in fulfilment.load_candidates(names, {}, fulfilment.locations_by_name(names))
				if c.name != location
			]
			+ [sourcing.CandidateLocation(name=location)],
		)
	rejected = lines if isinstance(lines, dict) else dict.fromkeys(lines)
	for line_id, qty in rejected.items():
		reservations.release(
			fulfilment.VOUCHER, order.name, voucher_detail_no=line_id, qty=qty, location=location
		)
	adjust_stock(order, location, reason, outcome)
	fulfilment.refresh_reserved_quantities(order)
	result = fulfilment.reserve_order(order, exclude_locations=(location,))
	still_short = bool(result and result.backorder)
	stamp = now_datetime().strftime("%Y-%m-%d %H:%M")
	history = _("{0}: {1} rejected lines ({2}){3}").format(
		stamp, location, _(reason), f" — {note}" if note else ""
	)
	order.sourcing_explanation = "\n".join(filter(None, [history, order.sourcing_explanation]))
	if still_short:
		holds.place_hold(
			order,
			"Stock",
			_("{0} rejected lines and no other location can fill them; a person must decide").format(
				location
			),
			rule="store_rejection",
			persist=False,
		)
	else:
		order.update_fulfilment_status(
			_("Re-sourced after {0} rejected lines").format(location), persist=False
		)
	order.add_comment("Info", history)
	order.save_after_submit()
	return {"needs_person": still_short, "explanation": [translated(m) for m in outcome.explanation]}


def current_assignment(order) -> dict[str, list[tuple[str, float]]]:
	assignment: dict[str, list[tuple[str, float]]] = {}
	for row in reservations.open_reservations(fulfilment.VOUCHER, order.name):
		assignment.setdefault(row.voucher_detail_no, []).append((row.location, flt(row.open_qty)))
	return assignment


def adjust_stock(order, location: str, reason: str, outcome) -> None:
	"""Not Found: take the missing units off the books and ask for a count. Damaged: move them."""
	if not outcome.movements:
		return
	entry_type = "Issue" if reason == sourcing.RejectionReason.NOT_FOUND.value else "Status Change"
	totals: dict[str, float] = {}
	for movement in outcome.movements:
		if movement.qty_change < 0:
			totals[movement.item] = totals.get(movement.item, 0) - movement.qty_change
	entry = frappe.get_doc(
		{
			"doctype": "OMS Stock Entry",
			"entry_type": entry_type,
			"from_location": location if entry_type == "Issue" else None,
			"to_location": location if entry_type == "Status Change" else None,
			"from_status": "Available",
			"to_status": "Damaged" if entry_type == "Status Change" else "Available",
			"reason": _("{0} at {1} (order {2})").format(_(reason), location, order.name),
			"voucher_type": "OMS Order",
			"voucher_no": order.name,
			"items": [{"item": item, "qty": qty} for item, qty in totals.items()],
		}
	)
	# ignore-permissions: api.v1.orders.reject checked write on the order; the stock moves that follow are the app's, not the store's
	entry.flags.ignore_permissions = True
	entry.insert()
	entry.submit()
	for item, count_at in outcome.count_requests:
		# ignore-permissions: the count task for the rejected item is the app's; the rejecting store may not create ToDos
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"description": _("Count {0} at {1}: a picker could not find it for order {2}").format(
					item, count_at, order.name
				),
				"reference_type": "Stock Location",
				"reference_name": count_at,
				"role": "Inventory Manager",
				"priority": "High",
			}
		).insert(ignore_permissions=True)
