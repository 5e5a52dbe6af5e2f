"""Per-channel sales figures, aggregated by the database (replica-safe reads only).

One GROUP BY per period returns, per channel and currency, the counts and sums that
`core.analytics` turns into figures; no order is read into Python."""

from __future__ import annotations

import frappe
from frappe.utils import add_days, getdate, today

from oms_omnichannel.analytics.feedback import average_ratings
from oms_omnichannel.analytics.report_scope import channel_condition, end_of
from oms_omnichannel.core.analytics import (
	CANCELLED,
	COUNTED_OUT,
	ChannelStats,
	OrderTotals,
	change_percent,
	stats_from_totals,
)
from oms_omnichannel.utils import check_arguments

# The first sign of a shipment is the tracking event written when it is submitted (stock leaves).
FIRST_SHIPPED_AT = """(
	select min(e.event_time) from `tabOMS Shipment` s
	join `tabShipment Tracking Event` e on e.parent = s.name and e.parenttype = 'OMS Shipment'
	where s.`order` = o.name and s.docstatus = 1
)"""


def channel_totals(from_date, to_date, channels: list[str] | None = None) -> dict[tuple, OrderTotals]:
	"""{(channel, currency): OrderTotals} of the orders placed from `from_date` to `to_date`."""
	if channels == []:
		return {}
	params = {
		"from": getdate(from_date),
		"to": end_of(to_date),
		"counted_out": tuple(COUNTED_OUT),
		"cancelled": CANCELLED,
	}
	# safe-sql: FIRST_SHIPPED_AT is a constant subquery; channel_condition adds a constant column and a parameter
	rows = frappe.db.sql(
		f"""
		select o.sales_channel, o.currency,
			count(*) as orders,
			sum(o.status = %(cancelled)s) as cancelled,
			sum(case when o.status != %(cancelled)s then o.grand_total else 0 end) as revenue,
			sum(o.status != %(cancelled)s and exists (
				select 1 from `tabOMS Order Item` i
				where i.parent = o.name and i.parenttype = 'OMS Order' and i.returned_qty > 0
			)) as returned,
			avg(timestampdiff(second, o.order_datetime, {FIRST_SHIPPED_AT})) / 3600 as fulfilment_hours
		from `tabOMS Order` o
		where o.docstatus > 0 and o.status not in %(counted_out)s
			and o.order_datetime >= %(from)s and o.order_datetime < %(to)s
			{channel_condition("o.sales_channel", channels, params)}
		group by o.sales_channel, o.currency
		""",
		params,
		as_dict=True,
	)
	ratings = average_ratings(from_date, to_date, channels)
	return {
		(row.sales_channel, row.currency): OrderTotals(
			orders=int(row.orders),
			cancelled=int(row.cancelled or 0),
			revenue=row.revenue or 0,
			returned=int(row.returned or 0),
			average_rating=ratings.get(row.sales_channel),
			fulfilment_hours=row.fulfilment_hours,
		)
		for row in rows
	}


def channel_stats(from_date, to_date, channels: list[str] | None = None) -> dict[tuple, ChannelStats]:
	"""{(channel, currency): ChannelStats} of a period."""
	return {
		key: stats_from_totals(totals) for key, totals in channel_totals(from_date, to_date, channels).items()
	}


def channel_currency(channel: str, keys) -> tuple | None:
	"""The (channel, currency) figures that speak for a channel: those in its own currency, else
	those with the most orders (a channel that changed currency keeps its old orders apart)."""
	own = frappe.db.get_value("Sales Channel", channel, "currency")
	mine = [key for key in keys if key[0] == channel]
	return next((key for key in mine if key[1] == own), None) or (
		max(mine, key=lambda key: keys[key].orders) if mine else None
	)


def period_comparison(channels: list[str] | None = None, days: int = 30) -> dict[str, dict]:
	"""Last `days` days against the `days` before them, per channel (in the channel's currency)."""
	end = getdate(today())
	start = add_days(end, -days + 1)
	previous_start, previous_end = add_days(start, -days), add_days(start, -1)
	current = channel_stats(start, end, channels)
	previous = channel_stats(previous_start, previous_end, channels)
	result = {}
	names = {key[0] for key in current} | {key[0] for key in previous} | set(channels or [])
	for channel in sorted(names):
		now = current.get(channel_currency(channel, current))
		before = previous.get(channel_currency(channel, previous))
		result[channel] = {
			"current": now.as_dict() if now else None,
			"previous": before.as_dict() if before else None,
			"orders_change": change_percent(now.orders if now else 0, before.orders if before else 0),
			"revenue_change": change_percent(now.revenue if now else 0, before.revenue if before else 0),
			"period": {
				"from": str(start),
				"to": str(end),
				"previous_from": str(previous_start),
				"previous_to": str(previous_end),
			},
		}
	return result


@frappe.whitelist()
@check_arguments
@frappe.read_only()
def get_channel_stats(sales_channel: str, days: int = 30) -> dict:
	"""Dashboard of the Sales Channel form: this period against the one before."""
	frappe.has_permission("Sales Channel", "read", doc=sales_channel, throw=True)
	frappe.has_permission("OMS Order", "read", throw=True)
	return period_comparison([sales_channel], int(days)).get(sales_channel, {})
