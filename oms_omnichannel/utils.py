"""Frappe-side helpers shared by every module: settings access, turning core errors into
translated `frappe.throw` messages, sent timestamps in the system time zone, and the argument
check of every whitelisted method (`check_arguments`)."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import frappe
import redis
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
	# safe-sql: table is a DocType name from metadata (frappe.get_meta), never request input
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
	that takes them all (`take_pending`): many stock changes in a burst make one job's work.

	With the Redis cache down, the job is queued with the members themselves (`given`): the work
	is not coalesced, but none is lost and the transaction that moved the stock goes through."""
	members = sorted(set(members))
	if not members:
		return
	try:
		frappe.cache.sadd(frappe.cache.make_key(pending), *members)
	except redis.exceptions.ConnectionError:
		frappe.enqueue(method, queue="short", enqueue_after_commit=True, given=members)
		return
	frappe.enqueue(method, queue="short", job_id=job_id, deduplicate=True, enqueue_after_commit=True)


def take_pending(pending: str, given: list[str] | None = None) -> list[str]:
	"""Every member `queue_pending` remembered under `pending`, removed from the set, and the
	members the job was `given` when the set could not be written."""
	key = frappe.cache.make_key(pending)
	try:
		members = {m.decode() if isinstance(m, bytes) else m for m in frappe.cache.smembers(key)}
		if members:
			frappe.cache.srem(key, *members)
	except redis.exceptions.ConnectionError:
		members = set()  # the cache is down: only what the job was given
	return sorted(members | set(given or ()))


class InvalidArgument(frappe.ValidationError):
	"""A whitelisted method was called without a parameter it needs, or with one of the wrong type."""

	http_status_code = 400


def check_arguments(fn: Callable) -> Callable:
	"""Put under `@frappe.whitelist`: a call that lacks a required parameter (absent, null or empty)
	or gives one of the wrong type is refused with 400 naming the parameter, before the method runs.

	Without it a missing parameter is Python's TypeError, a 500. Types are checked against the
	annotations as Frappe would (pydantic, lax: "5" is an int for `int`), and the converted values
	are passed on; null for a parameter with a default means the default. Frappe's own check answers
	417 and skips string annotations (every module with `from __future__ import annotations`), so
	the wrapper shows Frappe no annotations and this check is the only one: the same for every method.
	"""
	signature = inspect.signature(fn)
	parameters = {
		name: parameter
		for name, parameter in signature.parameters.items()
		if name != "self" and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
	}
	hints: dict = {}

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if not hints:
			hints.update(typing.get_type_hints(fn))
			hints.pop("return", None)
		bound = signature.bind_partial(*args, **kwargs)
		for name, parameter in parameters.items():
			if (
				bound.arguments.get(name, parameter.default) is None
				and parameter.default is not parameter.empty
			):
				bound.arguments.pop(name, None)  # null: the default
		missing = [
			name
			for name, parameter in parameters.items()
			if parameter.default is parameter.empty and is_missing(bound.arguments.get(name))
		]
		if missing:
			frappe.throw(
				_("{0}: required, give it").format(", ".join(missing)),
				InvalidArgument,
				title=_("Missing Parameter"),
			)
		for name, value in list(bound.arguments.items()):
			if name in hints:
				bound.arguments[name] = converted(name, hints[name], value)
			if not encodable(value):
				frappe.throw(
					_("{0}: not valid text (a lone surrogate is not UTF-8)").format(name),
					InvalidArgument,
					title=_("Invalid Parameter"),
				)
		return fn(*bound.args, **bound.kwargs)

	wrapper.__annotations__ = {}  # see the docstring: Frappe's type check would run first, with 417
	return wrapper


def encodable(value) -> bool:
	"""Whether every text in a value (nested lists and objects too) can be stored as UTF-8."""
	stack = [value]
	while stack:
		item = stack.pop()
		if isinstance(item, str):
			try:
				item.encode("utf-8")
			except UnicodeEncodeError:
				return False
		elif isinstance(item, dict):
			stack.extend(item.keys())
			stack.extend(item.values())
		elif isinstance(item, list | tuple):
			stack.extend(item)
	return True


def is_missing(value) -> bool:
	return value is None or (isinstance(value, str) and not value.strip())


def converted(name: str, hint, value):
	from frappe.utils.typing_validations import TypeAdapter
	from pydantic import ValidationError as PydanticValidationError

	try:
		return TypeAdapter(hint).validate_python(value)
	except (PydanticValidationError, TypeError, ValueError, RecursionError):
		frappe.throw(
			_("{0}: must be {1}, not {2}").format(name, type_name(hint), type(value).__name__),
			InvalidArgument,
			title=_("Invalid Parameter"),
		)


def type_name(hint) -> str:
	return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
