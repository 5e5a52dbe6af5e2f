"""Customer analysis on plain data: RFM scores and segments, cohorts, lifetime value, churn risk
and product affinity (association rules over order baskets).

RFM: each customer is scored 1-5 on Recency (days since the last order; fewer is better),
Frequency (orders) and Monetary value (revenue to date) by quintile of their rank: with n
customers, of whom w are strictly worse on that measure, the score is ceil(5 * (w + 1) / n).
Ties share a score, the best fifth scores 5, the worst fifth 1, and a customer alone scores 5.
The segment follows from R and F, first matching rule wins:

| Segment     | R   | F   | who                                              |
|-------------|-----|-----|--------------------------------------------------|
| Champions   | 4-5 | 4-5 | bought lately and often                          |
| Loyal       | 3   | 4-5 | buy often, not the very latest                   |
| New         | 4-5 | 1   | first order lately                               |
| Potential   | 3-5 | 1-3 | recent, could buy more often                     |
| At Risk     | 1-2 | 3-5 | used to buy often, not lately                    |
| Hibernating | 2   | 1-2 | few orders, a while ago                          |
| Lost        | 1   | 1-2 | few orders, long ago                             |

Churn risk compares the days since the last order with the customer's own usual gap between
orders (for one-order customers, the median gap of repeat customers, else 90 days): up to 1.5
gaps Low, up to 3 Medium, beyond High.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

CHAMPIONS, LOYAL, NEW, POTENTIAL = "Champions", "Loyal", "New", "Potential"
AT_RISK, HIBERNATING, LOST = "At Risk", "Hibernating", "Lost"
SEGMENTS = (CHAMPIONS, LOYAL, NEW, POTENTIAL, AT_RISK, HIBERNATING, LOST)

# (segment, R range, F range): the table of the module docstring, first match wins.
SEGMENT_RULES = (
	(CHAMPIONS, (4, 5), (4, 5)),
	(LOYAL, (3, 5), (4, 5)),
	(NEW, (4, 5), (1, 1)),
	(POTENTIAL, (3, 5), (1, 3)),
	(AT_RISK, (1, 2), (3, 5)),
	(HIBERNATING, (2, 2), (1, 2)),
	(LOST, (1, 1), (1, 2)),
)

LOW, MEDIUM, HIGH = "Low", "Medium", "High"
DEFAULT_GAP_DAYS = 90


@dataclass(frozen=True)
class CustomerOrders:
	"""What the analysis needs of one customer, aggregated from their orders."""

	customer: str
	first_order: date
	last_order: date
	order_count: int
	revenue: Decimal  # to date, in the reporting currency
	returned_orders: int = 0


@dataclass(frozen=True)
class RFM:
	recency: int
	frequency: int
	monetary: int
	segment: str

	@property
	def score(self) -> str:
		return f"{self.recency}{self.frequency}{self.monetary}"


@dataclass(frozen=True)
class Insights:
	customer: str
	first_order: date
	last_order: date
	order_count: int
	lifetime_value: Decimal
	average_order_value: Decimal
	return_rate: float
	rfm_segment: str
	rfm_score: str
	churn_risk: str


def cents(value) -> Decimal:
	return Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def quintile_scores(values: dict[str, float], higher_is_better: bool = True) -> dict[str, int]:
	"""{key: 1..5}: ceil(5 * (strictly worse + 1) / n); ties share a score."""
	ordered = sorted(values.values())
	n = len(ordered)
	scores = {}
	for key, value in values.items():
		worse = bisect_left(ordered, value) if higher_is_better else n - bisect_right(ordered, value)
		scores[key] = -(-5 * (worse + 1) // n)  # ceil in integers
	return scores


def segment(recency: int, frequency: int) -> str:
	for name, (r_low, r_high), (f_low, f_high) in SEGMENT_RULES:
		if r_low <= recency <= r_high and f_low <= frequency <= f_high:
			return name
	raise ValueError(f"no segment for R={recency} F={frequency}")  # the table covers 1-5 * 1-5


def rfm_scores(customers: Iterable[CustomerOrders], today: date) -> dict[str, RFM]:
	customers = list(customers)
	if not customers:
		return {}
	r = quintile_scores({c.customer: (today - c.last_order).days for c in customers}, higher_is_better=False)
	f = quintile_scores({c.customer: c.order_count for c in customers})
	m = quintile_scores({c.customer: float(c.revenue) for c in customers})
	return {
		c.customer: RFM(r[c.customer], f[c.customer], m[c.customer], segment(r[c.customer], f[c.customer]))
		for c in customers
	}


def usual_gap(customer: CustomerOrders) -> float | None:
	"""Average days between a repeat customer's orders; None for one order."""
	if customer.order_count < 2:
		return None
	return max((customer.last_order - customer.first_order).days, 1) / (customer.order_count - 1)


def churn_risk(customer: CustomerOrders, today: date, fallback_gap: float) -> str:
	ratio = (today - customer.last_order).days / (usual_gap(customer) or fallback_gap)
	return LOW if ratio <= 1.5 else MEDIUM if ratio <= 3 else HIGH


