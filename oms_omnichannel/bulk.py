"""Many new documents written at once: one multi-row INSERT per table instead of a full
`insert()` per document.

For documents a service has built and validated itself (order intake, reservations, comments):
Frappe's per-document insert costs about ten queries each (naming, link checks, hooks, version),
this costs one per table plus one per naming-series prefix. No controller hook runs here; the
caller runs what its documents need (see `run_insert_events`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import frappe
import frappe.cache_manager
from frappe.model import no_value_fields, table_fields
from frappe.model.base_document import float_like_fields
from frappe.model.document import Document
from frappe.model.naming import NamingSeries, _generate_random_string, parse_naming_series, set_new_name
from frappe.utils import cint, cstr, flt, now, nowdate

from oms_omnichannel.naming import is_sequence_named, name_from_sequence

CHUNK = 500  # rows per INSERT statement: well under max_allowed_packet for wide rows


def insert_new_documents(docs: Iterable[Document]) -> None:
	"""Name, stamp and INSERT new documents and their child rows; docstatus is kept as set."""
	docs = list(docs)
	if not docs:
		return
	for doc in docs:
		apply_defaults(doc)
	assign_names(docs)
	timestamp, user = now(), frappe.session.user
	rows: dict[str, list[dict]] = defaultdict(list)
	for doc in docs:
		doc.creation = doc.modified = doc.creation or timestamp
		doc.owner = doc.owner or user
		doc.modified_by = user
		rows[doc.doctype].append(doc.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True))
		for df in doc.meta.get_table_fields():
			for idx, child in enumerate(doc.get(df.fieldname) or [], start=1):
				child.parent, child.parenttype, child.parentfield = doc.name, doc.doctype, df.fieldname
				child.idx, child.docstatus = idx, doc.docstatus
				child.creation, child.modified = doc.creation, doc.modified
				child.owner, child.modified_by = doc.owner, user
				rows[child.doctype].append(
					child.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
				)
	for doc in docs:
		doc.set("__islocal", False)
		for child in doc.get_all_children():
			child.set("__islocal", False)
	for doctype, values in rows.items():
		insert_rows(doctype, values)


def apply_defaults(doc: Document) -> None:
	"""Field defaults, as a new document gets them, wherever a value is missing (also on
	documents made with `frappe.get_doc(dict)`, which `_set_defaults` would skip as not new)."""
	doc.update_if_missing(field_defaults(doc.doctype))
	for df in doc.meta.get_table_fields():
		rows = doc.get(df.fieldname) or []
		if rows:
			defaults = field_defaults(df.options)
			for row in rows:
				row.update_if_missing(defaults)


def field_defaults(doctype: str) -> dict:
	"""A DocType's field defaults as `frappe.new_doc` sets them (`get_static_default_value`),
	without its per-user defaults from User Permissions: service-built documents set their links
	themselves. `frappe.new_doc` costs a few queries per call in a web request; this reads only
	the metadata, once per request."""
	if not hasattr(frappe.local, "oms_field_defaults"):
		frappe.local.oms_field_defaults = {}
	cache = frappe.local.oms_field_defaults
	if doctype not in cache:
		static = {}
		for df in frappe.get_meta(doctype).fields:
			if df.fieldtype in no_value_fields or df.fieldtype in table_fields:
				continue
			if df.default:
				if cstr(df.default).startswith(":"):
					continue
				static[df.fieldname] = df.default
			elif df.fieldtype == "Select" and df.options and df.options not in ("[Select]", "Loading..."):
				static[df.fieldname] = df.options.split("\n", 1)[0]
			else:
				continue
			if df.fieldtype in ("Check", "Int") and static[df.fieldname] not in ("__user", "Today"):
				static[df.fieldname] = cint(static[df.fieldname])
			elif df.fieldtype in float_like_fields:
				static[df.fieldname] = flt(static[df.fieldname])
		cache[doctype] = static
	dynamic = {"__user": frappe.session.user, "Today": nowdate()}
	return {
		key: dynamic.get(value, value) if isinstance(value, str) else value
		for key, value in cache[doctype].items()
	}


def insert_rows(doctype: str, values: list[dict]) -> None:
	"""Parameterised multi-row INSERT of plain row dicts (all of one DocType)."""
	columns = list(dict.fromkeys(column for row in values for column in row))
	column_sql = ", ".join(f"`{column}`" for column in columns)
	placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
	for start in range(0, len(values), CHUNK):
		chunk = values[start : start + CHUNK]
		# safe-sql: doctype and columns are a DocType and its fieldnames (metadata, never request input); values are %s parameters
		frappe.db.sql(
			f"INSERT INTO `tab{doctype}` ({column_sql}) VALUES {', '.join([placeholders] * len(chunk))}",
			[row.get(column) for row in chunk for column in columns],
		)


def assign_names(docs: list[Document]) -> None:
	"""Names for new documents: autoincrement and naming series in one query per sequence or
	prefix; anything else (field, format, naming rules, controller autoname) the framework's way."""
	by_doctype: dict[str, list[Document]] = defaultdict(list)
	for doc in docs:
		if not doc.name:
			by_doctype[doc.doctype].append(doc)
	for doctype, unnamed in by_doctype.items():
		meta = frappe.get_meta(doctype)
		autoname = (meta.autoname or "").strip()
		if autoname == "autoincrement":
			for doc, value in zip(unnamed, next_sequence_values(doctype, len(unnamed)), strict=True):
				doc.name = value
		elif autoname == "hash" or (not autoname and not hasattr(type(unnamed[0]), "autoname")):
			for doc in unnamed:  # Frappe's own fallback is a random name too
				doc.name = _generate_random_string(10)
		elif is_sequence_named(doctype) and not has_naming_rule(doctype):
			name_from_sequence(unnamed)  # what the controller's autoname does, one query for all
		elif (series_of := _series_reader(doctype, autoname)) is not None:
			_name_by_series(unnamed, series_of)
		else:
			for doc in unnamed:
				set_new_name(doc)
	for doc in docs:  # rows get their names now: reservations refer to them before anything is written
		for child in doc.get_all_children():
			child.name = child.name or _generate_random_string(10)


