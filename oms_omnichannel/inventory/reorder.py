"""Safety stock and reorder: one suggestion per breach, closed again when stock is restored."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_to_date, flt, now_datetime

from oms_omnichannel.core import stock as stock_core

AVAILABLE = "Available"


def check_after_stock_change(keys) -> None:
	"""Hook (`oms_after_stock_change`): re-check the touched item x location pairs.

	Runs inside the stock transaction while its balance rows are locked, so two concurrent
	movements cannot both see "no open suggestion" and raise one each.
	"""
	pairs = sorted({(item, location) for item, location, status in keys if status == AVAILABLE})
	check_pairs(pairs)


def check_pairs(pairs: list[tuple[str, str]]) -> int:
	"""Raise or close suggestions for these pairs; returns how many were raised."""
	if not pairs:
		return 0
	return sum(apply_decision(row, row.open_suggestion) for row in _levels(pairs, with_open=True))


def scheduled_check() -> int:
	"""Scheduler: every pair with stock, at the interval set in OMS Settings."""
	settings = frappe.get_cached_doc("OMS Settings")
	interval = int(settings.low_stock_check_interval or 0)
	if interval <= 0:
		return 0
	last = frappe.cache.get_value("oms:last_reorder_check")
	if last and now_datetime() < add_to_date(frappe.utils.get_datetime(last), minutes=interval):
		return 0
	frappe.cache.set_value("oms:last_reorder_check", str(now_datetime()))
	raised = 0
	open_suggestions = _open_suggestions(None)
	for row in _levels(None):
		raised += apply_decision(row, open_suggestions.get((row.item, row.location)))
	return raised


def _open_suggestions(items: list[str] | None) -> dict[tuple[str, str], str]:
	"""{(item, location): open Reorder Suggestion} (one query; the newest wins)."""
	if items is not None and not items:
		return {}
	condition = " AND `item` IN %(items)s" if items is not None else ""
	rows = frappe.db.sql(
		"SELECT `item`, `location`, `name` FROM `tabReorder Suggestion` WHERE `status`='Open'"
		+ condition
		+ " ORDER BY `modified` ASC",
		{"items": tuple(items or ())},
	)
	return {(item, location): name for item, location, name in rows}


def _levels(pairs, with_open: bool = False):
	"""Available balances with their safety stock and reorder levels (the location's, else the
	item's), and with `with_open` the pair's open Reorder Suggestion (the newest). Plain SQL, one
	query: runs after every stock change, while its balance rows are locked."""
	condition = " AND b.`item` IN %(items)s" if pairs else ""
	open_suggestion = (
		""", (SELECT s.`name` FROM `tabReorder Suggestion` s WHERE s.`status` = 'Open'
			AND s.`item` = b.`item` AND s.`location` = b.`location`
			ORDER BY s.`modified` DESC LIMIT 1) AS open_suggestion"""
		if with_open
		else ""
	)
	# safe-sql: open_suggestion and condition are constant clauses; values are %(name)s parameters
	rows = frappe.db.sql(
		"""SELECT b.`item`, b.`location`, b.`available_qty`, b.`safety_stock` AS location_safety_stock,
			b.`reorder_level` AS location_reorder_level, b.`reorder_qty` AS location_reorder_qty,
			i.`safety_stock`, i.`reorder_level`, i.`reorder_qty`"""
		+ open_suggestion
		+ """
		FROM `tabOMS Stock Balance` b JOIN `tabOMS Item` i ON i.`name` = b.`item`
		WHERE b.`stock_status` = %(status)s AND i.`disabled` = 0 AND i.`is_stock_item` = 1"""
		+ condition,
		{"status": AVAILABLE, "items": tuple(sorted({item for item, _ in pairs or ()}))},
		as_dict=True,
	)
	if pairs:
		wanted = set(pairs)
		rows = [row for row in rows if (row.item, row.location) in wanted]
	return rows


def apply_decision(row, open_name: str | None) -> int:
	decision = stock_core.reorder_check(
		available=flt(row.available_qty),
		safety_stock=flt(row.location_safety_stock) or flt(row.safety_stock),
		reorder_level=flt(row.location_reorder_level) or flt(row.reorder_level),
		reorder_qty=flt(row.location_reorder_qty) or flt(row.reorder_qty),
		open_suggestion_exists=bool(open_name),
	)
	if decision.close_open_suggestion:
		suggestion = frappe.get_doc("Reorder Suggestion", open_name)
		suggestion.status = "Closed"
		suggestion.add_comment("Info", _("Stock restored: {0} available").format(flt(row.available_qty)))
		# ignore-permissions: suggestions are closed by the app after any stock change, whoever made it
		suggestion.save(ignore_permissions=True)
	if not decision.raise_suggestion:
		return 0
	# ignore-permissions: suggestions are raised by the app after any stock change, whoever made it
	suggestion = frappe.get_doc(
		{
			"doctype": "Reorder Suggestion",
			"item": row.item,
			"location": row.location,
			"status": "Open",
			"available_qty": flt(row.available_qty),
			"safety_stock": flt(row.location_safety_stock) or flt(row.safety_stock),
			"reorder_level": decision.reorder_level,
			"suggested_qty": decision.suggested_qty,
			"raised_at": now_datetime(),
		}
	).insert(ignore_permissions=True)
	# the Inventory Managers hear of it through the "OMS Low Stock" Notification (fixtures)
	return 1
