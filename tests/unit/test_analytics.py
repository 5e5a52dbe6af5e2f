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
