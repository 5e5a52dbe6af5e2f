"""Order planning: line totals, merge and split plans, return quantities and refunds, hold rules.

Every function here decides; none writes. The Frappe side loads the orders (under row locks),
calls one `plan_*` function, and applies the plan it gets back in one transaction, so a refusal
leaves nothing half-written.

Money and quantities
--------------------
Money is `Decimal`, held to the cent (ROUND_HALF_UP). Quantities are `Decimal` too: floats from
the desk are converted through their shortest repr (0.1 -> Decimal("0.1")), so that merging and
splitting conserve every unit exactly instead of "nearly".

A line's value is qty x rate rounded to the cent. Rounding is not additive (two 0.5 kg lines at
1.99 are 1.00 each, one 1 kg line is 1.99), so a line may carry an explicit `value` that differs
from qty x rate by rounding: merge and split set it only when they must, so that merged and split
orders add up to their sources exactly to the cent. The Frappe side stores it as the row's amount.

Merge policy
------------
Merged lines combine when item and rate are equal; discounts and taxes add up. The merged order
is charged the highest of the source shipping fees (one parcel now travels instead of several,
and the customer is never charged more for it than the dearest parcel they agreed to), unless
the caller passes `shipping_fee`; `MergePlan.shipping_fee_released` is what the customer no
longer owes. If any source is On Hold the merged order is On Hold too: a merge never drops a
hold. (order_status allows Pending -> Merged only, so an On Hold source is first released to
Pending by the Frappe side, in the same transaction.)

Split policy
------------
Every unit of every line ends up in exactly one child. A line split across children has its
value, discount and tax prorated by quantity with largest-remainder rounding, so children sum to
the parent to the cent and no child line is discounted below zero. The shipping fee stays with
the first child, the one meant to keep the parent's identity (name, payment), unless
`prorate_shipping` is set (then by merchandise value).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.order_status import OrderAction, OrderStatus, as_status, statuses_allowing
from oms_omnichannel.core.payment import UNPAID_PAYMENT_STATUSES, PaymentStatus, as_payment_status
from oms_omnichannel.core.text_enum import TextEnum

CENT = Decimal("0.01")
ZERO = Decimal(0)

Number = Decimal | float | int | str

MERGEABLE_STATUSES = statuses_allowing(OrderAction.MERGE)
SPLITTABLE_STATUSES = statuses_allowing(OrderAction.SPLIT)
# Automatic holds gate what has not left yet: holdable and still cancellable (nothing shipped).
AUTO_HOLDABLE_STATUSES = statuses_allowing(OrderAction.HOLD) & statuses_allowing(OrderAction.CANCEL)


# ---------------------------------------------------------------------------------------
# numbers


def to_decimal(value: Number | None, field: str = "value") -> Decimal:
	"""A finite Decimal from a desk value; floats go through repr so 0.1 stays 0.1."""
	if value is None:
		return ZERO
	if isinstance(value, bool):
		raise ValidationFailed("{0} must be a number, not {1}", field, value, field=field)
	try:
		result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
	except (InvalidOperation, TypeError, ValueError):
		raise ValidationFailed("{0} must be a number, not {1}", field, value, field=field) from None
	if not result.is_finite():
		raise ValidationFailed("{0} must be a number, not {1}", field, value, field=field)
	return result


def money(value: Number | None, field: str = "amount") -> Decimal:
	"""A money amount rounded to the cent, half up."""
	return to_decimal(value, field).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_qty(qty: Decimal) -> str:
	"""A quantity for messages: '3' rather than '3.000', '2.5' rather than '2.50'."""
	text = format(qty.normalize(), "f")
	return "0" if text in ("-0", "0") else text


def _fraction_to_money(value: Fraction) -> Decimal:
	"""Round an exact fraction to the cent, half away from zero (as ROUND_HALF_UP does)."""
	cents = abs(value) * 100
	whole = math.floor(cents + Fraction(1, 2))
	return Decimal(-whole if value < 0 else whole) * CENT


def _cents(amount: Decimal) -> int:
	return int(amount.quantize(CENT) / CENT)


def apportion(
	total: Decimal, weights: Sequence[Decimal], caps: Sequence[Decimal] | None = None
) -> list[Decimal]:
	"""Share `total` (to the cent) in proportion to `weights` by largest remainder; parts sum to total.

	Ties go to the earlier part. `caps` bounds each part (a split line's discount never exceeds the
	value of its part): extra cents skip capped parts. All weights zero means equal shares.
	"""
	if not weights:
		raise DomainError("Cannot share {0} among no parts", total)
	total_cents = _cents(total)
	fractions = [Fraction(weight) for weight in weights]
	weight_sum = sum(fractions, Fraction(0))
	if weight_sum == 0:
		fractions, weight_sum = [Fraction(1)] * len(weights), Fraction(len(weights))
	exact = [total_cents * weight / weight_sum for weight in fractions]
	parts = [math.floor(share) for share in exact]
	limits = [_cents(cap) for cap in caps] if caps is not None else None
	if limits is not None:
		parts = [min(part, limit) for part, limit in zip(parts, limits, strict=True)]
	extra = total_cents - sum(parts)
	by_remainder = sorted(range(len(parts)), key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
	while extra > 0:
		given = 0
		for i in by_remainder:
			if extra == 0:
				break
			if limits is None or parts[i] < limits[i]:
				parts[i] += 1
				extra -= 1
				given += 1
		if not given:
			raise DomainError("Cannot share {0}: the parts can hold only {1}", total, sum(caps or ()))
	return [Decimal(part) * CENT for part in parts]


# ---------------------------------------------------------------------------------------
# lines, orders, totals


@dataclass(frozen=True)
class OrderLine:
	"""One OMS Order Item row. Numbers may be given as floats; they are held as Decimal.

	`value` is set only when the line's value must differ from qty x rate by rounding (see the
	module docstring); `idx` is the row number shown in messages (its position when 0).
	"""

	line_id: str
	item: str
	qty: Decimal
	rate: Decimal
	discount_amount: Decimal = ZERO
	tax_amount: Decimal = ZERO
	value: Decimal | None = None
	shipped_qty: Decimal = ZERO
	idx: int = 0

	def __post_init__(self) -> None:
		object.__setattr__(self, "qty", to_decimal(self.qty, "qty"))
		object.__setattr__(self, "rate", to_decimal(self.rate, "rate"))
		object.__setattr__(self, "discount_amount", money(self.discount_amount, "discount_amount"))
		object.__setattr__(self, "tax_amount", money(self.tax_amount, "tax_amount"))
		object.__setattr__(self, "shipped_qty", to_decimal(self.shipped_qty, "shipped_qty"))
		if self.value is not None:
			object.__setattr__(self, "value", money(self.value, "value"))

	@property
	def line_value(self) -> Decimal:
		"""Merchandise value before discount and tax."""
		return self.value if self.value is not None else money(self.qty * self.rate)

	@property
	def amount(self) -> Decimal:
		"""What the customer pays for the line: qty x rate - discount + tax."""
		return self.line_value - self.discount_amount + self.tax_amount


@dataclass(frozen=True)
class Order:
	"""The parts of an OMS Order that planning needs."""

	name: str
	lines: tuple[OrderLine, ...]
	shipping_fee: Decimal = ZERO
	status: OrderStatus = OrderStatus.PENDING
	customer: str = ""
	shipping_address: str = ""
	delivery_method: str = ""
	currency: str = ""
	channel: str = ""

	def __post_init__(self) -> None:
		object.__setattr__(self, "lines", tuple(self.lines))
		object.__setattr__(self, "shipping_fee", money(self.shipping_fee, "shipping_fee"))
		object.__setattr__(self, "status", as_status(self.status))


@dataclass(frozen=True)
class OrderTotals:
	total_qty: Decimal
	merchandise_value: Decimal  # sum of line values, before discount and tax
	discount_total: Decimal
	tax_total: Decimal
	merchandise_total: Decimal  # sum of line amounts
	shipping_fee: Decimal
	grand_total: Decimal


def compute_totals(lines: Iterable[OrderLine], shipping_fee: Number = ZERO) -> OrderTotals:
	"""Totals of a set of lines plus a shipping fee; every money figure is exact to the cent."""
	lines = list(lines)
	fee = money(shipping_fee, "shipping_fee")
	merchandise_total = sum((line.amount for line in lines), ZERO)
	return OrderTotals(
		total_qty=sum((line.qty for line in lines), ZERO),
		merchandise_value=sum((line.line_value for line in lines), ZERO),
		discount_total=sum((line.discount_amount for line in lines), ZERO),
		tax_total=sum((line.tax_amount for line in lines), ZERO),
		merchandise_total=merchandise_total,
		shipping_fee=fee,
		grand_total=merchandise_total + fee,
	)


def order_totals(order: Order) -> OrderTotals:
	return compute_totals(order.lines, order.shipping_fee)


def _row(line: OrderLine, position: int) -> int:
	return line.idx or position


def validate_line(line: OrderLine, row: int) -> None:
	"""Refuse a line the order form must not save, naming the row and the field at fault."""
	if not (line.item or "").strip():
		raise ValidationFailed("Row {0}: Item is required", row, field="item")
	if line.qty <= 0:
		raise ValidationFailed("Row {0}: Quantity must be greater than 0", row, field="qty")
	if line.rate < 0:
		raise ValidationFailed("Row {0}: Rate cannot be negative", row, field="rate")
	if line.value is not None and line.value < 0:
		raise ValidationFailed("Row {0}: Amount cannot be negative", row, field="amount")
	if line.discount_amount < 0:
		raise ValidationFailed("Row {0}: Discount Amount cannot be negative", row, field="discount_amount")
	if line.tax_amount < 0:
		raise ValidationFailed("Row {0}: Tax Amount cannot be negative", row, field="tax_amount")
	if line.discount_amount > line.line_value:
		raise ValidationFailed(
			"Row {0}: Discount Amount {1} is larger than the line value {2}",
			row,
			line.discount_amount,
			line.line_value,
			field="discount_amount",
		)
	if line.shipped_qty < 0 or line.shipped_qty > line.qty:
		raise ValidationFailed(
			"Row {0}: Shipped Quantity {1} must be between 0 and the ordered {2}",
			row,
			fmt_qty(line.shipped_qty),
			fmt_qty(line.qty),
			field="shipped_qty",
		)


def validate_order(order: Order) -> None:
	"""Refuse an order with no lines, a bad line, a line listed twice or a negative shipping fee."""
	if not order.lines:
		raise ValidationFailed("Order {0} has no items", order.name, field="items")
	seen: set[str] = set()
	for position, line in enumerate(order.lines, start=1):
		validate_line(line, _row(line, position))
		if line.line_id in seen:
			raise ValidationFailed(
				"Row {0}: line {1} appears twice on order {2}",
				_row(line, position),
				line.line_id,
				order.name,
				field="items",
			)
		seen.add(line.line_id)
	if order.shipping_fee < 0:
		raise ValidationFailed("Shipping Fee cannot be negative", field="shipping_fee")


def _status_refusal(action: str, order: Order, field: str = "status") -> ValidationFailed:
	if order.status is OrderStatus.DRAFT:
		return ValidationFailed("Cannot {0} {1}: it has not been submitted", action, order.name, field=field)
	return ValidationFailed(
		"Cannot {0} {1}: it is already {2}", action, order.name, order.status.value, field=field
	)


# ---------------------------------------------------------------------------------------
# merge


@dataclass(frozen=True)
class MergePlan:
	"""What a merge writes: the merged order, the orders that become Merged, and the row mapping.

	`order.name` is the surviving order when `into` was given, else "" (a new order is created).
	`line_map` sends every (source order, source line_id) to the merged line_id it went into.
	"""

	order: Order
	merged_orders: tuple[str, ...]
	line_map: dict[tuple[str, str], str]
	source_shipping_total: Decimal
	source_totals: OrderTotals

	@property
	def totals(self) -> OrderTotals:
		return order_totals(self.order)

	@property
	def shipping_fee_released(self) -> Decimal:
		"""Shipping the customer no longer owes: the source fees minus the merged order's fee."""
		return self.source_shipping_total - self.order.shipping_fee


