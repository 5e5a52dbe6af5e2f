"""Payment statuses of an order: one definition for intake, holds, reservations and refunds."""

from __future__ import annotations

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.text_enum import TextEnum


class PaymentStatus(TextEnum):
	UNPAID = "Unpaid"
	AUTHORISED = "Authorised"  # card authorised, captured at shipping: counts as paid for holds
	PARTIALLY_PAID = "Partially Paid"
	PAID = "Paid"
	PARTIALLY_REFUNDED = "Partially Refunded"
	REFUNDED = "Refunded"


def as_payment_status(value: str | PaymentStatus, field: str = "payment_status") -> PaymentStatus:
	try:
		return PaymentStatus(value)
	except ValueError:
		raise ValidationFailed("Unknown payment status {0}", value, field=field) from None


# Not (fully) paid yet: reservations of such orders expire and the payment hold may fire.
UNPAID_PAYMENT_STATUSES = frozenset({PaymentStatus.UNPAID, PaymentStatus.PARTIALLY_PAID})
# Set by refunds (returns) only, never by a channel.
REFUND_PAYMENT_STATUSES = frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED})
# What order intake accepts from a channel, in PaymentStatus's order: Unpaid, Authorised,
# Partially Paid, Paid.
INTAKE_PAYMENT_STATUSES = tuple(
	status.value for status in PaymentStatus if status not in REFUND_PAYMENT_STATUSES
)
