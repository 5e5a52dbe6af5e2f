# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from oms_omnichannel.core import feedback as core
from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.customers.feedback import assign_complaint, refuse
from oms_omnichannel.utils import check_arguments, get_settings


class CustomerFeedback(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assigned_to: DF.Link | None
		channel_feedback_id: DF.Data | None
		complaint_category: DF.Literal[
			"", "Late Delivery", "Damaged", "Wrong Item", "Missing Item", "Service", "Other"
		]
		customer: DF.Link | None
		description: DF.Text | None
		due_by: DF.Datetime | None
		feedback_type: DF.Literal["Review", "Complaint", "Suggestion"]
		is_overdue: DF.Check
		opened_on: DF.Datetime | None
		order: DF.Link | None
		rating: DF.Int
		resolution: DF.Text | None
		resolved_on: DF.Datetime | None
		sales_channel: DF.Link | None
		shipment: DF.Link | None
		status: DF.Literal["Open", "In Progress", "Resolved", "Rejected"]
		time_to_resolve_hours: DF.Float

	# end: auto-generated types
	def validate(self):
		self.channel_feedback_id = (self.channel_feedback_id or "").strip() or None
		try:
			self.fill_from_order()
			self.validate_content()
			self.validate_status()
		except DomainError as error:
			refuse(error)
		self.set_dates()

	def after_insert(self):
		if self.feedback_type == core.COMPLAINT:
			assign_complaint(self)

	def fill_from_order(self):
		"""Customer and channel come from the order (or the shipment's order)."""
		if self.shipment:
			shipment_order = frappe.db.get_value("OMS Shipment", self.shipment, "order")
			if shipment_order is None:
				raise ValidationFailed("shipment: {0} does not exist", self.shipment, field="shipment")
			if self.order and shipment_order != self.order:
				raise ValidationFailed(
					"shipment: {0} belongs to order {1}, not {2}",
					self.shipment,
					shipment_order,
					self.order,
					field="shipment",
				)
			self.order = shipment_order
		if not self.order:
			return
		order = frappe.db.get_value("OMS Order", self.order, ["sales_channel", "customer"], as_dict=True)
		if order is None:
			raise ValidationFailed("order: OMS Order {0} does not exist", self.order, field="order")
		core.check_order_channel(self.order, order.sales_channel, self.sales_channel)
		self.sales_channel = order.sales_channel
		self.customer = self.customer or order.customer

	def validate_content(self):
		self.feedback_type = core.as_feedback_type(self.feedback_type)
		self.rating = core.as_rating(self.rating, self.feedback_type)
		self.complaint_category = core.as_complaint_category(self.complaint_category, self.feedback_type)

	def validate_status(self):
		before = self.get_doc_before_save()
		core.check_status(before.status if before else None, self.status, self.resolution)

	def set_dates(self):
		before = self.get_doc_before_save()
		self.opened_on = self.opened_on or now_datetime()
		if not before or before.feedback_type != self.feedback_type or before.opened_on != self.opened_on:
			sla_hours = get_settings().complaint_sla_hours
			self.due_by = core.due_by(get_datetime(self.opened_on), self.feedback_type, sla_hours)
		if self.status in core.CLOSED:
			self.resolved_on = self.resolved_on or now_datetime()
			self.time_to_resolve_hours = core.hours_between(
				get_datetime(self.opened_on), get_datetime(self.resolved_on)
			)
		else:
			self.resolved_on, self.time_to_resolve_hours = None, 0
		due = get_datetime(self.due_by) if self.due_by else None
		self.is_overdue = int(core.is_overdue(self.status, due, now_datetime()))


def on_doctype_update():
	frappe.db.add_unique(
		"Customer Feedback",
		["sales_channel", "channel_feedback_id"],
		constraint_name="unique_channel_feedback",
	)
	frappe.db.add_index("Customer Feedback", ["is_overdue", "due_by"])
	frappe.db.add_index("Customer Feedback", ["opened_on"])
	frappe.db.add_index("Customer Feedback", ["customer"])


@frappe.whitelist()
@check_arguments
def next_statuses(status: str) -> list[str]:
	"""For the form: the statuses the status machine allows next."""
	frappe.has_permission("Customer Feedback", "read", throw=True)
	return core.allowed_next(status)