_MERGE_MUST_MATCH = (
	("customer", "they belong to different customers ({2}, {3})"),
	("shipping_address", "they ship to different addresses ({2}, {3})"),
	("delivery_method", "they use different delivery methods ({2}, {3})"),
	("currency", "they are in different currencies ({2}, {3})"),
)


def plan_merge(
	orders: Sequence[Order], *, into: str | None = None, shipping_fee: Number | None = None
) -> MergePlan:
	"""Plan merging orders of one customer, shipping to one address by one method, in one currency.

	`into` names the order that survives (it keeps its name and channel; the others become
	Merged); without it every source becomes Merged into a new order. `shipping_fee` overrides
	the policy (highest source fee).
	"""
	orders = list(orders)
	if len(orders) < 2:
		raise ValidationFailed("Select at least two orders to merge (got {0})", len(orders), field="orders")
	names: set[str] = set()
	for order in orders:
		if order.name in names:
			raise ValidationFailed(
				"Cannot merge {0} with itself: it is listed twice", order.name, field="orders"
			)
		names.add(order.name)
		if order.status not in MERGEABLE_STATUSES:
			raise _status_refusal("merge", order)
		try:
			validate_order(order)
		except ValidationFailed as error:
			raise ValidationFailed(
				"Cannot merge {0}: {1}", order.name, error.message, field=error.field
			) from None
	first = orders[0]
	for order in orders[1:]:
		for attribute, reason in _MERGE_MUST_MATCH:
			theirs, ours = getattr(first, attribute), getattr(order, attribute)
			if theirs != ours:
				raise ValidationFailed(
					"Cannot merge {0} and {1}: " + reason,
					first.name,
					order.name,
					theirs or "none",
					ours or "none",
					field=attribute,
				)
	if into is not None:
		if into not in names:
			raise ValidationFailed(
				"Cannot merge into {0}: it is not one of the orders being merged", into, field="into"
			)
		target = next(order for order in orders if order.name == into)
		orders = [target, *(order for order in orders if order is not target)]
	else:
		target = first

	groups: dict[tuple[str, Decimal], list[tuple[Order, OrderLine]]] = {}
	for order in orders:
		for line in order.lines:
			groups.setdefault((line.item, line.rate), []).append((order, line))

	lines: list[OrderLine] = []
	line_map: dict[tuple[str, str], str] = {}
	for position, sources in enumerate(groups.values(), start=1):
		head_order, head = sources[0]
		line_id = (
			head.line_id if into is not None and head_order is target else f"{head_order.name}/{head.line_id}"
		)
		qty = sum((line.qty for _, line in sources), ZERO)
		value = sum((line.line_value for _, line in sources), ZERO)
		lines.append(
			OrderLine(
				line_id=line_id,
				item=head.item,
				qty=qty,
				rate=head.rate,
				discount_amount=sum((line.discount_amount for _, line in sources), ZERO),
				tax_amount=sum((line.tax_amount for _, line in sources), ZERO),
				value=None if value == money(qty * head.rate) else value,
				idx=position,
			)
		)
		for order, line in sources:
			line_map[(order.name, line.line_id)] = line_id

	fees = [order.shipping_fee for order in orders]
	fee = max(fees) if shipping_fee is None else money(shipping_fee, "shipping_fee")
	if fee < 0:
		raise ValidationFailed("Shipping Fee cannot be negative", field="shipping_fee")
	on_hold = any(order.status is OrderStatus.ON_HOLD for order in orders)
	merged = Order(
		name=target.name if into is not None else "",
		lines=tuple(lines),
		shipping_fee=fee,
		status=OrderStatus.ON_HOLD if on_hold else OrderStatus.PENDING,
		customer=first.customer,
		shipping_address=first.shipping_address,
		delivery_method=first.delivery_method,
		currency=first.currency,
		channel=target.channel,
	)
	source_lines = [line for order in orders for line in order.lines]
	return MergePlan(
		order=merged,
		merged_orders=tuple(order.name for order in orders if into is None or order is not target),
		line_map=line_map,
		source_shipping_total=sum(fees, ZERO),
		source_totals=compute_totals(source_lines, sum(fees, ZERO)),
	)


