"""The return a complaint starts (behind the Customer Feedback form's Create Return button)."""

from __future__ import annotations

import frappe

from oms_omnichannel.customers.feedback import FEEDBACK, new_return_request


@frappe.whitelist()
def make_return(feedback: str) -> dict:
	"""A new (unsaved) Return Request for the order a complaint is about."""
	doc = frappe.get_doc(FEEDBACK, feedback)
	doc.check_permission("read")
	frappe.has_permission("Return Request", "create", throw=True)
	return new_return_request(doc).as_dict()
