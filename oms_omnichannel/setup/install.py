"""Install, migrate and test-run hooks."""

import json
import os

import frappe
from frappe.model import no_value_fields

from oms_omnichannel.naming import ensure_sequences

SETTINGS = "OMS Settings"


def after_install():
	setup_defaults()


def after_migrate():
	setup_defaults()


def before_tests():
	setup_defaults()


def setup_defaults():
	"""What the app needs on a site, after install, on every migrate and before tests."""
	from oms_omnichannel.orders.holds import ensure_hold_types

	ensure_sequences()
	set_default_settings()
	ensure_hold_types()
	ensure_currency_read()
	ensure_kanban_boards()


def ensure_kanban_boards():
	"""The app's Kanban boards (setup/kanban_boards.json), made once; an administrator's changes to
	them are kept. Not fixtures: migrate imports fixtures again every time, and Kanban Board's
	before_insert stores the name of every document of each column, which at 1,000,000 orders is
	18 MB for the Completed column alone, over MariaDB's max_allowed_packet: migrate failed. So a
	missing board is written as it ships, with empty column orders (the board orders its cards
	as they are moved)."""
	with open(os.path.join(os.path.dirname(__file__), "kanban_boards.json")) as boards:
		records = json.load(boards)
	for record in records:
		if frappe.db.exists("Kanban Board", record["name"]):
			continue
		board = frappe.get_doc({key: value for key, value in record.items() if key != "modified"})
		board.set_user_and_timestamp()
		board.set_parent_in_children()
		board.db_insert()
		for column in board.columns:
			column.name = column.name or frappe.generate_hash(length=10)
			column.db_insert()


def ensure_currency_read():
	"""Every desk role of the app reads Currency (a list of currencies, nothing private). Orders,
	shipments and reports link to it, and Frappe's report runner refuses a report with a Currency
	Link column ("No permission to read Currency") to a user who may not read it. Frappe ships read
	only for System Manager and accounting roles; an administrator's own rows are kept."""
	from frappe.permissions import add_permission

	from oms_omnichannel.hooks import OMS_ROLES

	for role in OMS_ROLES:
		if role == "OMS Integration" or not frappe.db.exists("Role", role):
			continue  # API users read nothing through the desk
		if not frappe.db.exists("Custom DocPerm", {"parent": "Currency", "role": role, "permlevel": 0}):
			add_permission("Currency", role, 0)


def shipped_settings() -> dict:
	"""Every OMS Settings field with the default its DocType ships (None where it has none): the
	one list of defaults, read from the DocType JSON."""
	return {
		df.fieldname: df.default if df.default not in ("", None) else None
		for df in frappe.get_meta(SETTINGS).fields
		if df.fieldtype not in no_value_fields
	}


def set_default_settings():
	"""Store the shipped default of every setting the site has no value for.

	A value the site has stored is an administrator's choice and stays, a Check's 0 included: only
	fields never stored (a first install, a field added by an update, an install that failed half
	way) or stored empty get their default.
	"""
	stored = stored_settings()
	defaults = shipped_settings()
	defaults["default_currency"] = frappe.db.get_default("currency") or defaults["default_currency"] or "USD"
	missing = {
		fieldname: value
		for fieldname, value in defaults.items()
		if value is not None and stored.get(fieldname) in (None, "")
	}
	if missing:
		frappe.db.set_single_value(SETTINGS, missing)


def stored_settings() -> dict[str, str | None]:
	"""The OMS Settings values the site has stored, as stored (field -> text)."""
	return dict(frappe.db.sql("select field, value from tabSingles where doctype=%s", SETTINGS))