# ---------------------------------------------------------------------------------------
# split


@dataclass(frozen=True)
class SplitChild:
	"""One order a split produces. Its lines keep the parent's line_id and idx (the mapping back).

	`location` is set by a split by location, `backorder` by a split by availability, and
	`remainder` marks the lines a manual split left where they were.
	"""

	lines: tuple[OrderLine, ...]
	shipping_fee: Decimal = ZERO
	location: str | None = None
	backorder: bool = False
	remainder: bool = False

	@property
	def totals(self) -> OrderTotals:
		return compute_totals(self.lines, self.shipping_fee)


@dataclass(frozen=True)
class SplitPlan:
	"""The children of a split, first child first (it carries the shipping fee by default).

	By convention the Frappe side keeps the first child in the parent document and creates the
	others as new orders linked to it. One child means no split is needed.
	"""

	parent: str
	children: tuple[SplitChild, ...]

	@property
	def needs_split(self) -> bool:
		return len(self.children) > 1


@dataclass
class _Group:
	parts: dict[str, Decimal] = field(default_factory=dict)
	location: str | None = None
	backorder: bool = False
	remainder: bool = False


def _check_splittable(order: Order) -> dict[str, tuple[int, OrderLine]]:
	"""Refuse a split of an order in the wrong status or with shipped units; index its lines."""
	if order.status not in SPLITTABLE_STATUSES:
		raise _status_refusal("split", order)
	validate_order(order)
	index: dict[str, tuple[int, OrderLine]] = {}
	for position, line in enumerate(order.lines, start=1):
		row = _row(line, position)
		if line.shipped_qty > 0:
			raise ValidationFailed(
				"Cannot split {0}: row {1} ({2}) has already shipped {3}",
				order.name,
				row,
				line.item,
				fmt_qty(line.shipped_qty),
				field="shipped_qty",
			)
		index[line.line_id] = (row, line)
	return index


