"""Merge planning: several orders of one customer become one.

Merged lines combine when item and rate are equal; discounts and taxes add up. The merged order
is charged the highest of the source shipping fees (one parcel now travels instead of several,
and the customer is never charged more for it than the dearest parcel they agreed to), unless
the caller passes `shipping_fee`; `MergePlan.shipping_fee_released` is what the customer no
longer owes. If any source is On Hold the merged order is On Hold too: a merge never drops a
hold. (order_status allows Pending -> Merged only, so an On Hold source is first released to
Pending by the Frappe side, in the same transaction.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import Msg, _lt
from oms_omnichannel.core.order_status import OrderAction, OrderStatus, check_action
from oms_omnichannel.core.orders.lines import (
	Order,
	OrderLine,
	OrderTotals,
	compute_totals,
	order_totals,
	validate_order,
)
from oms_omnichannel.core.orders.money import ZERO, Number, money


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
	("customer", _lt("Cannot merge {0} and {1}: they belong to different customers ({2}, {3})")),
	("shipping_address", _lt("Cannot merge {0} and {1}: they ship to different addresses ({2}, {3})")),
	("delivery_method", _lt("Cannot merge {0} and {1}: they use different delivery methods ({2}, {3})")),
	("currency", _lt("Cannot merge {0} and {1}: they are in different currencies ({2}, {3})")),
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
	_check_mergeable(orders)
	_check_same_header(orders)
	first = orders[0]
	target, orders = _target_first(orders, into)
	lines, line_map = _merged_lines(orders, target if into is not None else None)
	fees = [order.shipping_fee for order in orders]
	fee = _merged_shipping_fee(fees, shipping_fee)
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


def _check_mergeable(orders: Sequence[Order]) -> None:
	"""At least two orders, none listed twice, each in a mergeable status and valid."""
	if len(orders) < 2:
		raise ValidationFailed("Select at least two orders to merge (got {0})", len(orders), field="orders")
	names: set[str] = set()
	for order in orders:
		if order.name in names:
			raise ValidationFailed(
				"Cannot merge {0} with itself: it is listed twice", order.name, field="orders"
			)
		names.add(order.name)
		check_action(
			OrderAction.MERGE,
			order.status,
			order.name,
			shipped=any(line.shipped_qty > 0 for line in order.lines),
		)
		try:
			validate_order(order)
		except ValidationFailed as error:
			raise ValidationFailed(
				"Cannot merge {0}: {1}", order.name, error.message, field=error.field
			) from None


def _check_same_header(orders: Sequence[Order]) -> None:
	"""One customer, one address, one delivery method, one currency (`_MERGE_MUST_MATCH`)."""
	first = orders[0]
	for order in orders[1:]:
		for attribute, template in _MERGE_MUST_MATCH:
			theirs, ours = getattr(first, attribute), getattr(order, attribute)
			if theirs != ours:
				raise ValidationFailed(
					template,
					first.name,
					order.name,
					theirs or Msg("none"),
					ours or Msg("none"),
					field=attribute,
				)


def _target_first(orders: list[Order], into: str | None) -> tuple[Order, list[Order]]:
	"""The order whose name and channel the merged order takes, and the sources with it first."""
	if into is None:
		return orders[0], orders
	if into not in {order.name for order in orders}:
		raise ValidationFailed(
			"Cannot merge into {0}: it is not one of the orders being merged", into, field="into"
		)
	target = next(order for order in orders if order.name == into)
	return target, [target, *(order for order in orders if order is not target)]


def _merged_lines(
	orders: Sequence[Order], survivor: Order | None
) -> tuple[list[OrderLine], dict[tuple[str, str], str]]:
	"""One line per (item, rate), in order of first appearance, and where every source line went.

	The surviving order's lines keep their line_id; the others are named "order/line_id".
	"""
	groups: dict[tuple[str, Decimal], list[tuple[Order, OrderLine]]] = {}
	for order in orders:
		for line in order.lines:
			groups.setdefault((line.item, line.rate), []).append((order, line))

	lines: list[OrderLine] = []
	line_map: dict[tuple[str, str], str] = {}
	for position, sources in enumerate(groups.values(), start=1):
		head_order, head = sources[0]
		line_id = head.line_id if head_order is survivor else f"{head_order.name}/{head.line_id}"
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
	return lines, line_map


def _merged_shipping_fee(fees: Sequence[Decimal], shipping_fee: Number | None) -> Decimal:
	"""The highest source fee, unless the caller gives one; never negative."""
	fee = max(fees) if shipping_fee is None else money(shipping_fee, "shipping_fee")
	if fee < 0:
		raise ValidationFailed("Shipping Fee cannot be negative", field="shipping_fee")
	return fee
