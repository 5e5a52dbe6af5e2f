"""Frappe-side helpers shared by every module: settings access and turning core errors into
translated `frappe.throw` messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import frappe
from frappe import _

from oms_omnichannel.core.errors import DomainError


def raise_domain_error(error: DomainError, exc: type[Exception] = frappe.ValidationError) -> None:
	"""Show a core error to the user: translated template, the arguments in bold."""
	args = [frappe.bold(arg) for arg in error.args_for_template]
	frappe.throw(_(error.template).format(*args), exc=exc, title=_(error.title))


@contextmanager
def domain_errors() -> Iterator[None]:
	"""Run core code and report its refusals the Frappe way."""
	try:
		yield
	except DomainError as error:
		raise_domain_error(error)


def get_settings():
	"""OMS Settings, cached per request and invalidated by Frappe when saved."""
	return frappe.get_cached_doc("OMS Settings")
