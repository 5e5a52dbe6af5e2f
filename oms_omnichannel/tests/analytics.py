"""Factories for the analytics tests: order history placed in past weeks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import frappe

from oms_omnichannel.core.forecast import week_start
from oms_omnichannel.tests.utils import make_order


def past_order(channel: str, item: str, qty: float, when: datetime, customer: str | None = None) -> str:
	"""A completed order of `qty` placed at `when`, as history (written straight to its final
	state: demand history needs the order, not its fulfilment)."""
	order = make_order(channel, [{"item": item, "qty": qty, "rate": 10}], submit=False, customer=customer)
	frappe.db.set_value(
		"OMS Order",
		order.name,
		{"docstatus": 1, "status": "Completed", "order_datetime": when},
		update_modified=False,
	)
	frappe.db.set_value("OMS Order Item", {"parent": order.name}, "docstatus", 1, update_modified=False)
	return order.name


def weeks_ago(weeks: int, today: date | None = None) -> datetime:
	"""Tuesday noon of the week `weeks` before the current one."""
	monday = week_start(today or frappe.utils.getdate()) - timedelta(weeks=weeks)
	return datetime.combine(monday + timedelta(days=1), time(12))
