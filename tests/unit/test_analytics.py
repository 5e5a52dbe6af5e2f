from decimal import Decimal

from oms_omnichannel.core.analytics import OrderRow, by_channel, change_percent, channel_stats


def test_figures_by_hand():
	rows = [
		OrderRow("Web", "Completed", 100.0, returned=True, rating=4),
		OrderRow("Web", "Processing", 50.55),
		OrderRow("Web", "Cancelled", 80.0, rating=2),
		OrderRow("Web", "Merged", 999.0),  # merged into another order: not counted
		OrderRow("Web", "Shipped", 20.0),
	]
	stats = channel_stats(rows)
	assert stats.orders == 4
	assert stats.revenue == Decimal("170.55")
	assert stats.average_order_value == Decimal("56.85")
	assert stats.cancellation_rate == 25.0
	assert stats.return_rate == 33.3
	assert stats.average_rating == 3.0


def test_empty_and_grouping():
	assert channel_stats([]).orders == 0
	assert channel_stats([]).average_rating is None
	grouped = by_channel(
		[OrderRow("A", "Completed", 10), OrderRow("B", "Completed", 5), OrderRow("A", "Cancelled", 3)]
	)
	assert grouped["A"].orders == 2 and grouped["B"].revenue == Decimal(5)


def test_change_percent():
	assert change_percent(150, 100) == 50.0
	assert change_percent(50, 100) == -50.0
	assert change_percent(5, 0) is None


def test_figures_from_sql_aggregates():
	from oms_omnichannel.core.analytics import OrderTotals, average_order_value, rate, stats_from_totals

	stats = stats_from_totals(
		OrderTotals(orders=3, cancelled=1, revenue=33, returned=1, fulfilment_hours=9.04)
	)
	assert (stats.orders, stats.revenue, stats.average_order_value) == (3, Decimal("33.00"), Decimal("16.50"))
	assert (stats.cancellation_rate, stats.return_rate, stats.fulfilment_hours) == (33.3, 50.0, 9.0)
	assert stats.average_rating is None
	assert stats_from_totals(OrderTotals(orders=1, cancelled=1, revenue=0)).average_order_value == 0
	assert rate(1, 0) == 0.0 and rate(2, 3) == 66.7
	assert average_order_value(Decimal("10.00"), 3) == Decimal("3.33")
