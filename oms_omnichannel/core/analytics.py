"""Sales figures: one definition of each figure (rates, average order value, change) for reports,
dashboards and the API. Reports feed them SQL aggregates (`OrderTotals`); tests may feed rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

COUNTED_OUT = frozenset({"Draft", "Merged"})  # not orders of their own
CANCELLED = "Cancelled"


@dataclass(frozen=True)
class OrderRow:
	channel: str
	status: str
	grand_total: float
	returned: bool = False
	rating: float | None = None


@dataclass(frozen=True)
class OrderTotals:
	"""What one GROUP BY returns for a set of orders (Draft and Merged already left out)."""

	orders: int  # every counted order, cancelled ones included
	cancelled: int
	revenue: float | Decimal  # grand total of the orders not cancelled
	returned: int = 0  # orders not cancelled with at least one returned unit
	average_rating: float | None = None
	fulfilment_hours: float | None = None  # order to first shipment, on average


@dataclass(frozen=True)
class ChannelStats:
	orders: int
	revenue: Decimal
	average_order_value: Decimal
	cancellation_rate: float  # % of orders cancelled
	return_rate: float  # % of non-cancelled orders with a return
	average_rating: float | None
	fulfilment_hours: float | None = None

	def as_dict(self) -> dict:
		return {
			"orders": self.orders,
			"revenue": float(self.revenue),
			"average_order_value": float(self.average_order_value),
			"cancellation_rate": self.cancellation_rate,
			"return_rate": self.return_rate,
			"average_rating": self.average_rating,
			"fulfilment_hours": self.fulfilment_hours,
		}


def cents(value) -> Decimal:
	return Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate(part: float, whole: float) -> float:
	"""A share in percent to one decimal; 0 when there is nothing to share."""
	return round(100 * float(part) / float(whole), 1) if whole else 0.0


def average_order_value(amount, orders: int) -> Decimal:
	"""Money per order, to the cent; 0 without orders."""
	return cents(cents(amount) / orders) if orders else Decimal(0)


def stats_from_totals(totals: OrderTotals) -> ChannelStats:
	"""Orders, revenue (not counting cancelled orders), AOV and rates of one aggregate."""
	kept = totals.orders - totals.cancelled
	return ChannelStats(
		orders=totals.orders,
		revenue=cents(totals.revenue),
		average_order_value=average_order_value(totals.revenue, kept),
		cancellation_rate=rate(totals.cancelled, totals.orders),
		return_rate=rate(totals.returned, kept),
		average_rating=round(float(totals.average_rating), 2) if totals.average_rating is not None else None,
		fulfilment_hours=round(float(totals.fulfilment_hours), 1)
		if totals.fulfilment_hours is not None
		else None,
	)


def channel_stats(rows: Iterable[OrderRow]) -> ChannelStats:
	"""The same figures from plain rows (aggregated here the way the SQL aggregates them)."""
	rows = [row for row in rows if row.status not in COUNTED_OUT]
	kept = [row for row in rows if row.status != CANCELLED]
	ratings = [row.rating for row in rows if row.rating is not None]
	return stats_from_totals(
		OrderTotals(
			orders=len(rows),
			cancelled=len(rows) - len(kept),
			revenue=sum((cents(row.grand_total) for row in kept), Decimal(0)),
			returned=sum(row.returned for row in kept),
			average_rating=sum(ratings) / len(ratings) if ratings else None,
		)
	)


def by_channel(rows: Iterable[OrderRow]) -> dict[str, ChannelStats]:
	grouped: dict[str, list[OrderRow]] = {}
	for row in rows:
		grouped.setdefault(row.channel, []).append(row)
	return {channel: channel_stats(channel_rows) for channel, channel_rows in grouped.items()}


def change_percent(current: float | Decimal, previous: float | Decimal) -> float | None:
	"""Period-on-period change; None when there is nothing to compare with."""
	if not previous:
		return None
	return round(float((Decimal(str(current)) - Decimal(str(previous))) / Decimal(str(previous)) * 100), 1)
