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


def run_prepared(report_name: str, filters: dict) -> dict:
	"""A prepared report the way the desk runs it: the report API finds no result and computes
	nothing, the user queues one, the background job builds it as that user (here inline, in the
	test's transaction), and the report API then returns the stored result."""
	from unittest.mock import patch

	from frappe.core.doctype.prepared_report import prepared_report
	from frappe.desk.query_report import run

	before = run(report_name, filters=dict(filters))
	assert before.get("prepared_report") and not before.get("result"), f"{report_name} ran in the request"
	name = prepared_report.make_prepared_report(report_name, dict(filters))["name"]
	assert frappe.db.get_value("Prepared Report", name, "owner") == frappe.session.user
	# the job's first step commits (to show the report as started): not inside a test
	with patch.object(prepared_report, "update_job_id"):
		prepared_report.generate_report(name)
	assert frappe.db.get_value("Prepared Report", name, "status") == "Completed", frappe.db.get_value(
		"Prepared Report", name, "error_message"
	)
	result = run(report_name, filters=dict(filters))
	assert result.get("prepared_report") and result["doc"].name == name
	return result


HOSTILE = ("'; drop table `tabOMS Item`; --", "%", "_", "\\", "Ünïcødé ✓ 库存", "' OR '1'='1")


class StockScenario:
	"""Two new locations and two items of a new category, with figures worked out by hand:

	- 40 days ago: 10 of `item` at 4 and 10 at 6 into north (valuation rate 5); 4 of `other` at 10
	  into south (rate 10);
	- 10 days ago: 8 of `item` issued from north; 5 days ago: 2 transferred north -> south;
	- today: an order of 5 of `item` shipped from north.

	Left: `item` 5 at north, 2 at south; `other` 4 at south. Cost of goods shipped in the last 30
	days: (8 + 5) x 5 = 65.
	"""

	def __init__(self):
		from oms_omnichannel.tests.utils import (
			make_category,
			make_channel,
			make_customer,
			make_item,
			make_location,
			make_stock_entry,
			submit_shipment,
			unique,
		)

		now = frappe.utils.now_datetime()
		self.category = make_category(unique("CAT"))
		self.north, self.south = make_location().name, make_location().name
		levels = {"safety_stock": 5, "reorder_level": 8, "reorder_qty": 20}
		self.item = make_item(category=self.category, **levels).name
		self.other = make_item(category=self.category).name
		for rate in (4, 6):
			make_stock_entry(
				"Receipt",
				[{"item": self.item, "qty": 10, "valuation_rate": rate}],
				to_location=self.north,
				posting_datetime=now - timedelta(days=40),
			)
		make_stock_entry(
			"Receipt",
			[{"item": self.other, "qty": 4, "valuation_rate": 10}],
			to_location=self.south,
			posting_datetime=now - timedelta(days=40),
		)
		make_stock_entry(
			"Issue",
			[{"item": self.item, "qty": 8}],
			from_location=self.north,
			posting_datetime=now - timedelta(days=10),
		)
		make_stock_entry(
			"Transfer",
			[{"item": self.item, "qty": 2}],
			from_location=self.north,
			to_location=self.south,
			posting_datetime=now - timedelta(days=5),
		)
		channel = make_channel(fulfilment_locations=[{"location": self.north, "priority": 1}]).name
		order = make_order(
			channel, [{"item": self.item, "qty": 5, "rate": 9.99}], customer=make_customer().name
		)
		shipment = submit_shipment(order.name, self.north)
		self.shipment = shipment.name
