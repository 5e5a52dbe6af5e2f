"""Customer feedback from channels (reviews, complaints, suggestions), and the return a complaint
starts (behind the Customer Feedback form's Create Return button).

POST /api/method/oms_omnichannel.api.v1.feedback.post_feedback
{"channel": "Web Store", "channel_feedback_id": "R-1001", "feedback_type": "Review", "rating": 5,
 "order": "ORD-2026-00001", "description": "..."}

Idempotent by channel + channel_feedback_id: sending it again returns the stored feedback marked
`"replay": true` and changes nothing. Bad input is refused (422) with the field at fault first in
the message (`rating: ...`), and nothing is written.
"""

from __future__ import annotations

import frappe
from frappe import _

from oms_omnichannel.channels.intake.request import check_channel
from oms_omnichannel.customers.feedback import FEEDBACK, FeedbackRefused, new_return_request
from oms_omnichannel.utils import check_arguments

FEEDBACK_ROLES = ("OMS Integration", "Customer Service", "OMS Manager", "System Manager")


def refuse(field: str, message: str) -> None:
	frappe.throw(f"{field}: {message}", FeedbackRefused, title=_("Invalid Feedback"))


def text(value, field: str, length: int = 140) -> str | None:
	if value is None or value == "":
		return None
	if not isinstance(value, str | int) or isinstance(value, bool):
		refuse(field, _("must be text"))
	value = str(value).strip()
	if len(value) > length:
		refuse(field, _("at most {0} characters").format(length))
	return value or None


def reply(name: str, replay: bool) -> dict:
	doc = frappe.get_doc(FEEDBACK, name)
	return {
		"name": doc.name,
		"replay": replay,
		"feedback_type": doc.feedback_type,
		"status": doc.status,
		"rating": doc.rating or None,
		"sales_channel": doc.sales_channel,
		"channel_feedback_id": doc.channel_feedback_id,
		"order": doc.order,
		"customer": doc.customer,
	}


def existing(channel: str, channel_feedback_id: str, for_update: bool = False) -> str | None:
	return frappe.db.get_value(
		FEEDBACK,
		{"sales_channel": channel, "channel_feedback_id": channel_feedback_id},
		"name",
		for_update=for_update,  # a locking read sees a row another request committed just now
	)


@frappe.whitelist(methods=["POST"])
@check_arguments
def post_feedback(
	channel: str | None = None,
	channel_feedback_id: str | int | None = None,
	feedback_type: str = "Review",
	rating: int | str | float | None = None,
	order: str | None = None,
	shipment: str | None = None,
	complaint_category: str | None = None,
	description: str | None = None,
	status: str | None = None,
	resolution: str | None = None,
) -> dict:
	"""Store one piece of a channel's customer feedback; a replay returns the stored one."""
	frappe.only_for(FEEDBACK_ROLES)
	channel = text(channel, "channel")
	if not channel:
		refuse("channel", _("give the Sales Channel"))
	check_channel(channel, FEEDBACK)  # the caller's User Permission on the channel, as intake
	external_id = text(channel_feedback_id, "channel_feedback_id")
	if not external_id:
		refuse("channel_feedback_id", _("give the channel's own id of this feedback"))
	if name := existing(channel, external_id):
		return reply(name, replay=True)
	values = {
		"doctype": FEEDBACK,
		"sales_channel": channel,
		"channel_feedback_id": external_id,
		"feedback_type": text(feedback_type, "feedback_type") or "Review",
		"rating": rating,
		"order": text(order, "order"),
		"shipment": text(shipment, "shipment"),
		"complaint_category": text(complaint_category, "complaint_category"),
		"description": text(description, "description", 10000),
		"status": text(status, "status") or "Open",
		"resolution": text(resolution, "resolution", 10000),
	}
	# Frappe checks links before any controller code runs; check them here to name the field.
	for field, doctype in (("order", "OMS Order"), ("shipment", "OMS Shipment")):
		if values[field] and not frappe.db.exists(doctype, values[field]):
			refuse(field, _("{0} {1} does not exist").format(doctype, frappe.bold(values[field])))
	frappe.db.savepoint("oms_feedback")
	try:
		doc = frappe.get_doc(values).insert()
	except frappe.UniqueValidationError:  # the same feedback, posted at the same moment
		frappe.db.rollback(save_point="oms_feedback")
		frappe.clear_messages()
		if name := existing(channel, external_id, for_update=True):
			return reply(name, replay=True)
		raise
	frappe.local.response.http_status_code = 201
	return reply(doc.name, replay=False)


@frappe.whitelist(methods=["GET"])
@check_arguments
def make_return(feedback: str) -> dict:
	"""A new (unsaved) Return Request for the order a complaint is about."""
	# the role check first: a user who may not create returns learns nothing, not even what exists
	frappe.has_permission("Return Request", "create", throw=True)
	doc = frappe.get_doc(FEEDBACK, feedback)
	doc.check_permission("read")
	return new_return_request(doc).as_dict()
