"""Order lines, orders and their totals, and the checks an order must pass before it is saved.

A line's value is qty x rate rounded to the cent. Rounding is not additive (two 0.5 kg lines at
1.99 are 1.00 each, one 1 kg line is 1.99), so a line may carry an explicit `value` that differs
from qty x rate by rounding: merge and split set it only when they must, so that merged and split
orders add up to their sources exactly to the cent. The Frappe side stores it as the row's amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.order_status import OrderStatus, as_status
from oms_omnichannel.core.orders.money import ZERO, Number, fmt_qty, money, to_decimal


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


def row_number(line: OrderLine, position: int) -> int:
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
		validate_line(line, row_number(line, position))
		if line.line_id in seen:
			raise ValidationFailed(
				"Row {0}: line {1} appears twice on order {2}",
				row_number(line, position),
				line.line_id,
				order.name,
				field="items",
			)
		seen.add(line.line_id)
	if order.shipping_fee < 0:
		raise ValidationFailed("Shipping Fee cannot be negative", field="shipping_fee")
