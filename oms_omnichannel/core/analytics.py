"""Channel statistics from plain order rows: one definition of each figure for reports,
dashboards and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

COUNTED_OUT = frozenset({"Draft", "Merged"})  # not orders of their own


@dataclass(frozen=True)
class OrderRow:
	channel: str
	status: str
	grand_total: float
	returned: bool = False
	rating: float | None = None


@dataclass(frozen=True)
class ChannelStats:
	orders: int
	revenue: Decimal
	average_order_value: Decimal
	cancellation_rate: float  # % of orders cancelled
	return_rate: float  # % of non-cancelled orders with a return
	average_rating: float | None

	def as_dict(self) -> dict:
		return {
			"orders": self.orders,
			"revenue": float(self.revenue),
			"average_order_value": float(self.average_order_value),
			"cancellation_rate": self.cancellation_rate,
			"return_rate": self.return_rate,
			"average_rating": self.average_rating,
		}


def _cents(value) -> Decimal:
	return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def channel_stats(rows: Iterable[OrderRow]) -> ChannelStats:
	"""Orders, revenue (not counting cancelled orders), AOV and rates for one set of orders."""
	rows = [row for row in rows if row.status not in COUNTED_OUT]
	cancelled = [row for row in rows if row.status == "Cancelled"]
	kept = [row for row in rows if row.status != "Cancelled"]
	revenue = sum((_cents(row.grand_total) for row in kept), Decimal(0))
	ratings = [row.rating for row in rows if row.rating is not None]
	return ChannelStats(
		orders=len(rows),
		revenue=revenue,
		average_order_value=_cents(revenue / len(kept)) if kept else Decimal(0),
		cancellation_rate=round(100 * len(cancelled) / len(rows), 1) if rows else 0.0,
		return_rate=round(100 * sum(row.returned for row in kept) / len(kept), 1) if kept else 0.0,
		average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None,
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
