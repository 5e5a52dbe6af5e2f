"""Holds: typed, several at once, each with who and why. While any stands the order stays
On Hold and nothing downstream (sourcing, shipping) proceeds."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, now_datetime

from oms_omnichannel.core.order_status import OrderAction, OrderStatus
from oms_omnichannel.core.orders.holds import (
	AUTO_HOLDABLE_STATUSES,
	HOLD_RULES,
	ConditionRule,
	Hold,
	HoldSettings,
	OrderFacts,
	as_hold_type,
	automatic_holds,
	reconcile_holds,
)
from oms_omnichannel.core.payment import UNPAID_PAYMENT_STATUSES, PaymentStatus
from oms_omnichannel.orders import fulfilment
from oms_omnichannel.utils import get_settings, translated

DEFAULT_HOLD_TYPES = {
	"Payment": "Payment not received or not authorised.",
	"Fraud Review": "The order needs a fraud check before it ships.",
	"Address Check": "The shipping address is incomplete or doubtful.",
	"Stock": "No stock can be sourced for some lines.",
	"Manual": "Held by a person.",
}


def ensure_hold_types() -> None:
	for name, description in DEFAULT_HOLD_TYPES.items():
		if not frappe.db.exists("OMS Hold Type", name):
			frappe.get_doc(
				{
					"doctype": "OMS Hold Type",
					"hold_type_name": name,
					"description": description,
					"is_automatic": int(name != "Manual"),
				}
			).insert(ignore_permissions=True)


def active_holds(order) -> list:
	return [row for row in order.holds if not row.released]


def place_hold(order, hold_type: str, reason: str, *, rule: str = "", persist: bool = True) -> bool:
	"""Put a hold on the order; False when the same hold already stands."""
	order.check_allowed(OrderAction.HOLD)
	if not frappe.db.exists("OMS Hold Type", hold_type):
		frappe.throw(
			_("Hold Type {0} does not exist").format(frappe.bold(hold_type)), frappe.LinkValidationError
		)
	if any(row.hold_type == hold_type and (row.rule or "") == rule for row in active_holds(order)):
		return False
	order.append(
		"holds",
		{
			"hold_type": hold_type,
			"reason": reason,
			"rule": rule,
			"set_by": frappe.session.user,
			"set_at": now_datetime(),
		},
	)
	if order.status != OrderStatus.ON_HOLD.value:
		order.status_before_hold = order.status
		if get_settings().release_reservation_on_hold:
			fulfilment.release_order(order)
		order.set_status(
			OrderStatus.ON_HOLD.value, _("{0} hold: {1}").format(_(hold_type), reason), persist=False
		)
	else:
		order.add_comment("Info", _("{0} hold added: {1}").format(_(hold_type), reason))
	if persist:
		order.save_after_submit()
	return True


def release_hold(
	order, hold_type: str | None = None, note: str = "", *, rule: str | None = None, persist=True
) -> int:
	"""Release the active holds of a type (all when None); resume the order when none is left."""
	released = 0
	for row in active_holds(order):
		if hold_type and row.hold_type != hold_type:
			continue
		if rule is not None and (row.rule or "") != rule:
			continue
		row.released, row.released_by, row.released_at, row.release_note = (
			1,
			frappe.session.user,
			now_datetime(),
			note,
		)
		released += 1
	if not released:
		frappe.throw(
			_("{0} has no active {1} hold").format(frappe.bold(order.name), hold_type or ""),
			title=_("No Hold"),
		)
	if order.status == OrderStatus.ON_HOLD.value and not active_holds(order):
		resume(order, note or _("All holds released"))
	else:
		order.add_comment("Info", _("{0} hold released: {1}").format(_(hold_type or ""), note))
	if persist:
		order.save_after_submit()
	return released


def resume(order, reason: str) -> None:
	"""Back from On Hold to what the lines imply: Partially Shipped when some units have left,
	else Pending; then reserve what still needs stock and move on by the fulfilment status."""
	back_to = OrderStatus.PARTIALLY_SHIPPED if order.has_shipped() else OrderStatus.PENDING
	order.set_status(back_to.value, reason, persist=False)
	order.status_before_hold = None
	fulfilment.reserve_order(order)
	order.update_fulfilment_status(reason, persist=False)


def order_facts(order, previous_orders: int | None = None) -> OrderFacts:
	"""What the hold rules look at; `previous_orders` when the caller counted them already."""
	previous = previous_orders
	if previous is None:
		previous = (
			frappe.db.count(
				"OMS Order",
				{"customer": order.customer, "docstatus": 1, "name": ("!=", order.name)},
			)
			if order.customer
			else 0
		)
	missing = tuple(
		label
		for fieldname, label in (
			("shipping_address_line1", _("street")),
			("shipping_city", _("city")),
			("shipping_postcode", _("postcode")),
		)
		if order.delivery_type != fulfilment.SELF_PICKUP and not order.get(fieldname)
	)
	return OrderFacts(
		name=order.name,
		as_of=now_datetime(),
		status=order.status,
		submitted_at=get_datetime(order.order_datetime) if order.order_datetime else None,
		payment_status=order.payment_status or PaymentStatus.UNPAID.value,
		previous_orders=previous,
		delivery_method=order.delivery_type or "",
		delivery_method_name=order.delivery_method or "",
		channel=order.sales_channel or "",
		shipping_country=order.shipping_country or "",
		billing_country=(order.shipping_country if order.billing_same_as_shipping else order.billing_country)
		or "",
		grand_total=flt(order.grand_total),
		address_missing=missing,
	)


def hold_settings() -> HoldSettings:
	settings = get_settings()
	return HoldSettings(
		payment_hold_after_minutes=int(settings.unpaid_hold_minutes or 0) or None,
		review_first_express_abroad=bool(settings.hold_first_express_to_foreign_address),
		check_addresses=bool(settings.get("hold_incomplete_addresses")),
		review_orders_above=flt(settings.review_orders_above) or None,  # 0: no review by value
		hold_when_out_of_stock=False,  # a short order waits as Pending (backorder) rather than held
	)


def hold_rules() -> tuple:
	"""The app's own rules and every enabled OMS Hold Rule an administrator wrote."""
	configured = frappe.get_all(
		"OMS Hold Rule",
		filters={"enabled": 1},
		fields=[
			"name",
			"hold_type",
			"sales_channel",
			"shipping_country",
			"delivery_method",
			"min_order_value",
			"first_order_only",
		],
		order_by="name asc",
	)
	return HOLD_RULES + tuple(condition_rule(row).as_hold_rule() for row in configured)


