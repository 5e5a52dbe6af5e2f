"""Row locks on stock balances, taken in one global order so concurrent requests cannot deadlock.

Every service that changes stock (ledger postings, reservations) first calls `lock_balances`
with all the (item, location, status) keys it will touch. The rows are created when missing
(get-or-create under the unique index) and then locked with SELECT ... FOR UPDATE in sorted
key order, so two transactions always queue in the same order. Locks last until commit.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

import frappe
from frappe import _

from oms_omnichannel.core.stock import lock_order

BalanceKey = tuple[str, str, str]  # item, location, stock status
T = TypeVar("T")


class StockLockConflict(frappe.ValidationError):
	"""Lock retries ran out: the request is refused and nothing is written."""


def lock_balances(
	keys: Iterable[BalanceKey], *, shared: Iterable[BalanceKey] = ()
) -> dict[BalanceKey, frappe._dict]:
	"""Create missing balance rows and lock all of them, in lock order. Returns the locked rows.

	Keys in `shared` are locked in share mode: enough to read a balance that will not be changed
	(no other transaction can change it before the commit), and many transactions may hold it at
	once. A transaction that holds a share lock must not change that row later."""
	shared = set(shared)
	locked: dict[BalanceKey, frappe._dict] = {}
	for key in lock_order(keys):
		row = _select_locked(key, key in shared)
		if row is None:
			_create_balance(key)
			row = _select_locked(key, key in shared)
		locked[key] = row
	return locked


def read_balances(keys: Iterable[BalanceKey]) -> dict[BalanceKey, frappe._dict]:
	"""The balance rows of these keys as this transaction sees them, without locking (one query);
	a key without a row is left out. For plans that are checked under `lock_balances` later."""
	keys = set(lock_order(keys))
	if not keys:
		return {}
	rows = frappe.db.sql(
		"""SELECT `name`, `item`, `location`, `stock_status`, `actual_qty`, `reserved_qty`,
			`available_qty`, `incoming_qty`
		FROM `tabOMS Stock Balance` WHERE `item` IN %s AND `location` IN %s AND `stock_status` IN %s""",
		tuple(tuple(sorted({key[part] for key in keys})) for part in range(3)),
		as_dict=True,
	)
	found = {(row.pop("item"), row.pop("location"), row.pop("stock_status")): row for row in rows}
	return {key: row for key, row in found.items() if key in keys}


def _select_locked(key: BalanceKey, shared: bool = False) -> frappe._dict | None:
	# plain SQL: this runs for every key of every stock change, and the query builder costs more
	# than the query
	# safe-sql: the locking clause is one of two constants
	rows = frappe.db.sql(
		"""SELECT `name`, `actual_qty`, `reserved_qty`, `available_qty`, `incoming_qty`
		FROM `tabOMS Stock Balance` WHERE `item`=%s AND `location`=%s AND `stock_status`=%s """
		+ ("LOCK IN SHARE MODE" if shared else "FOR UPDATE"),
		key,
		as_dict=True,
	)
	return rows[0] if rows else None


def _create_balance(key: BalanceKey) -> None:
	"""Insert the row; if another transaction inserted it first, the unique index says so and we use theirs."""
	item, location, status = key
	frappe.db.savepoint("create_stock_balance")
	try:
		doc = frappe.get_doc(
			{"doctype": "OMS Stock Balance", "item": item, "location": location, "stock_status": status}
		)
		doc.flags.from_stock_service = True
		# ignore-permissions: balance rows belong to the stock service; the caller's right was checked on the voucher that moves stock
		doc.insert(ignore_permissions=True)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.db.rollback(save_point="create_stock_balance")


def retry_on_lock_conflict(fn: Callable[..., T]) -> Callable[..., T]:
	"""Run a whole-transaction entry point again after a deadlock or lock-wait timeout.

	InnoDB rolls back the whole transaction of a deadlock victim, so only a function that *is*
	the transaction (an API call, a job, one order of a batch committed on its own) may be
	retried. After the configured attempts the caller gets a clear error and nothing is written.
	"""

	@wraps(fn)
	def wrapper(*args, **kwargs):
		attempts = max(int(frappe.db.get_single_value("OMS Settings", "lock_retry_attempts") or 0), 0) + 1
		for attempt in range(1, attempts + 1):
			try:
				return fn(*args, **kwargs)
			except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
				frappe.db.rollback()
				frappe.local.lock_retries = getattr(frappe.local, "lock_retries", 0) + 1
				if attempt == attempts:
					frappe.throw(
						_("Stock is busy with other orders; nothing was saved. Please try again."),
						StockLockConflict,
						title=_("Please Retry"),
					)
				time.sleep(random.uniform(0.01, 0.05) * attempt)

	return wrapper
