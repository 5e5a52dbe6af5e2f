"""Customer feedback: what a review, complaint or suggestion must carry, and how its status moves.

Open → In Progress → Resolved or Rejected (Open may also be closed at once). Resolved and Rejected
are final, and closing needs a resolution. Complaints carry a category and may leave the rating
out; reviews and suggestions are rated 1 to 5. A complaint is due `sla_hours` after it was opened
and is overdue while it is still open after that.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from oms_omnichannel.core.errors import InvalidTransition, ValidationFailed

REVIEW, COMPLAINT, SUGGESTION = "Review", "Complaint", "Suggestion"
FEEDBACK_TYPES = (REVIEW, COMPLAINT, SUGGESTION)

OPEN, IN_PROGRESS, RESOLVED, REJECTED = "Open", "In Progress", "Resolved", "Rejected"
STATUSES = (OPEN, IN_PROGRESS, RESOLVED, REJECTED)
CLOSED = frozenset({RESOLVED, REJECTED})
TRANSITIONS = {
	OPEN: frozenset({IN_PROGRESS, RESOLVED, REJECTED}),
	IN_PROGRESS: frozenset({RESOLVED, REJECTED}),
	RESOLVED: frozenset(),
	REJECTED: frozenset(),
}

COMPLAINT_CATEGORIES = ("Late Delivery", "Damaged", "Wrong Item", "Missing Item", "Service", "Other")
MIN_RATING, MAX_RATING = 1, 5
DEFAULT_SLA_HOURS = 48


def as_feedback_type(value: str | None) -> str:
	if value not in FEEDBACK_TYPES:
		raise ValidationFailed(
			"feedback_type: {0} is not one of {1}",
			value or "",
			", ".join(FEEDBACK_TYPES),
			field="feedback_type",
		)
	return value


def as_rating(value: object, feedback_type: str) -> int:
	"""The rating as an int, 0 for none; refused outside 1-5, or missing where one is required."""
	if value is None or value == "" or value == 0:
		if feedback_type != COMPLAINT:
			raise ValidationFailed(
				"rating: a {0} needs a rating from {1} to {2}",
				feedback_type,
				MIN_RATING,
				MAX_RATING,
				field="rating",
			)
		return 0
	if isinstance(value, bool) or not isinstance(value, int | str):
		raise ValidationFailed(
			"rating: must be a whole number from {0} to {1}", MIN_RATING, MAX_RATING, field="rating"
		)
	try:
		rating = int(value)
	except ValueError:
		rating = None
	if rating is None or str(rating) != str(value).strip() or not MIN_RATING <= rating <= MAX_RATING:
		raise ValidationFailed(
			"rating: {0} is not a whole number from {1} to {2}", value, MIN_RATING, MAX_RATING, field="rating"
		)
	return rating


def as_complaint_category(value: str | None, feedback_type: str) -> str | None:
	if feedback_type != COMPLAINT:
		if value:
			raise ValidationFailed(
				"complaint_category: only complaints have a category, not a {0}",
				feedback_type,
				field="complaint_category",
			)
		return None
	if value not in COMPLAINT_CATEGORIES:
		raise ValidationFailed(
			"complaint_category: a complaint needs one of {0}",
			", ".join(COMPLAINT_CATEGORIES),
			field="complaint_category",
		)
	return value


def check_status(before: str | None, after: str, resolution: str | None) -> None:
	"""Refuse an unknown status, a move the status machine does not allow, or closing without a
	resolution. `before` is None for new feedback, which may start in any status."""
	if after not in TRANSITIONS:
		raise ValidationFailed("status: {0} is not one of {1}", after, ", ".join(STATUSES), field="status")
	if before is not None and before != after and after not in TRANSITIONS.get(before, ()):
		raise InvalidTransition(
			"status: feedback that is {0} cannot become {1}", before, after, field="status"
		)
	if after in CLOSED and not (resolution or "").strip():
		raise ValidationFailed(
			"resolution: a resolution is required to set the status {0}", after, field="resolution"
		)


def allowed_next(status: str) -> list[str]:
	"""The statuses feedback may move to next, in the order of STATUSES (for the form)."""
	return [s for s in STATUSES if s in TRANSITIONS.get(status, ())]


def due_by(opened_on: datetime, feedback_type: str, sla_hours: float | None) -> datetime | None:
	"""Complaints are due `sla_hours` after they were opened; other feedback has no deadline."""
	if feedback_type != COMPLAINT or not sla_hours or sla_hours <= 0:
		return None
	return opened_on + timedelta(hours=float(sla_hours))


def is_overdue(status: str, due: datetime | None, now: datetime) -> bool:
	return due is not None and status not in CLOSED and now > due


def hours_between(start: datetime, end: datetime) -> float:
	return round((end - start).total_seconds() / 3600, 2)


def check_order_channel(order: str, order_channel: str | None, channel: str | None) -> None:
	"""Feedback about an order belongs to the order's channel; another channel's order is refused."""
	if channel and order_channel and channel != order_channel:
		raise ValidationFailed(
			"order: {0} belongs to Sales Channel {1}, not {2}", order, order_channel, channel, field="order"
		)


# The Return Request reason a complaint starts a return with.
RETURN_REASONS = {
	"Late Delivery": "Late Delivery",
	"Damaged": "Damaged in Transit",
	"Wrong Item": "Not as Described",
}


def return_reason(category: str | None) -> str:
	return RETURN_REASONS.get(category or "", "Other")


def returned_condition(category: str | None) -> str:
	"""Goods a customer complained were damaged come back as Damaged, others as Resellable."""
	return "Damaged" if category == "Damaged" else "Resellable"
