"""Money and quantities: exact Decimals, rounding to the cent, sharing an amount by weights.

Money is `Decimal`, held to the cent (ROUND_HALF_UP). Quantities are `Decimal` too: floats from
the desk are converted through their shortest repr (0.1 -> Decimal("0.1")), so that merging and
splitting conserve every unit exactly instead of "nearly".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from oms_omnichannel.core.errors import DomainError, ValidationFailed

CENT = Decimal("0.01")
ZERO = Decimal(0)

Number = Decimal | float | int | str


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


def fraction_to_money(value: Fraction) -> Decimal:
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
