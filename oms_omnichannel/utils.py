"""Frappe-side helpers shared by every module: settings access, turning core errors into
translated `frappe.throw` messages, and sent timestamps in the system time zone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import convert_utc_to_system_timezone

from oms_omnichannel.core import messages
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.core.messages import Msg


def translated(message: object) -> object:
	"""A core message (`core.messages.Msg`) in the user's language, its parts translated too;
	anything else (names, numbers, text the user typed) unchanged."""
	return messages.translated(message, _)


def domain_message(error: DomainError) -> str:
	"""A core error's message in the user's language (plain text, for a record or a log)."""
	return _(error.template).format(*(translated(arg) for arg in error.args_for_template))


def raise_domain_error(error: DomainError, exc: type[Exception] = frappe.ValidationError) -> None:
	"""Show a core error to the user: translated template, the values it names (records, numbers)
	in bold; words the core chose (a status, an action: `Msg`) read as part of the sentence."""
	args = [translated(arg) if isinstance(arg, Msg) else frappe.bold(arg) for arg in error.args_for_template]
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


def linked_record_exists(doctype: str, name: str) -> bool:
	"""Whether a record exists now: a shared-lock read sees rows committed after this transaction
	began (a concurrent request may just have created it) and keeps it from vanishing until commit."""
	table = frappe.get_meta(doctype).name  # a DocType name from metadata, never user input
	return bool(frappe.db.sql(f"select `name` from `tab{table}` where `name`=%s lock in share mode", name))


def validate_links_exist(doc, fieldnames: list[str], table_field: str | None = None) -> None:
	"""Refuse Link values that point at nothing, naming field and row.

	Frappe's own link check is skipped in this Frappe release for Link fields that other fields
	fetch from (`fetch_from`), so documents with such fields check them here explicitly.
	"""
	rows = doc.get(table_field) if table_field else [doc]
	for row in rows:
		for fieldname in fieldnames:
			value = row.get(fieldname)
			if not value:
				continue
			df = row.meta.get_field(fieldname)
			if not linked_record_exists(df.options, value):
				label = _(df.label)
				if table_field:
					message = _("Row {0}: {1} {2} does not exist").format(row.idx, label, frappe.bold(value))
				else:
					message = _("{0} {1} does not exist").format(label, frappe.bold(value))
				frappe.throw(message, frappe.LinkValidationError, title=_("Not Found"))


def to_system_time(moment):
	"""A timestamp a channel or carrier sent, as a naive datetime in the system time zone."""
	if moment.tzinfo is None:
		return moment
	from datetime import timezone

	return convert_utc_to_system_timezone(moment.astimezone(timezone.utc).replace(tzinfo=None)).replace(
		tzinfo=None
	)


def queue_pending(pending: str, members, method: str, job_id: str) -> None:
	"""Remember `members` in the Redis set `pending` and queue one deduplicated job after the commit
	that takes them all (`take_pending`): many stock changes in a burst make one job's work."""
	members = sorted(set(members))
	if not members:
		return
	frappe.cache.sadd(frappe.cache.make_key(pending), *members)
	frappe.enqueue(method, queue="short", job_id=job_id, deduplicate=True, enqueue_after_commit=True)


def take_pending(pending: str) -> list[str]:
	"""Every member `queue_pending` remembered under `pending`, removed from the set."""
	key = frappe.cache.make_key(pending)
	members = sorted(m.decode() if isinstance(m, bytes) else m for m in frappe.cache.smembers(key))
	if members:
		frappe.cache.srem(key, *members)
	return members