def _build_split(order: Order, groups: list[_Group], prorate_shipping: bool) -> SplitPlan:
	"""Children from groups whose parts cover every unit exactly once; prorates money per line."""
	child_lines: list[list[OrderLine]] = [[] for _ in groups]
	for line in order.lines:
		shares = [
			(g, group.parts[line.line_id]) for g, group in enumerate(groups) if line.line_id in group.parts
		]
		if sum((qty for _, qty in shares), ZERO) != line.qty:
			raise DomainError("Split of {0} does not place every unit of line {1}", order.name, line.line_id)
		if len(shares) == 1:
			child_lines[shares[0][0]].append(line)
			continue
		qtys = [qty for _, qty in shares]
		values = apportion(line.line_value, qtys)
		discounts = apportion(line.discount_amount, qtys, caps=values)
		taxes = apportion(line.tax_amount, qtys)
		for (g, qty), value, discount, tax in zip(shares, values, discounts, taxes, strict=True):
			child_lines[g].append(
				replace(
					line,
					qty=qty,
					value=None if value == money(qty * line.rate) else value,
					discount_amount=discount,
					tax_amount=tax,
				)
			)
	kept = [(group, lines) for group, lines in zip(groups, child_lines, strict=True) if lines]
	if prorate_shipping:
		weights = [sum((line.line_value for line in lines), ZERO) for _, lines in kept]
		fees = apportion(order.shipping_fee, weights)
	else:
		fees = [order.shipping_fee] + [ZERO] * (len(kept) - 1)
	children = tuple(
		SplitChild(
			lines=tuple(lines),
			shipping_fee=fee,
			location=group.location,
			backorder=group.backorder,
			remainder=group.remainder,
		)
		for (group, lines), fee in zip(kept, fees, strict=True)
	)
	return SplitPlan(parent=order.name, children=children)


