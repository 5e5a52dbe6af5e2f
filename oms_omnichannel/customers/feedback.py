"""Customer feedback, Frappe side: who a new complaint is assigned to, the overdue flag the
scheduler keeps, and the Return Request a complaint starts. The rules are in `core/feedback.py`."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime, nowdate

from oms_omnichannel.core import feedback as core
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.utils import raise_domain_error

FEEDBACK = "Customer Feedback"
AGENT_ROLE = "Customer Service"
RETURNABLE_STATUSES = ("Partially Shipped", "Shipped", "Completed")


class FeedbackRefused(frappe.ValidationError):
	"""Feedback that breaks a rule; the message starts with the field at fault."""

	http_status_code = 422


def refuse(error: DomainError) -> None:
	raise_domain_error(error, FeedbackRefused)


def least_busy_agent() -> str | None:
	"""The enabled Customer Service user with the fewest open feedback assignments (one query)."""
	rows = frappe.db.sql(
		"""select u.name from `tabUser` u
		join `tabHas Role` r on r.parent = u.name and r.parenttype = 'User' and r.role = %(role)s
		left join `tabToDo` t on t.allocated_to = u.name and t.status = 'Open'
			and t.reference_type = %(doctype)s
		where u.enabled = 1 and u.user_type = 'System User' and u.name not in ('Administrator', 'Guest')
		group by u.name order by count(t.name), u.name limit 1""",
		{"role": AGENT_ROLE, "doctype": FEEDBACK},
	)
	return rows[0][0] if rows else None


def assign_complaint(doc) -> None:
	"""Put a new complaint on a Customer Service user's list (Frappe's assignment, a ToDo)."""
	from frappe.desk.form.assign_to import add

	user = doc.assigned_to or least_busy_agent()
	if not user:
		return
	# ignore-permissions: routing a complaint to an agent is the app's rule; the channel or user who filed it may not assign ToDos
	add(
		{
			"assign_to": [user],
			"doctype": doc.doctype,
			"name": doc.name,
			"description": _("Complaint {0}: {1}").format(doc.name, doc.complaint_category or ""),
			"date": getdate(doc.due_by) if doc.due_by else nowdate(),
		},
		ignore_permissions=True,
	)
	# The assignment wrote `assigned_to` and `_assign` in the database: keep the document in step,
	# so that saving it again neither fails as stale nor clears them.
	doc.assigned_to = user
	doc._assign, doc.modified = frappe.db.get_value(doc.doctype, doc.name, ["_assign", "modified"])


def update_overdue_flags() -> None:
	"""Scheduler: flag open complaints past their due time, unflag the rest (through the
	`is_overdue, due_by` index: only rows whose flag is wrong are touched)."""
	now = now_datetime()
	f = frappe.qb.DocType(FEEDBACK)
	closed = list(core.CLOSED)
	(
		frappe.qb.update(f)
		.set(f.is_overdue, 1)
		.where((f.is_overdue == 0) & (f.due_by < now) & f.status.notin(closed))
		.run()
	)
	(
		frappe.qb.update(f)
		.set(f.is_overdue, 0)
		.where((f.is_overdue == 1) & (f.due_by.isnull() | (f.due_by >= now) | f.status.isin(closed)))
		.run()
	)


def new_return_request(feedback):
	"""A new, unsaved Return Request for the order a complaint is about: every line shipped and not
	yet returned, with the reason and condition the complaint's category suggests."""
	if feedback.feedback_type != core.COMPLAINT or not feedback.order:
		frappe.throw(
			_("order: only a complaint about an order can start a return"),
			FeedbackRefused,
			title=_("No Order"),
		)
	order = frappe.get_doc("OMS Order", feedback.order)
	order.check_permission("read")
	if order.docstatus != 1 or order.status not in RETURNABLE_STATUSES:
		frappe.throw(
			_("order: {0} is {1}; only shipped goods can be returned").format(
				frappe.bold(order.name), frappe.bold(order.status)
			),
			FeedbackRefused,
			title=_("Not Shipped"),
		)
	condition = core.returned_condition(feedback.complaint_category)
	doc = frappe.new_doc("Return Request")
	doc.update(
		{
			"order": order.name,
			"customer": order.customer,
			"sales_channel": order.sales_channel,
			"reason": core.return_reason(feedback.complaint_category),
			"notes": _("From complaint {0}").format(feedback.name),
		}
	)
	for row in order.items:
		open_qty = flt(row.shipped_qty) - flt(row.returned_qty)
		if open_qty > 0:
			doc.append(
				"items", {"order_item": row.name, "item": row.item, "qty": open_qty, "condition": condition}
			)
	return doc