def condition_rule(row) -> ConditionRule:
	return ConditionRule(
		name=row.name,
		hold_type=row.hold_type,
		channel=row.sales_channel or "",
		shipping_country=row.shipping_country or "",
		delivery_method=row.delivery_method or "",
		min_order_value=flt(row.min_order_value) or None,  # 0: no value condition
		first_order_only=bool(row.first_order_only),
	)


def apply_automatic_holds(
	order, *, persist: bool = True, previous_orders: int | None = None, rules: tuple | None = None
) -> int:
	"""Place the rule holds that should stand and release rule holds that no longer do.

	`previous_orders`: the customer's earlier orders, when the caller counted them already;
	`rules`: `hold_rules()`, when the caller read them once for many orders."""
	if order.status not in AUTO_HOLDABLE_STATUSES:
		return 0
	current = [Hold(as_hold_type(row.hold_type), row.rule) for row in active_holds(order) if row.rule]
	standing = automatic_holds(
		order_facts(order, previous_orders), hold_settings(), rules if rules is not None else hold_rules()
	)
	changes = reconcile_holds(current, standing)
	for hold in changes.place:
		place_hold(order, str(hold.hold_type), translated(hold.reason), rule=hold.rule, persist=False)
	for hold in changes.release:
		release_hold(order, str(hold.hold_type), _("Rule no longer applies"), rule=hold.rule, persist=False)
	if persist and (changes.place or changes.release):
		order.save_after_submit()
	return len(changes.place)


def scheduled_automatic_holds(commit: bool = True) -> None:
	"""Scheduler: re-evaluate hold rules (e.g. unpaid for too long) on open orders."""
	if not int(get_settings().unpaid_hold_minutes or 0):
		return
	names = frappe.get_all(
		"OMS Order",
		filters={
			"docstatus": 1,
			"status": ("in", sorted(status.value for status in AUTO_HOLDABLE_STATUSES)),
			"payment_status": ("in", sorted(status.value for status in UNPAID_PAYMENT_STATUSES)),
		},
		pluck="name",
		limit=2000,
	)
	rules = hold_rules()
	for name in names:
		apply_automatic_holds(frappe.get_doc("OMS Order", name), rules=rules)
		if commit:
			frappe.db.commit()  # scheduler job: one order at a time, so one failure does not undo the rest