def plan_split(
	order: Order, allocation: Sequence[Mapping[str, Number]], *, prorate_shipping: bool = False
) -> SplitPlan:
	"""Plan splitting chosen lines and quantities off an order.

	`allocation` is a list of groups, each line_id -> qty, one child per group. Units no group
	takes stay in a remainder child, placed first: it is the parent order, keeping its name and
	its shipping fee. The split must produce at least two children.
	"""
	index = _check_splittable(order)
	if not allocation:
		raise ValidationFailed("Choose the lines to split off {0}", order.name, field="allocation")
	taken: dict[str, Decimal] = {}
	groups: list[_Group] = []
	for number, chosen in enumerate(allocation, start=1):
		if not chosen:
			raise ValidationFailed(
				"Cannot split {0}: group {1} is empty", order.name, number, field="allocation"
			)
		group = _Group()
		for line_id, raw_qty in chosen.items():
			if line_id not in index:
				raise ValidationFailed(
					"Cannot split {0}: group {1} names line {2}, which is not on the order",
					order.name,
					number,
					line_id,
					field="allocation",
				)
			row, line = index[line_id]
			qty = to_decimal(raw_qty, "qty")
			if qty <= 0:
				raise ValidationFailed(
					"Cannot split {0}: group {1} takes {2} of row {3} ({4}); the quantity must be greater than 0",
					order.name,
					number,
					fmt_qty(qty),
					row,
					line.item,
					field="qty",
				)
			taken[line_id] = taken.get(line_id, ZERO) + qty
			if taken[line_id] > line.qty:
				raise ValidationFailed(
					"Cannot split {0}: row {1} ({2}) holds {3} but {4} are allocated",
					order.name,
					row,
					line.item,
					fmt_qty(line.qty),
					fmt_qty(taken[line_id]),
					field="qty",
				)
			group.parts[line_id] = qty
		groups.append(group)
	remainder = _Group(remainder=True)
	for line in order.lines:
		left = line.qty - taken.get(line.line_id, ZERO)
		if left > 0:
			remainder.parts[line.line_id] = left
	if remainder.parts:
		groups.insert(0, remainder)
	if len(groups) < 2:
		raise ValidationFailed(
			"Cannot split {0}: the allocation leaves everything in one order", order.name, field="allocation"
		)
	return _build_split(order, groups, prorate_shipping)