def next_sequence_values(doctype: str, count: int) -> list[int]:
	"""`count` values of an autoincrement DocType's sequence, in one query."""
	sequence = frappe.scrub(f"{doctype}_id_seq")
	# safe-sql: the sequence name comes from the DocType name (metadata) through frappe.scrub, the count is an int
	rows = frappe.db.sql(f"SELECT nextval(`{sequence}`) FROM seq_1_to_{int(count)}")
	return [row[0] for row in rows]


def _series_reader(doctype: str, autoname: str):
	"""A function giving a document's naming series, or None when the DocType is not
	series-named (or a Document Naming Rule or controller may decide its names)."""
	if has_naming_rule(doctype):
		return None
	if autoname.startswith("naming_series:"):
		default = (frappe.get_meta(doctype).get_field("naming_series").options or "").split("\n")[0]
		return lambda doc: doc.naming_series or default
	if "#" in autoname and not autoname.lower().startswith(("field:", "format:", "prompt")):
		return lambda doc: autoname
	return None


def has_naming_rule(doctype: str) -> bool:
	"""Whether an enabled Document Naming Rule names this DocType (it comes before any other
	naming); the framework's cached map, as its own naming reads it."""
	return bool(
		frappe.cache_manager.get_doctype_map(
			"Document Naming Rule", doctype, filters={"document_type": doctype, "disabled": 0}
		)
	)


