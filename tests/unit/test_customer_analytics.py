"""Customer analysis on small fixed datasets; every expected figure is worked out by hand below."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from oms_omnichannel.core import customer_analytics as ca

TODAY = date(2026, 11, 30)


def customer(name, days_ago, orders, revenue, first_days_ago=None, returned=0):
	last = TODAY - timedelta(days=days_ago)
	first = TODAY - timedelta(days=first_days_ago) if first_days_ago else last
	return ca.CustomerOrders(name, first, last, orders, Decimal(revenue), returned)


# Ten customers. With n = 10 a score is ceil(5 * (worse + 1) / 10) = ceil((worse + 1) / 2).
# Recency, best first (1, 3, 7, ... days): worse 9,8 → 5; 7,6 → 4; 5,4 → 3; 3,2 → 2; 1,0 → 1.
# Orders 1,1,1,1,2,2,2,6,8,12: 1 → worse 0 → F1; 2 → 4 → F3; 6 → 7 → F4; 8 → 8 → F5; 12 → 9 → F5.
# Revenue 30,50,60,80,100,120,150,500,900,1200 → M 1,1,2,2,3,3,4,4,5,5.
TEN = [
	customer("c1", 1, 12, 1200),  # R5 F5 M5 Champions
	customer("c2", 3, 1, 50),  # R5 F1 M1 New
	customer("c3", 7, 2, 150),  # R4 F3 M4 Potential
	customer("c4", 15, 1, 80),  # R4 F1 M2 New
	customer("c5", 30, 8, 900),  # R3 F5 M5 Loyal
	customer("c6", 45, 2, 100),  # R3 F3 M3 Potential
	customer("c7", 90, 6, 500),  # R2 F4 M4 At Risk
	customer("c8", 120, 1, 30),  # R2 F1 M1 Hibernating
	customer("c9", 200, 1, 60),  # R1 F1 M2 Lost
	customer("c10", 400, 2, 120),  # R1 F3 M3 At Risk
]


def test_rfm_scores_and_segments_on_a_fixed_dataset():
	result = ca.rfm_scores(TEN, TODAY)
	assert {name: (r.score, r.segment) for name, r in result.items()} == {
		"c1": ("555", "Champions"),
		"c2": ("511", "New"),
		"c3": ("434", "Potential"),
		"c4": ("412", "New"),
		"c5": ("355", "Loyal"),
		"c6": ("333", "Potential"),
		"c7": ("244", "At Risk"),
		"c8": ("211", "Hibernating"),
		"c9": ("112", "Lost"),
		"c10": ("133", "At Risk"),
	}


def test_quintiles_share_a_score_on_ties_and_the_best_fifth_scores_five():
	assert ca.quintile_scores({"a": 1, "b": 1, "c": 1}) == {"a": 2, "b": 2, "c": 2}  # ceil(5 / 3)
	assert ca.quintile_scores({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}) == {
		"a": 1,
		"b": 2,
		"c": 3,
		"d": 4,
		"e": 5,
	}
	assert ca.quintile_scores({"a": 10, "b": 20}, higher_is_better=False) == {"a": 5, "b": 3}


def test_every_r_and_f_has_exactly_one_segment_from_the_table():
	seen = {ca.segment(r, f) for r in range(1, 6) for f in range(1, 6)}
	assert seen == set(ca.SEGMENTS)


@pytest.mark.parametrize(
	"recency, frequency, expected",
	[
		(5, 5, "Champions"),
		(3, 4, "Loyal"),
		(5, 1, "New"),
		(3, 1, "Potential"),
		(1, 5, "At Risk"),
		(2, 2, "Hibernating"),
		(1, 1, "Lost"),
	],
)
def test_segment_rules(recency, frequency, expected):
	assert ca.segment(recency, frequency) == expected


def test_churn_risk_against_the_usual_gap():
	x = customer("x", 10, 10, 100, first_days_ago=100)  # gap 90 / 9 = 10 days; 10 days since → 1.0 Low
	y = customer("y", 40, 3, 100, first_days_ago=60)  # gap 20 / 2 = 10; 40 since → 4.0 High
	z = customer("z", 20, 1, 100)  # one order: median gap of x and y = 10; 20 since → 2.0 Medium
	gap = ca.population_gap([x, y, z])
	assert gap == 10
	assert [ca.churn_risk(c, TODAY, gap) for c in (x, y, z)] == ["Low", "High", "Medium"]
	assert ca.population_gap([z]) == 90  # nobody ordered twice: the default gap


def test_insights_carry_value_average_and_return_rate():
	[one] = ca.insights([customer("a", 5, 3, "100.00", first_days_ago=65, returned=1)], TODAY)
	assert (one.lifetime_value, one.average_order_value, one.return_rate) == (
		Decimal("100.00"),
		Decimal("33.33"),
		33.3,
	)
	assert (one.order_count, one.first_order, one.last_order) == (3, date(2026, 9, 26), date(2026, 11, 25))
	assert (one.rfm_score, one.rfm_segment) == ("555", "Champions")  # alone, the best on every measure
	assert ca.insights([], TODAY) == []


def test_cohorts_by_first_order_month_with_repeat_rates():
	a = ca.CustomerOrders("a", date(2026, 1, 5), date(2026, 3, 9), 3, Decimal(90))
	b = ca.CustomerOrders("b", date(2026, 1, 20), date(2026, 1, 20), 1, Decimal(10))
	c = ca.CustomerOrders("c", date(2026, 2, 3), date(2026, 3, 1), 2, Decimal(20))
	active = [("a", "2026-01"), ("a", "2026-03"), ("b", "2026-01"), ("c", "2026-02"), ("c", "2026-03")]
	assert ca.cohorts([a, b, c], active) == [
		ca.Cohort("2026-01", customers=2, repeat_customers=1, repeat_rate=50.0, active_by_offset=(2, 0, 1)),
		ca.Cohort("2026-02", customers=1, repeat_customers=1, repeat_rate=100.0, active_by_offset=(1, 1)),
	]


# Five baskets: bread in 4, butter in 3, milk in 2; bread+butter in 3, bread+milk 1, butter+milk 1.
BASKETS = [{"bread", "butter"}, {"bread", "butter", "milk"}, {"bread"}, {"milk"}, {"bread", "butter"}]


def test_affinity_rules_on_fixed_baskets():
	# support(bread, butter) = 3/5; butter → bread: 0.6 / 0.6 = 1.0, lift 1.0 / 0.8 = 1.25;
	# bread → butter: 0.6 / 0.8 = 0.75, lift 0.75 / 0.6 = 1.25. Pairs with milk are below 0.3.
	assert ca.affinity_rules(BASKETS, min_support=0.3, min_confidence=0.5) == [
		ca.AffinityRule("butter", "bread", support=0.6, confidence=1.0, lift=1.25),
		ca.AffinityRule("bread", "butter", support=0.6, confidence=0.75, lift=1.25),
	]


def test_affinity_thresholds_and_weak_pairs():
	# At support 0.2 the milk pairs count: milk → butter 0.2 / 0.4 = 0.5, lift 0.5 / 0.6 = 0.8333;
	# milk → bread 0.5, lift 0.5 / 0.8 = 0.625; bread → milk (0.25) and butter → milk (0.333) fall
	# below the confidence of 0.5.
	rules = ca.affinity_rules(BASKETS, min_support=0.2, min_confidence=0.5)
	assert [(r.item, r.other_item, r.confidence, r.lift) for r in rules] == [
		("butter", "bread", 1.0, 1.25),
		("bread", "butter", 0.75, 1.25),
		("milk", "butter", 0.5, 0.8333),
		("milk", "bread", 0.5, 0.625),
	]


def test_affinity_without_pairs_is_empty():
	assert ca.affinity_rules([{"a"}, {"b"}, set()], min_support=0.1) == []
	assert ca.affinity_rules([]) == []