def plan_split_by_location(
	order: Order,
	line_locations: Mapping[str, str | Mapping[str, Number]],
	*,
	prorate_shipping: bool = False,
) -> SplitPlan:
	"""One child per fulfilment location, in order of first appearance down the rows.

	`line_locations` gives each line its location, or location -> qty when the line is shared
	between locations; the quantities must add up to the line's. One location: no split needed.
	"""
	index = _check_splittable(order)
	for line_id in line_locations:
		if line_id not in index:
			raise ValidationFailed(
				"Cannot split {0} by location: line {1} is not on the order",
				order.name,
				line_id,
				field="line_locations",
			)
	groups: dict[str, _Group] = {}
	for line_id, (row, line) in index.items():
		assigned = line_locations.get(line_id)
		if not assigned:
			raise ValidationFailed(
				"Cannot split {0} by location: row {1} ({2}) has no location",
				order.name,
				row,
				line.item,
				field="line_locations",
			)
		quantities = {assigned: line.qty} if isinstance(assigned, str) else assigned
		placed = ZERO
		for location, raw_qty in quantities.items():
			qty = to_decimal(raw_qty, "qty")
			if qty <= 0:
				raise ValidationFailed(
					"Cannot split {0} by location: row {1} ({2}) gives {3} to {4}; the quantity must be greater than 0",
					order.name,
					row,
					line.item,
					fmt_qty(qty),
					location,
					field="qty",
				)
			placed += qty
			group = groups.setdefault(location, _Group(location=location))
			group.parts[line_id] = qty
		if placed != line.qty:
			raise ValidationFailed(
				"Cannot split {0} by location: row {1} ({2}) has {3} but the locations take {4}",
				order.name,
				row,
				line.item,
				fmt_qty(line.qty),
				fmt_qty(placed),
				field="qty",
			)
	return _build_split(order, list(groups.values()), prorate_shipping)


def plan_split_by_availability(
	order: Order, available_by_item: Mapping[str, Number], *, prorate_shipping: bool = False
) -> SplitPlan:
	"""Split what is in stock now from what waits for stock (the backorder child, second).

	Availability is spent down the rows, so two lines of one item share it in row order. Nothing
	or everything available: one child, no split needed.
	"""
	_check_splittable(order)
	left = {item: max(to_decimal(qty, "available_qty"), ZERO) for item, qty in available_by_item.items()}
	now, later = _Group(), _Group(backorder=True)
	for line in order.lines:
		take = min(left.get(line.item, ZERO), line.qty)
		if take > 0:
			now.parts[line.line_id] = take
			left[line.item] -= take
		if line.qty - take > 0:
			later.parts[line.line_id] = line.qty - take
	return _build_split(order, [now, later], prorate_shipping)


# ---------------------------------------------------------------------------------------
# returns and refunds


def validate_return(
	lines_shipped: Sequence[OrderLine],
	lines_already_returned: Mapping[str, Number],
	requested: Mapping[str, Number],
) -> dict[str, Decimal]:
	"""Check a return request against what was shipped (`OrderLine.shipped_qty`) and returned.

	Returns line_id -> qty to return. Never more than shipped minus already returned per line.
	"""
	by_id = {line.line_id: (_row(line, position), line) for position, line in enumerate(lines_shipped, 1)}
	if not requested:
		raise ValidationFailed("Select at least one item to return", field="items")
	accepted: dict[str, Decimal] = {}
	for line_id, raw_qty in requested.items():
		if line_id not in by_id:
			raise ValidationFailed("Line {0} is not on the order", line_id, field="items")
		row, line = by_id[line_id]
		qty = to_decimal(raw_qty, "qty")
		if qty <= 0:
			raise ValidationFailed(
				"Row {0} ({1}): Return quantity must be greater than 0", row, line.item, field="qty"
			)
		returned = to_decimal(lines_already_returned.get(line_id), "returned_qty")
		allowed = max(line.shipped_qty - returned, ZERO)
		if qty > allowed:
			raise ValidationFailed(
				"Row {0} ({1}): cannot return {2}; at most {3} can be returned ({4} shipped, {5} already returned)",
				row,
				line.item,
				fmt_qty(qty),
				fmt_qty(allowed),
				fmt_qty(line.shipped_qty),
				fmt_qty(returned),
				field="qty",
			)
		accepted[line_id] = qty
	return accepted


