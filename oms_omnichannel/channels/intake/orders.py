"""The orders of a request, taken together: parsed and built in memory, then fulfilment started
and everything written at once; one by one when the database must settle a race."""

from __future__ import annotations

from dataclasses import dataclass

import frappe
from frappe.utils import cstr, strip_html

from oms_omnichannel.bulk import assign_names, insert_new_documents, run_insert_events
from oms_omnichannel.channels.intake.building import build_order
from oms_omnichannel.channels.intake.context import IntakeContext
from oms_omnichannel.channels.intake.errors import OrderRefused
from oms_omnichannel.channels.intake.logs import write_logs
from oms_omnichannel.core import intake as intake_core
from oms_omnichannel.core.errors import DomainError
from oms_omnichannel.customers.preferences import set_preferences_of_new_profiles, update_preferences
from oms_omnichannel.orders.fulfilment import PlannedReservations
from oms_omnichannel.orders.lifecycle import start_fulfilment

PLAN_ATTEMPTS = 3  # plans of a batch's reservations before it reserves under the locks held from the start


@dataclass
class Entry:
	"""One order of a request on its way through intake."""

	position: int
	raw: object
	log_name: str | None = None
	channel_order_id: str = ""
	parsed: intake_core.IntakeOrder | None = None
	order: object = None  # the new OMS Order document
	customer: object = None  # its Customer Profile: a name, a new profile document, or None
	existing: tuple[str, str] | None = None  # (order, status) when replayed
	error: tuple[str, str | None] | None = None  # (message, field)

	@property
	def path(self) -> str:
		return f"orders[{self.position}]."


def process_orders(
	channel: str,
	raw_orders: list,
	*,
	positions: list[int] | None = None,
	batch_id: str | None = None,
	idempotency_key: str | None = None,
	log_names: list[str] | None = None,
) -> list[dict]:
	"""Create (or find) the orders of many payloads at once; never raises for a bad order.

	All orders are validated in memory, then written together: one query per table instead of
	dozens per order. Should the batch meet something only the database can settle (another
	request created one of these orders or customers a moment ago), it is rolled back and each
	order is taken on its own.
	"""
	entries = [
		Entry(
			position=(positions[index] if positions else index),
			raw=raw,
			log_name=log_names[index] if log_names else None,
		)
		for index, raw in enumerate(raw_orders)
	]
	frappe.db.savepoint("oms_intake_batch")
	try:
		planned = take_together(channel, entries, locks_last=True)
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		# A deadlock rolls back the whole transaction (the savepoint with it): the entry point
		# that is the transaction retries it (inventory.locks.retry_on_lock_conflict).
		raise
	except Exception as error:
		frappe.db.rollback(save_point="oms_intake_batch")
		if len(entries) > 1:
			return [
				result
				for entry in entries
				for result in process_orders(
					channel,
					[entry.raw],
					positions=[entry.position],
					batch_id=batch_id,
					idempotency_key=idempotency_key,
					log_names=[entry.log_name] if entry.log_name else None,
				)
			]
		if not is_unique_violation(error):
			raise
		# A concurrent request took this order (or created its customer) first: read what it
		# committed and go again; the order is then a replay, or is linked to that customer.
		entries = [Entry(position=e.position, raw=e.raw, log_name=e.log_name) for e in entries]
		take_together(channel, entries, locking=True)
		return write_logs(channel, entries, batch_id, idempotency_key)
	results = write_logs(channel, entries, batch_id, idempotency_key)
	# The stock last, so that the balance rows every order of a popular item needs are locked
	# only for the moment before the commit.
	for attempt in range(1, PLAN_ATTEMPTS + 1):
		if planned is None or planned.settle():
			return results
		# Stock moved between the plan and the locks (another order took what this one counted
		# on): the batch again, planned on the stock as the locks found it (the rollback to the
		# savepoint lets go of them); after the last attempt, reserving under locks held from
		# the start.
		frappe.db.rollback(save_point="oms_intake_batch")
		entries = [Entry(position=e.position, raw=e.raw, log_name=e.log_name) for e in entries]
		if attempt == PLAN_ATTEMPTS:
			break
		planned = take_together(channel, entries, locks_last=True, balances=planned.current)
		results = write_logs(channel, entries, batch_id, idempotency_key)
	take_together(channel, entries)
	return write_logs(channel, entries, batch_id, idempotency_key)


def is_unique_violation(error: Exception) -> bool:
	if isinstance(error, frappe.UniqueValidationError | frappe.DuplicateEntryError):
		return True
	return frappe.db.is_unique_key_violation(error) or frappe.db.is_primary_key_violation(error)