def _name_by_series(docs: list[Document], series_of) -> None:
	series_by_doc = []
	counts: dict[str, int] = defaultdict(int)
	for doc in docs:
		if not doc.get("naming_series") and doc.meta.has_field("naming_series"):
			doc.naming_series = series_of(doc)
		series = NamingSeries(series_of(doc))
		series.validate()
		prefix = _prefix(series, doc)
		counts[prefix] += 1
		series_by_doc.append((doc, series, prefix))
	next_number = {prefix: reserve_series(prefix, count) for prefix, count in sorted(counts.items())}
	for doc, series, prefix in series_by_doc:
		number = next_number[prefix]
		next_number[prefix] += 1
		doc.name = parse_naming_series(
			series.series, doc=doc, number_generator=lambda _prefix, digits, n=number: f"{n:0{digits}d}"
		)


def _prefix(series: NamingSeries, doc: Document) -> str:
	prefix = ""

	def capture(partial: str, digits: int) -> str:
		nonlocal prefix
		prefix = partial
		return "#" * digits

	parse_naming_series(series.series, doc=doc, number_generator=capture)
	return prefix


def reserve_series(prefix: str, count: int) -> int:
	"""Take `count` consecutive numbers of a `tabSeries` counter; returns the first.

	Locks the counter row like Frappe's own `getseries`, so names never collide with documents
	created one by one."""
	current = frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name`=%s FOR UPDATE", (prefix,))
	if current and current[0][0] is not None:
		frappe.db.sql("UPDATE `tabSeries` SET `current` = `current` + %s WHERE `name`=%s", (count, prefix))
		return int(current[0][0]) + 1
	frappe.db.sql("INSERT INTO `tabSeries` (`name`, `current`) VALUES (%s, %s)", (prefix, count))
	return 1


def run_insert_events(docs: Iterable[Document], events: Iterable[str]) -> None:
	"""What an `insert()` would have run after writing, for other apps and for administrators:
	doc_events hooks, Notifications, Webhooks and server scripts. The controller's own method of
	the same name runs too; it must know (from a flag) that its work is already done.

	Notifications are evaluated as Frappe's `Document.run_notifications` does (same events, once
	per document), but each Notification is read from the document cache once for all the
	documents (Frappe loads it from the database for every document)."""
	docs, events = list(docs), list(events)
	if not docs:
		return
	alerts = enabled_notifications(docs[0].doctype)
	for doc in docs:
		if doc.flags.notifications_executed is None:
			doc.flags.notifications_executed = []
		doc.flags.notifications = []  # evaluated below; Frappe's run_notifications has none left
		try:
			for event in events:
				doc.run_method(event)
				run_notifications(doc, event, alerts)
		finally:
			doc.flags.notifications = None  # later saves in this request: Frappe's own way again


def enabled_notifications(doctype: str) -> list:
	"""The enabled Notifications of a DocType (the list as Frappe caches it), as documents."""
	if (
		(frappe.flags.in_import and frappe.flags.mute_emails)
		or frappe.flags.in_patch
		or frappe.flags.in_install
	):
		return []
	listed = frappe.cache.hget(
		"notifications",
		doctype,
		lambda: frappe.get_all(
			"Notification",
			fields=["name", "event", "method"],
			filters={"enabled": 1, "document_type": doctype},
		),
	)
	# cached like the list: saving a Notification clears both
	return [frappe.get_cached_doc("Notification", row.name) for row in listed or []]


def run_notifications(doc: Document, method: str, alerts: list) -> None:
	"""Frappe 15's `Document.run_notifications` for one event, with the Notifications loaded."""
	from frappe.email.doctype.notification.notification import evaluate_alert

	event_map = {"on_update": "Save", "after_insert": "New", "on_submit": "Submit", "on_cancel": "Cancel"}
	if not doc.flags.in_insert and not doc.flags.in_delete:
		event_map["on_change"] = "Value Change"
	for alert in alerts:
		if alert.name in doc.flags.notifications_executed:
			continue
		if (alert.event == event_map.get(method)) or (alert.event == "Method" and alert.method == method):
			evaluate_alert(doc, alert, alert.event)
			doc.flags.notifications_executed.append(alert.name)