def population_gap(customers: Iterable[CustomerOrders]) -> float:
	gaps = [gap for c in customers if (gap := usual_gap(c)) is not None]
	return float(median(gaps)) if gaps else float(DEFAULT_GAP_DAYS)


def insights(customers: Iterable[CustomerOrders], today: date) -> list[Insights]:
	"""Every figure the Customer Profile shows, for customers with at least one order."""
	customers = [c for c in customers if c.order_count > 0]
	rfm = rfm_scores(customers, today)
	gap = population_gap(customers)
	return [
		Insights(
			customer=c.customer,
			first_order=c.first_order,
			last_order=c.last_order,
			order_count=c.order_count,
			lifetime_value=cents(c.revenue),
			average_order_value=cents(Decimal(str(c.revenue)) / c.order_count),
			return_rate=round(100 * c.returned_orders / c.order_count, 1),
			rfm_segment=rfm[c.customer].segment,
			rfm_score=rfm[c.customer].score,
			churn_risk=churn_risk(c, today, gap),
		)
		for c in customers
	]


# ---------------------------------------------------------------- cohorts


@dataclass(frozen=True)
class Cohort:
	month: str  # "2026-01": the month of the customers' first order
	customers: int
	repeat_customers: int  # customers with a second order, in any month
	repeat_rate: float  # percent
	active_by_offset: tuple[int, ...]  # customers ordering 0, 1, 2... months after the first month


def month_of(day: date) -> str:
	return f"{day.year:04d}-{day.month:02d}"


def months_between(start: str, end: str) -> int:
	(y1, m1), (y2, m2) = (map(int, start.split("-")), map(int, end.split("-")))
	return (y2 - y1) * 12 + (m2 - m1)


def cohorts(
	customers: Iterable[CustomerOrders], active_months: Iterable[tuple[str, str]] = ()
) -> list[Cohort]:
	"""Cohorts by first-order month with repeat rates; `active_months` ((customer, "YYYY-MM") for
	every month a customer ordered in) adds how many of each cohort ordered N months later."""
	first = {c.customer: month_of(c.first_order) for c in customers}
	repeat = {c.customer for c in customers if c.order_count > 1}
	members: dict[str, list[str]] = defaultdict(list)
	for customer, month in first.items():
		members[month].append(customer)
	active: dict[str, dict[int, set]] = defaultdict(lambda: defaultdict(set))
	for customer, month in active_months:
		if customer in first:
			offset = months_between(first[customer], month)
			if offset >= 0:
				active[first[customer]][offset].add(customer)
	result = []
	for month in sorted(members):
		size = len(members[month])
		repeaters = sum(1 for c in members[month] if c in repeat)
		by_offset = active.get(month, {})
		width = max(by_offset, default=-1) + 1
		result.append(
			Cohort(
				month=month,
				customers=size,
				repeat_customers=repeaters,
				repeat_rate=round(100 * repeaters / size, 1),
				active_by_offset=tuple(len(by_offset.get(i, ())) for i in range(width)),
			)
		)
	return result


# ---------------------------------------------------------------- product affinity


@dataclass(frozen=True)
class AffinityRule:
	"""Baskets with `item` also hold `other_item` (confidence) this much more often than baskets
	in general (lift); `support` is the share of all baskets holding both."""

	item: str
	other_item: str
	support: float
	confidence: float
	lift: float


def affinity_rules(
	baskets: Iterable[Iterable[str]], min_support: float = 0.01, min_confidence: float = 0.1
) -> list[AffinityRule]:
	"""Pair rules item → other item over the baskets (orders), by mlxtend's apriori: strongest
	first (lift, then confidence, then support). Baskets of one item count in the support."""
	import inspect
	import warnings

	import pandas as pd
	from mlxtend.frequent_patterns import apriori, association_rules
	from mlxtend.preprocessing import TransactionEncoder

	baskets = [sorted(set(basket)) for basket in baskets]
	baskets = [basket for basket in baskets if basket]
	if not baskets:
		return []
	encoder = TransactionEncoder()
	matrix = encoder.fit(baskets).transform(baskets, sparse=True)  # orders x items, mostly empty
	with warnings.catch_warnings():
		warnings.simplefilter("ignore", FutureWarning)  # pandas on the sparse dtype's fill value
		onehot = pd.DataFrame.sparse.from_spmatrix(matrix, columns=encoder.columns_)
	frequent = apriori(onehot, min_support=min_support, use_colnames=True, max_len=2)
	if frequent.empty or not (frequent["itemsets"].map(len) == 2).any():
		return []
	options = {"metric": "confidence", "min_threshold": min_confidence}
	if "num_itemsets" in inspect.signature(association_rules).parameters:  # mlxtend >= 0.23.2
		options["num_itemsets"] = len(baskets)
	rules = association_rules(frequent, **options)
	result = [
		AffinityRule(
			item=next(iter(row.antecedents)),
			other_item=next(iter(row.consequents)),
			support=round(float(row.support), 4),
			confidence=round(float(row.confidence), 4),
			lift=round(float(row.lift), 4),
		)
		for row in rules.itertuples()
		if len(row.antecedents) == 1 and len(row.consequents) == 1
	]
	return sorted(result, key=lambda r: (-r.lift, -r.confidence, -r.support, r.item, r.other_item))
