"""How intake refuses: a whole request, or one order of it."""

from __future__ import annotations

import frappe
from frappe import _


class IntakeRefused(frappe.ValidationError):
	"""The whole request is refused (bad body, batch too large...): 400 with the field."""

	http_status_code = 400


class OrderRefused(Exception):
	"""One order of a request is refused; the others go on."""

	def __init__(self, message: str, field: str | None = None):
		super().__init__(message)
		self.message, self.field = message, field


MAX_BODY_BYTES = 2 * 1024 * 1024  # a request body intake reads (REST API and platform webhooks)


class PayloadTooLarge(frappe.ValidationError):
	http_status_code = 413


def refuse_too_large() -> None:
	frappe.throw(
		_("body: the request is larger than {0} MB").format(MAX_BODY_BYTES // (1024 * 1024)),
		PayloadTooLarge,
		title=_("Payload Too Large"),
	)
