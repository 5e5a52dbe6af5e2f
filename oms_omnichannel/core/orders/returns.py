"""Returns and refunds: how much of a shipped line may come back, what it refunds, and the payment status after."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.orders.lines import OrderLine, row_number
from oms_omnichannel.core.orders.money import ZERO, Number, fmt_qty, fraction_to_money, money, to_decimal
from oms_omnichannel.core.payment import PaymentStatus, as_payment_status


def validate_return(
	lines_shipped: Sequence[OrderLine],
	lines_already_returned: Mapping[str, Number],
	requested: Mapping[str, Number],
) -> dict[str, Decimal]:
	"""Check a return request against what was shipped (`OrderLine.shipped_qty`) and returned.

	Returns line_id -> qty to return. Never more than shipped minus already returned per line.
	"""
	by_id = {
		line.line_id: (row_number(line, position), line) for position, line in enumerate(lines_shipped, 1)
	}
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
		refunds[line_id] = fraction_to_money(per_unit * (before + Fraction(qty))) - fraction_to_money(
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
