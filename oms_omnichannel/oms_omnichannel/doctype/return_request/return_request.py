# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, fmt_money

from oms_omnichannel.core.orders.returns import payment_status_after_refund, refund_by_line
from oms_omnichannel.inventory.ledger import Movement, post_movements, reverse_voucher
from oms_omnichannel.utils import domain_errors, get_settings, validate_links_exist

RETURNABLE_STATUSES = ("Partially Shipped", "Shipped", "Completed")
STOCK_STATUS_FOR = {"Resellable": "Available", "Damaged": "Damaged"}
APPROVER = "OMS Manager"  # submits returns above OMS Settings' approval limit


class ReturnRequest(Document):
	def validate(self):
		self.channel_return_id = (self.channel_return_id or "").strip() or None  # unique when set
		validate_links_exist(self, ["order", "return_location"])
		self.order_doc = frappe.get_doc("OMS Order", self.order)
		self.validate_order()
		self.set_items_from_order_lines()
		self.calculate_refund()
		self.set_needs_approval()

	def before_submit(self):
		self.check_approval()

	def on_submit(self):
		self.receive_stock()
		self.update_order(sign=1)

	def on_cancel(self):
		self.ignore_linked_doctypes = ("OMS Stock Ledger Entry",)
		reverse_voucher(self.doctype, self.name)
		self.update_order(sign=-1)

	def set_needs_approval(self):
		limit = flt(get_settings().return_approval_above)
		self.needs_approval = int(bool(limit) and flt(self.refund_amount) > limit)

	def check_approval(self):
		"""One rule for every way a return is submitted (the workflow's actions, the form, REST,
		code): above the limit only an OMS Manager submits it. The Return Request Approval workflow
		only shows the way there, so editing or removing it never opens a gap."""
		if self.needs_approval and APPROVER not in frappe.get_roles():
			limit = get_settings().return_approval_above
			frappe.throw(
				_("Return {0} refunds {1}, above the approval limit of {2}: an {3} approves it").format(
					frappe.bold(self.name),
					fmt_money(self.refund_amount, currency=self.currency),
					fmt_money(limit, currency=self.currency),
					_(APPROVER),
				),
				frappe.PermissionError,
				title=_("Approval Needed"),
			)

	def validate_order(self):
		if self.order_doc.docstatus != 1 or self.order_doc.status not in RETURNABLE_STATUSES:
			frappe.throw(
				_("Cannot return goods of {0}: it is {1}, not shipped").format(
					frappe.bold(self.order), frappe.bold(self.order_doc.status)
				),
				title=_("Not Shipped"),
			)

	def set_items_from_order_lines(self):
		self.order_doc.match_lines(self.items)

	def returned_so_far(self) -> dict[str, float]:
		"""Other submitted returns of the order, per line (the order's own counter excludes drafts)."""
		return {row.name: flt(row.returned_qty) for row in self.order_doc.items}

	def calculate_refund(self):
		lines = self.order_doc.planning_lines()
		requested: dict[str, float] = {}
		for row in self.items:
			requested[row.order_item] = requested.get(row.order_item, 0) + flt(row.qty)
		with domain_errors():
			refunds = refund_by_line(lines, requested, self.returned_so_far())
		share = {}
		for row in self.items:  # split a line's refund over its rows (e.g. part resellable, part damaged)
			total_qty = requested[row.order_item]
			share[row.name] = float(refunds[row.order_item]) * flt(row.qty) / total_qty if total_qty else 0
			row.refund_amount = round(share[row.name], 2)
		self.refund_amount = float(sum(refunds.values()))

	def receive_stock(self):
		movements = [
			Movement(row.item, self.return_location, STOCK_STATUS_FOR[row.condition], flt(row.qty), row.name)
			for row in self.items
		]
		post_movements(
			movements, self.doctype, self.name, posting_datetime=self.received_at, remarks=self.reason
		)

	def update_order(self, sign: int):
		order = frappe.get_doc("OMS Order", self.order)
		by_line = {row.name: row for row in order.items}
		for row in self.items:
			line = by_line[row.order_item]
			line.returned_qty = flt(line.returned_qty) + sign * flt(row.qty)
		order.refunded_amount = flt(order.refunded_amount) + sign * flt(self.refund_amount)
		if flt(order.refunded_amount) > 0 and order.payment_status in (
			"Paid",
			"Partially Refunded",
			"Refunded",
			"Authorised",
		):
			with domain_errors():
				order.payment_status = payment_status_after_refund(
					"Paid", flt(order.paid_amount) or flt(order.grand_total), flt(order.refunded_amount)
				).value
		elif flt(order.refunded_amount) <= 0 and order.payment_status in ("Partially Refunded", "Refunded"):
			order.payment_status = "Paid"
		verb = _("received") if sign > 0 else _("cancelled")
		order.add_comment("Info", _("Return {0} {1}: refund {2}").format(self.name, verb, self.refund_amount))
		order.save_after_submit()


def on_doctype_update():
	# a platform's refund becomes at most one return (connector webhooks, replayed or raced)
	frappe.db.add_unique(
		"Return Request", ["sales_channel", "channel_return_id"], constraint_name="unique_channel_return"
	)