def refund_by_line(
	lines: Sequence[OrderLine],
	returned: Mapping[str, Number],
	already_returned: Mapping[str, Number] | None = None,
) -> dict[str, Decimal]:
	"""Refund per line for a (validated) return, prorated from the line amount by quantity.

	Rounded cumulatively: returning r then q refunds round(amount x (r+q)/qty) - round(amount x
	r/qty), so a line returned in any number of steps refunds exactly its amount in the end.
	"""
	already_returned = already_returned or {}
	accepted = validate_return(lines, already_returned, returned)
	by_id = {line.line_id: line for line in lines}
	refunds: dict[str, Decimal] = {}
	for line_id, qty in accepted.items():
		line = by_id[line_id]
		before = Fraction(to_decimal(already_returned.get(line_id), "returned_qty"))
		per_unit = Fraction(line.amount) / Fraction(line.qty)
		refunds[line_id] = _fraction_to_money(per_unit * (before + Fraction(qty))) - _fraction_to_money(
			per_unit * before
		)
	return refunds


def refund_amount(
	lines: Sequence[OrderLine],
	returned: Mapping[str, Number],
	already_returned: Mapping[str, Number] | None = None,
) -> Decimal:
	"""The merchandise refund for a return (shipping refunds are a separate decision)."""
	return sum(refund_by_line(lines, returned, already_returned).values(), ZERO)


def payment_status_after_refund(
	current: str | PaymentStatus, paid_amount: Number, refunded_total: Number
) -> PaymentStatus:
	"""Paid -> Partially Refunded, or Refunded once everything paid has been refunded."""
	status = as_payment_status(current)
	paid, refunded = money(paid_amount, "paid_amount"), money(refunded_total, "refunded_amount")
	if refunded < 0:
		raise ValidationFailed("Refunded amount cannot be negative", field="refunded_amount")
	if refunded == 0:
		return status
	if status not in (
		PaymentStatus.PAID,
		PaymentStatus.AUTHORISED,
		PaymentStatus.PARTIALLY_REFUNDED,
		PaymentStatus.REFUNDED,
	):
		raise ValidationFailed(
			"Cannot refund an order whose payment status is {0}", status.value, field="payment_status"
		)
	if refunded > paid:
		raise ValidationFailed(
			"Cannot refund {0} in total: only {1} was paid", refunded, paid, field="refunded_amount"
		)
	return PaymentStatus.REFUNDED if refunded == paid else PaymentStatus.PARTIALLY_REFUNDED


# ---------------------------------------------------------------------------------------
# holds


class HoldType(TextEnum):
	PAYMENT = "Payment"
	FRAUD_REVIEW = "Fraud Review"
	ADDRESS_CHECK = "Address Check"
	STOCK = "Stock"
	MANUAL = "Manual"


@dataclass(frozen=True)
class OrderFacts:
	"""What the hold rules look at, gathered by the Frappe side as of `as_of` (its clock, not ours)."""

	name: str
	as_of: datetime
	status: OrderStatus = OrderStatus.PENDING
	submitted_at: datetime | None = None
	payment_status: PaymentStatus = PaymentStatus.UNPAID
	pay_on_delivery: bool = False
	previous_orders: int = 0  # the customer's earlier orders, not counting this one
	delivery_method: str = ""
	shipping_country: str = ""
	billing_country: str = ""
	grand_total: Decimal = ZERO
	address_missing: tuple[str, ...] = ()  # address fields that are blank or failed validation
	short_items: tuple[str, ...] = ()  # items that cannot be sourced and may not be backordered

	def __post_init__(self) -> None:
		object.__setattr__(self, "status", as_status(self.status))
		object.__setattr__(self, "payment_status", as_payment_status(self.payment_status))
		object.__setattr__(self, "grand_total", money(self.grand_total, "grand_total"))


@dataclass(frozen=True)
class HoldSettings:
	"""The OMS Settings that drive the rules; None or False switches a rule off."""

	payment_hold_after_minutes: float | None = 60
	express_delivery_methods: frozenset[str] = frozenset({"Express"})
	review_first_express_abroad: bool = True
	review_orders_above: Decimal | None = None
	check_addresses: bool = True
	hold_when_out_of_stock: bool = True


@dataclass(frozen=True)
class Hold:
	"""A hold that should stand: its type, the rule that placed it ("" for a manual one), and why."""

	hold_type: HoldType
	rule: str = ""
	template: str = ""
	args: tuple[object, ...] = ()

	@property
	def reason(self) -> str:
		return self.template.format(*self.args)


Reason = tuple[str, tuple[object, ...]]


