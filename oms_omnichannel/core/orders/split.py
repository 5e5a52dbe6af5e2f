"""Split planning: one order becomes several, by chosen lines, by location or by availability.

Every unit of every line ends up in exactly one child. A line split across children has its
value, discount and tax prorated by quantity with largest-remainder rounding, so children sum to
the parent to the cent and no child line is discounted below zero. The shipping fee stays with
the first child, the one meant to keep the parent's identity (name, payment), unless
`prorate_shipping` is set (then by merchandise value).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from oms_omnichannel.core.errors import DomainError, ValidationFailed
from oms_omnichannel.core.order_status import OrderAction, check_action
from oms_omnichannel.core.orders.lines import (
	Order,
	OrderLine,
	OrderTotals,
	compute_totals,
	row_number,
	validate_order,
)
from oms_omnichannel.core.orders.money import ZERO, Number, apportion, fmt_qty, money, to_decimal


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
	check_action(OrderAction.SPLIT, order.status, order.name)  # shipped lines are named below
	validate_order(order)
	index: dict[str, tuple[int, OrderLine]] = {}
	for position, line in enumerate(order.lines, start=1):
		row = row_number(line, position)
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
