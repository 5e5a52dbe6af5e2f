"""Backorders: Pending orders waiting for stock get it as soon as it arrives.

Driven by what changed: when stock moves, the touched items and locations are remembered and one
deduplicated background job retries the orders that wait for exactly those items, oldest first,
while the stock that arrived lasts. The scheduler runs the same query over every item that has
free stock, as a safety net (a job lost with a worker). Orders waiting for stock that never
arrives (a discontinued line) are never selected, so no backlog can keep newer orders waiting.
"""

from __future__ import annotations

import frappe
from frappe import _

from oms_omnichannel.core.order_status import OrderStatus
from oms_omnichannel.inventory.reservations import AVAILABLE
from oms_omnichannel.orders.fulfilment import VOUCHER, reserve_order
from oms_omnichannel.utils import queue_pending, take_pending

PENDING_STOCK = "oms:backorders:pending-stock"  # Redis set of "item\x1flocation" touched since the last job
PAGE = 100


def queue_backorder_retry(keys) -> None:
	"""Hook (`oms_queue_after_stock_change`): remember the Available stock that moved; one deduplicated
	job after the commit retries the orders waiting for it."""
	queue_pending(
		PENDING_STOCK,
		(f"{item}\x1f{location}" for item, location, status in keys if status == AVAILABLE),
		"oms_omnichannel.orders.backorders.retry_pending_backorders",
		job_id="oms-backorder-retry",
	)


def retry_pending_backorders(commit: bool = True, given: list[str] | None = None) -> int:
	"""Background job: retry the orders waiting for the stock touched since the last run."""
	members = take_pending(PENDING_STOCK, given)
	if not members:
		return 0
	pairs = [tuple(member.split("\x1f", 1)) for member in members]
	return retry_backorders_for(
		items=sorted({item for item, _location in pairs}),
		locations=sorted({location for _item, location in pairs}),
		commit=commit,
	)


def retry_backorders(commit: bool = True) -> int:
	"""Scheduler (safety net): retry every waiting order whose items have free stock somewhere."""
	return retry_backorders_for(commit=commit)


def retry_backorders_for(
	items: list[str] | None = None,
	locations: list[str] | None = None,
	*,
	commit: bool = True,
	page: int = PAGE,
) -> int:
	"""Reserve for the Pending orders waiting for `items` (every item when None) that have free
	Available stock (at `locations`, when given), first come first served. Pages through them
	until no waiting order is left whose stock is still free; returns how many were filled."""
	filled, after = 0, None
	while True:
		names = waiting_orders(items, locations, after=after, limit=page)
		if not names:
			return filled
		for name, order_datetime in names:
			filled += retry_order(name)
			if commit:
				frappe.db.commit()  # background job: each order on its own
			after = (order_datetime, name)


def retry_order(name: str) -> int:
	"""Reserve what one waiting order can get now; 1 when it got some. An order that fails is
	logged and rolled back alone: it must not stop the orders behind it."""
	frappe.db.savepoint("oms_backorder")
	try:
		order = frappe.get_doc(VOUCHER, name, for_update=True)
		if order.status != OrderStatus.PENDING.value:
			return 0
		result = reserve_order(order)
		if not (result and result.reserved):
			return 0
		order.update_fulfilment_status(_("Stock arrived for the backorder"))
		return 1
	except Exception:
		frappe.db.rollback(save_point="oms_backorder")
		frappe.log_error(
			title=_("Backorder retry failed for {0}").format(name),
			reference_doctype=VOUCHER,
			reference_name=name,
		)
		return 0


def waiting_orders(
	items: list[str] | None,
	locations: list[str] | None,
	*,
	after: tuple | None = None,
	limit: int = PAGE,
) -> list[tuple[str, object]]:
	"""(name, order_datetime) of submitted Pending orders, oldest first (after `after`), with a
	stock line still short whose item has free Available stock (at `locations`, when given).

	Reads through the index on OMS Order Item.item, so a backlog waiting for other items costs
	nothing."""
	conditions = ["o.docstatus = 1", "o.status = %(pending)s"]
	values: dict = {"pending": OrderStatus.PENDING.value, "available": AVAILABLE, "limit": limit}
	if items is not None:
		if not items:
			return []
		conditions.append("oi.item in %(items)s")
		values["items"] = tuple(items)
	stock_at = ""
	if locations is not None:
		if not locations:
			return []
		stock_at = "and b.location in %(locations)s"
		values["locations"] = tuple(locations)
	if after is not None:
		conditions.append("(o.order_datetime, o.name) > (%(after_datetime)s, %(after_name)s)")
		values.update(after_datetime=after[0], after_name=after[1])
	# safe-sql: conditions and stock_at are constant clauses with %(name)s placeholders; values are parameters
	return list(
		frappe.db.sql(
			f"""
		select distinct o.name, o.order_datetime
		from `tabOMS Order Item` oi
		join `tabOMS Order` o on o.name = oi.parent
		where {" and ".join(conditions)}
			and oi.parenttype = 'OMS Order'
			and oi.qty - ifnull(oi.reserved_qty, 0) - ifnull(oi.shipped_qty, 0) - ifnull(oi.cancelled_qty, 0) > 0
			and exists (
				select 1 from `tabOMS Stock Balance` b
				where b.item = oi.item and b.stock_status = %(available)s and b.available_qty > 0 {stock_at}
			)
		order by o.order_datetime, o.name
		limit %(limit)s
		""",
			values,
		)
	)
