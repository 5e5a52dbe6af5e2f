# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from oms_omnichannel.core.geo import validate_coordinates
from oms_omnichannel.core.order_status import (
	INDICATOR_COLOURS,
	OrderAction,
	OrderStatus,
	allowed_actions,
	check_action,
	fulfilment_status,
	steps_to,
	transition,
)
from oms_omnichannel.core.orders.lines import OrderLine, compute_totals, validate_line
from oms_omnichannel.naming import name_from_sequence
from oms_omnichannel.orders import fulfilment, holds
from oms_omnichannel.orders.lifecycle import start_fulfilment
from oms_omnichannel.utils import domain_errors, validate_links_exist

S = OrderStatus


class OMSOrder(Document):
	# ------------------------------------------------------------------ lifecycle

	def autoname(self):
		name_from_sequence([self])  # ORD-2026-00042, without locking a naming series row to the commit

	def onload(self):
		"""The form shows the Actions the status machine allows now (core.order_status.can)."""
		self.set_onload(
			"allowed_actions", allowed_actions(self.status or S.DRAFT.value, shipped=self.has_shipped())
		)

	def validate(self):
		if not self.flags.links_resolved:  # order intake resolved every link in batch already
			validate_links_exist(self, ["sales_channel", "customer", "delivery_method"])
			validate_links_exist(self, ["item"], table_field="items")
		self.set_defaults()
		self.validate_channel()
		self.validate_delivery()
		self.calculate_totals()

	def before_submit(self):
		if self.status != S.DRAFT.value:
			self.status = S.DRAFT.value

	def on_submit(self):
		if self.status != S.DRAFT.value:  # started already: order intake starts a whole batch at once
			return
		start_fulfilment([self])
		self.db_update_all()

	def before_update_after_submit(self):
		self.refuse_direct_status_change()

	def refuse_direct_status_change(self):
		"""`status` is allowed on submit for the services, which change it only through
		`set_status` (a logged, checked transition). A direct write (a Kanban card dragged to
		another column, a REST `set_value`) is refused, naming the field."""
		before = self.get_doc_before_save()
		if not before or before.status == self.status:
			return
		last = self.status_log[-1] if self.status_log else None
		if last and last.is_new() and last.to_status == self.status:
			return
		frappe.throw(
			_("Status of {0} cannot be set directly (from {1} to {2}): use the order's Actions").format(
				self.name, _(before.status), _(self.status)
			),
			title=_("Status Not Editable"),
		)

	def before_cancel(self):
		"""Every way to cancel (REST, the form's Actions and Cancel buttons, code) comes through here."""
		self.check_allowed(OrderAction.CANCEL)
		self.flags.cancel_reason = self.required_cancel_reason()

	def required_cancel_reason(self) -> str:
		"""The one rule for cancelling: a reason (non-blank), given as `flags.cancel_reason` by
		`orders.actions.cancel_order`; it is recorded in the status log."""
		reason = (self.flags.cancel_reason or "").strip()
		if not reason:
			frappe.throw(
				_("A reason is required to cancel {0}: fill in {1}").format(
					frappe.bold(self.name), frappe.bold(_("Reason"))
				),
				frappe.MandatoryError,
				title=_("Missing Reason"),
			)
		return reason

	def on_cancel(self):
		self.ignore_linked_doctypes = ("OMS Stock Reservation", "OMS Stock Ledger Entry")
		fulfilment.release_order(self)
		for row in self.items:
			row.cancelled_qty = flt(row.qty) - flt(row.shipped_qty)
		self.set_status(S.CANCELLED.value, self.flags.cancel_reason, persist=False)
		self.db_update_all()

	# ------------------------------------------------------------------ validation

	def set_defaults(self):
		if self.is_new() or self.docstatus == 0:
			self.status = S.DRAFT.value
		if not self.currency and self.sales_channel:
			self.currency = frappe.get_cached_value("Sales Channel", self.sales_channel, "currency")
		self.channel_order_id = (self.channel_order_id or "").strip() or None
		if self.billing_same_as_shipping:
			self.billing_address_line1 = self.shipping_address_line1
			self.billing_city = self.shipping_city
			self.billing_postcode = self.shipping_postcode
			self.billing_country = self.shipping_country

	def validate_channel(self):
		if self.sales_channel and not frappe.get_cached_value(
			"Sales Channel", self.sales_channel, "is_active"
		):
			frappe.throw(
				_("Sales Channel {0} is not active").format(frappe.bold(self.sales_channel)),
				title=_("Inactive Channel"),
			)
		if self.channel_order_id and not self.flags.links_resolved:  # intake: the unique index decides
			existing = frappe.db.get_value(
				"OMS Order",
				{
					"sales_channel": self.sales_channel,
					"channel_order_id": self.channel_order_id,
					"name": ("!=", self.name),
				},
			)
			if existing:
				frappe.throw(
					_("Channel order {0} of {1} already exists as {2}").format(
						frappe.bold(self.channel_order_id), self.sales_channel, frappe.bold(existing)
					),
					frappe.DuplicateEntryError,
					title=_("Duplicate Order"),
				)

	def validate_delivery(self):
		if self.delivery_type == fulfilment.SELF_PICKUP:
			if not self.pickup_location:
				frappe.throw(
					_("Pickup Store is required for Self Pickup"),
					frappe.MandatoryError,
					title=_("Missing Pickup Store"),
				)
			if not fulfilment.offers_pickup(self.pickup_location):
				frappe.throw(
					_("Pickup Store {0} does not offer pickup").format(frappe.bold(self.pickup_location)),
					title=_("Invalid Pickup Store"),
				)
		else:
			self.pickup_location = None
		latitude = self.shipping_latitude if self.shipping_latitude not in (None, "", 0) else None
		longitude = self.shipping_longitude if self.shipping_longitude not in (None, "", 0) else None
		with domain_errors():
			validate_coordinates(latitude, longitude)

	def planning_lines(self) -> list[OrderLine]:
		return [
			OrderLine(
				line_id=row.name or str(row.idx),
				item=row.item,
				qty=flt(row.qty),
				rate=flt(row.rate),
				discount_amount=flt(row.discount_amount),
				tax_amount=flt(row.tax_amount),
				value=flt(row.value) if row.value and self.flags.keep_line_values else None,
				shipped_qty=flt(row.shipped_qty),
				idx=row.idx,
			)
			for row in self.items
		]

	def calculate_totals(self):
		"""Line amounts and order totals, exact to the cent, from the core rules."""
		if not self.items:
			frappe.throw(_("Add at least one item to the order"), frappe.MandatoryError, title=_("No Items"))
		with domain_errors():
			lines = self.planning_lines()
			for position, line in enumerate(lines, 1):
				validate_line(line, position)
			totals = compute_totals(lines, flt(self.shipping_fee))
		for row, line in zip(self.items, lines, strict=True):
			row.value = float(line.line_value)
			row.amount = float(line.amount)
		self.total_qty = float(totals.total_qty)
		self.merchandise_value = float(totals.merchandise_value)
		self.discount_total = float(totals.discount_total)
		self.tax_total = float(totals.tax_total)
		self.grand_total = float(totals.grand_total)

	# ------------------------------------------------------------------ status

	def set_status(self, target: str, reason: str = "", persist: bool = True) -> None:
		"""The only way `status` changes: checked by the core machine and logged with who, when, why."""
		with domain_errors():
			change = transition(self.status or S.DRAFT.value, target, reason)
		self.status = change.to_status.value
		self.append(
			"status_log",
			{
				"from_status": change.from_status.value,
				"to_status": change.to_status.value,
				"changed_by": frappe.session.user,
				"changed_at": now_datetime(),
				"reason": reason,
			},
		)
		self.add_comment(
			"Info",
			_("Status: {0} → {1}{2}").format(
				_(change.from_status.value), _(change.to_status.value), f" — {reason}" if reason else ""
			),
		)
		if persist:
			self.save_after_submit()

	def update_fulfilment_status(self, reason: str = "", persist: bool = True) -> None:
		"""Move an active order to the status its line quantities imply (walking required steps)."""
		if self.status in (
			S.DRAFT.value,
			S.ON_HOLD.value,
			S.CANCELLED.value,
			S.MERGED.value,
			S.COMPLETED.value,
		):
			if persist:
				self.save_after_submit()
			return
		target = fulfilment_status(fulfilment.line_progress(self))
		with domain_errors():
			steps = steps_to(self.status, target)
		for step in steps:
			self.set_status(step.value, reason, persist=False)
		if persist:
			self.save_after_submit()

	def save_after_submit(self):
		"""Persist service changes on a submitted order (fires on_update_after_submit and webhooks)."""
		self.flags.ignore_validate_update_after_submit = True
		# ignore-permissions: every caller checked the caller's right for its action first (hold and modify: write, cancel: cancel...)
		self.flags.ignore_permissions = True
		self.save(ignore_version=False)  # an order's history is always kept, even in tests

	def match_lines(self, rows) -> None:
		"""Rows of a shipment or return name an order line (`order_item`): refuse one that is not
		on this order, and copy the line's item onto each."""
		lines = {row.name: row for row in self.items}
		for row in rows:
			line = lines.get(row.order_item)
			if not line:
				frappe.throw(
					_("Row {0}: line {1} is not on order {2}").format(row.idx, row.order_item, self.name),
					title=_("Unknown Line"),
				)
			row.item = line.item

	def add_comment(self, comment_type="Comment", text=None, comment_email=None, comment_by=None):
		"""A timeline entry; an order being written in a batch collects them to be written with it."""
		if self.flags.deferred_comments is None:
			return super().add_comment(comment_type, text, comment_email, comment_by)
		comment = frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": comment_type,
				"comment_email": comment_email or frappe.session.user,
				"comment_by": comment_by,
				"reference_doctype": self.doctype,
				"reference_name": self.name,
				"content": text or comment_type,
			}
		)
		self.flags.deferred_comments.append(comment)
		return comment

	def has_shipped(self) -> bool:
		"""Whether any unit has left: what has shipped is returned, never cancelled or changed."""
		return any(flt(row.shipped_qty) > 0 for row in self.items)

	def check_allowed(self, action: OrderAction) -> None:
		"""Refuse `action` unless the core status machine allows it now, naming the status."""
		with domain_errors():
			check_action(action, self.status or S.DRAFT.value, self.name, shipped=self.has_shipped())

	def has_active_holds(self) -> bool:
		return bool(holds.active_holds(self))

	def get_indicator(self):
		colour = INDICATOR_COLOURS.get(OrderStatus(self.status), "gray") if self.status else "gray"
		return (_(self.status), colour, f"status,=,{self.status}")


def on_doctype_update():
	frappe.db.add_unique(
		"OMS Order", ["sales_channel", "channel_order_id"], constraint_name="unique_channel_order"
	)
	frappe.db.add_index("OMS Order", ["customer", "order_datetime"])
	frappe.db.add_index("OMS Order", ["sales_channel", "order_datetime"])
	frappe.db.add_index("OMS Order", ["order_datetime"])  # reports over every channel
	frappe.db.add_index("OMS Order", ["status", "modified"])
	from oms_omnichannel.analytics.forecasting import ORDER_DEMAND_COLUMNS, ORDER_DEMAND_INDEX

	frappe.db.add_index("OMS Order", list(ORDER_DEMAND_COLUMNS), index_name=ORDER_DEMAND_INDEX)