def raw_channel_order_id(raw) -> str:
	"""The channel order id as sent, for logs and answers even when the payload is refused."""
	return cstr(raw.get("channel_order_id")).strip()[:140] if isinstance(raw, dict) else ""


def take_together(
	channel: str,
	entries: list[Entry],
	locking: bool = False,
	locks_last: bool = False,
	balances: dict | None = None,
) -> PlannedReservations | None:
	"""Build and write the orders. `locks_last`: their reservations are planned only (on
	`balances` when given), and returned to be settled by the caller (see
	`orders.lifecycle.start_fulfilment`)."""
	for entry in entries:
		entry.channel_order_id = raw_channel_order_id(entry.raw)
		try:
			entry.parsed = intake_core.parse_order(entry.raw, entry.path)
		except DomainError as error:
			entry.error = (error.message, error.field)
	parsed = [entry for entry in entries if entry.parsed]
	context = IntakeContext(channel, [entry.parsed for entry in parsed], locking)
	existing = context.existing_orders([entry.parsed.channel_order_id for entry in parsed])
	first_of_id: dict[str, Entry] = {}
	repeats: list[tuple[Entry, Entry]] = []  # (repeat, first) of an id sent twice in this batch
	built: list[Entry] = []
	for entry in parsed:
		channel_order_id = entry.parsed.channel_order_id
		if channel_order_id in existing:
			entry.existing = existing[channel_order_id]
			continue
		if channel_order_id in first_of_id:  # sent twice in one batch: the second is a replay
			repeats.append((entry, first_of_id[channel_order_id]))
			continue
		try:
			order = build_order(context, entry.parsed, entry.path)
			# the customer last: a refused order leaves no profile behind
			customer = context.customers.find_or_add(
				entry.parsed, context.country(entry.parsed.shipping.country), order
			)
		except (DomainError, OrderRefused, frappe.ValidationError) as error:
			frappe.clear_messages()
			entry.error = (
				error.message if isinstance(error, DomainError | OrderRefused) else strip_html(str(error)),
				getattr(error, "field", None),
			)
			continue
		entry.order, entry.customer = order, customer
		first_of_id[channel_order_id] = entry
		built.append(entry)
	if not built:
		return None
	orders = [entry.order for entry in built]
	new_profiles = [entry.customer for entry in built if not isinstance(entry.customer, str | None)]
	assign_names(new_profiles + orders)
	new_customers = {profile.name for profile in new_profiles}
	set_customers(built)
	previous = count_previous_orders(orders, new_customers=new_customers)
	planned = start_fulfilment(orders, previous_orders=previous, locks_last=locks_last, balances=balances)
	for repeat, first in repeats:
		repeat.existing = (first.order.name, first.order.status)
	set_preferences_of_new_profiles(new_profiles, orders)
	context.customers.write()
	insert_new_documents(orders)
	insert_new_documents([comment for order in orders for comment in order.flags.deferred_comments])
	for order in orders:
		order.flags.deferred_comments = None  # written: comments from here on are written at once
	run_insert_events(orders, ("after_insert", "on_update", "on_submit", "on_change"))
	update_preferences(sorted({o.customer for o in orders if o.customer and o.customer not in new_customers}))
	frappe.publish_realtime(
		"list_update", {"doctype": "OMS Order", "name": orders[-1].name}, after_commit=True
	)
	return planned


def set_customers(entries: list[Entry]) -> None:
	"""Each order links its customer's profile (a new profile has its name by now)."""
	for entry in entries:
		customer = entry.customer
		entry.order.customer = customer if isinstance(customer, str) or customer is None else customer.name


def count_previous_orders(orders: list, new_customers: set[str] = frozenset()) -> dict[str, int]:
	"""For the hold rules, by order: its customer's submitted orders before it (earlier in the
	batch too). A customer made by this batch (`new_customers`) has none in the database."""
	names = {order.customer for order in orders if order.customer} - new_customers
	counts = dict(
		frappe.db.sql(
			"SELECT `customer`, COUNT(*) FROM `tabOMS Order` WHERE `docstatus`=1 AND `customer` IN %s "
			"GROUP BY `customer`",
			(tuple(names),),
		)
		if names
		else []
	)
	previous = {}
	for order in orders:
		previous[order.name] = counts.get(order.customer, 0) if order.customer else 0
		if order.customer:
			counts[order.customer] = counts.get(order.customer, 0) + 1
	return previous
