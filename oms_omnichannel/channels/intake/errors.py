"""How intake refuses: a whole request, or one order of it."""

from __future__ import annotations

import frappe


class IntakeRefused(frappe.ValidationError):
	"""The whole request is refused (bad body, batch too large...): 400 with the field."""

	http_status_code = 400


class OrderRefused(Exception):
	"""One order of a request is refused; the others go on."""

	def __init__(self, message: str, field: str | None = None):
		super().__init__(message)
		self.message, self.field = message, field
