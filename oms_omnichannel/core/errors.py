"""Errors raised by the pure core.

A core error carries an untranslated message template, its arguments and, where one input
is at fault, the name of that field. The Frappe side translates the template with `_()`
and raises it through `frappe.throw`, so users see one clear, translated message naming
the field while the core stays free of frappe.
"""

from __future__ import annotations


class DomainError(ValueError):
	"""A business rule refused the request."""

	title = "Not allowed"

	def __init__(self, template: str, *args: object, field: str | None = None):
		self.template = template
		self.args_for_template = args
		self.field = field
		super().__init__(self.message)

	@property
	def message(self) -> str:
		return self.template.format(*self.args_for_template)


class InvalidTransition(DomainError):
	title = "Invalid Status Change"


class ValidationFailed(DomainError):
	title = "Invalid Value"