@dataclass(frozen=True)
class HoldRule:
	"""`check` returns (template, args) explaining why the hold stands, or None."""

	name: str
	hold_type: HoldType
	check: Callable[[OrderFacts, HoldSettings], Reason | None]


def _unpaid_too_long(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	limit = settings.payment_hold_after_minutes
	if (
		not limit
		or facts.pay_on_delivery
		or facts.payment_status not in UNPAID_PAYMENT_STATUSES
		or not facts.submitted_at
	):
		return None
	minutes = (facts.as_of - facts.submitted_at).total_seconds() / 60
	if minutes <= limit:
		return None
	return "Order {0} is still {1} {2} minutes after it was placed (limit {3})", (
		facts.name,
		facts.payment_status.value,
		int(minutes),
		fmt_qty(to_decimal(limit)),
	)


def _first_express_order_abroad(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	shipping, billing = facts.shipping_country.strip().casefold(), facts.billing_country.strip().casefold()
	if (
		settings.review_first_express_abroad
		and facts.previous_orders == 0
		and facts.delivery_method in settings.express_delivery_methods
		and shipping
		and billing
		and shipping != billing
	):
		return "Order {0} is the customer's first, by {1}, shipping to {2} but billed in {3}", (
			facts.name,
			facts.delivery_method,
			facts.shipping_country,
			facts.billing_country,
		)
	return None


def _large_order(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	limit = settings.review_orders_above
	if limit is None or facts.grand_total <= money(limit):
		return None
	return "Order {0} totals {1}, above the review limit of {2}", (
		facts.name,
		facts.grand_total,
		money(limit),
	)


def _address_incomplete(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	if not settings.check_addresses or not facts.address_missing:
		return None
	return "Order {0}: the shipping address needs {1}", (facts.name, ", ".join(facts.address_missing))


def _out_of_stock(facts: OrderFacts, settings: HoldSettings) -> Reason | None:
	if not settings.hold_when_out_of_stock or not facts.short_items:
		return None
	return "Order {0}: no stock to source {1}", (facts.name, ", ".join(facts.short_items))


# Add a rule by appending here: a name (recorded on the hold), its type and a check.
HOLD_RULES: tuple[HoldRule, ...] = (
	HoldRule("unpaid_too_long", HoldType.PAYMENT, _unpaid_too_long),
	HoldRule("first_express_order_abroad", HoldType.FRAUD_REVIEW, _first_express_order_abroad),
	HoldRule("large_order", HoldType.FRAUD_REVIEW, _large_order),
	HoldRule("address_incomplete", HoldType.ADDRESS_CHECK, _address_incomplete),
	HoldRule("out_of_stock", HoldType.STOCK, _out_of_stock),
)


def automatic_holds(
	order_facts: OrderFacts,
	settings: HoldSettings | None = None,
	rules: Sequence[HoldRule] = HOLD_RULES,
) -> list[Hold]:
	"""The automatic holds that should stand on an order now, one per rule that fires.

	Orders past shipping, cancelled or merged are never held.
	"""
	if order_facts.status not in AUTO_HOLDABLE_STATUSES:
		return []
	settings = settings or HoldSettings()
	holds = []
	for rule in rules:
		found = rule.check(order_facts, settings)
		if found is not None:
			template, args = found
			holds.append(Hold(rule.hold_type, rule.name, template, tuple(args)))
	return holds


@dataclass(frozen=True)
class HoldChanges:
	place: tuple[Hold, ...]
	release: tuple[Hold, ...]
	remaining: tuple[Hold, ...]

	@property
	def on_hold(self) -> bool:
		"""Whether the order should be On Hold once the changes are applied."""
		return bool(self.remaining)


def reconcile_holds(current: Iterable[Hold], standing: Iterable[Hold]) -> HoldChanges:
	"""Which holds to place and release so the order carries exactly the standing automatic holds.

	Holds are matched by (type, rule). Manual holds (no rule) are never released automatically.
	"""
	current, standing = list(current), list(standing)
	current_keys = {(hold.hold_type, hold.rule) for hold in current}
	standing_keys = {(hold.hold_type, hold.rule) for hold in standing}
	place = tuple(hold for hold in standing if (hold.hold_type, hold.rule) not in current_keys)
	release = tuple(
		hold for hold in current if hold.rule and (hold.hold_type, hold.rule) not in standing_keys
	)
	remaining = tuple(hold for hold in current if hold not in release) + place
	return HoldChanges(place=place, release=release, remaining=remaining)
