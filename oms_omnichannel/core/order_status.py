"""The order status machine of DESIGN.md.

Draft -> Pending (submitted) -> Processing (reserved and sourced) -> Partially Shipped ->
Shipped -> Completed (delivered or picked up). Pending, Processing and Partially Shipped
can go On Hold and back; Pending and Processing can be Cancelled, or Merged into another
order while nothing of them has shipped. Which actions each status allows is derived below (`can`). An order's `status`
field is written only through `transition()` so no controller can invent a path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from oms_omnichannel.core.errors import InvalidTransition
from oms_omnichannel.core.messages import Msg, _lt
from oms_omnichannel.core.text_enum import TextEnum


class OrderStatus(TextEnum):
	DRAFT = "Draft"
	PENDING = "Pending"
	PROCESSING = "Processing"
	PARTIALLY_SHIPPED = "Partially Shipped"
	SHIPPED = "Shipped"
	COMPLETED = "Completed"
	ON_HOLD = "On Hold"
	CANCELLED = "Cancelled"
	MERGED = "Merged"


S = OrderStatus

ALLOWED_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
	S.DRAFT: frozenset({S.PENDING}),
	S.PENDING: frozenset({S.PROCESSING, S.ON_HOLD, S.CANCELLED, S.MERGED}),
	# Processing -> Merged: nothing has left yet, so its reservations move to the merged order.
	S.PROCESSING: frozenset({S.PENDING, S.PARTIALLY_SHIPPED, S.SHIPPED, S.ON_HOLD, S.CANCELLED, S.MERGED}),
	# Back from (Partially) Shipped only when a shipment is cancelled before it leaves.
	S.PARTIALLY_SHIPPED: frozenset({S.SHIPPED, S.ON_HOLD, S.PROCESSING}),
	S.SHIPPED: frozenset({S.COMPLETED, S.PARTIALLY_SHIPPED, S.PROCESSING}),
	S.ON_HOLD: frozenset({S.PENDING, S.PROCESSING, S.PARTIALLY_SHIPPED, S.CANCELLED}),
	S.COMPLETED: frozenset(),
	S.CANCELLED: frozenset(),
	S.MERGED: frozenset(),
}

TERMINAL_STATUSES = frozenset(s for s, nxt in ALLOWED_TRANSITIONS.items() if not nxt)

# The colour each status shows with in the desk (list view indicators, form headline).
INDICATOR_COLOURS: dict[OrderStatus, str] = {
	S.DRAFT: "red",
	S.PENDING: "orange",
	S.PROCESSING: "blue",
	S.PARTIALLY_SHIPPED: "purple",
	S.SHIPPED: "cyan",
	S.COMPLETED: "green",
	S.ON_HOLD: "yellow",
	S.CANCELLED: "gray",
	S.MERGED: "gray",
}


def as_status(value: str | OrderStatus, field: str = "status") -> OrderStatus:
	try:
		return OrderStatus(value)
	except ValueError:
		raise InvalidTransition("Unknown order status {0}", value, field=field) from None


def allowed_next(current: str | OrderStatus) -> frozenset[OrderStatus]:
	return ALLOWED_TRANSITIONS[as_status(current)]


def can_transition(current: str | OrderStatus, target: str | OrderStatus) -> bool:
	return as_status(target) in allowed_next(current)


class OrderAction(TextEnum):
	"""What a user or a channel can do to a submitted order; which statuses allow it is derived
	from ALLOWED_TRANSITIONS below (`can`), never listed again elsewhere."""

	HOLD = _lt("hold")
	RELEASE = _lt("release")
	MODIFY = _lt("modify")
	CANCEL = _lt("cancel")
	MERGE = _lt("merge")
	SPLIT = _lt("split")
	SHIP = _lt("ship")


def can(action: str | OrderAction, status: str | OrderStatus, *, shipped: bool = False) -> bool:
	"""Whether `action` is allowed on an order in `status`; `shipped`: some unit has left already.

	- hold: On Hold is reachable (or it stands already: holds stack);
	- release: it is On Hold;
	- cancel, modify, split: Cancelled is reachable and nothing has shipped (what left the building
	  is returned, not cancelled or changed);
	- merge: Merged is reachable, or it is On Hold (released to Pending first), and nothing shipped;
	- ship: Shipped is reachable directly (never while a hold stands).
	"""
	action, status = OrderAction(action), as_status(status)
	following = ALLOWED_TRANSITIONS[status]
	if action is OrderAction.HOLD:
		return status is S.ON_HOLD or S.ON_HOLD in following
	if action is OrderAction.RELEASE:
		return status is S.ON_HOLD
	if action in (OrderAction.CANCEL, OrderAction.MODIFY, OrderAction.SPLIT):
		return S.CANCELLED in following and not shipped
	if action is OrderAction.MERGE:
		return (S.MERGED in following or status is S.ON_HOLD) and not shipped
	return S.SHIPPED in following  # OrderAction.SHIP


def allowed_actions(status: str | OrderStatus, *, shipped: bool = False) -> list[str]:
	"""The actions an order in `status` allows, in OrderAction's order (the form shows these)."""
	return [action.value for action in OrderAction if can(action, status, shipped=shipped)]


class ActionRefused(InvalidTransition):
	"""An order action that the order's status (or what has shipped of it) does not allow."""

	title = "Action Not Allowed"


def check_action(
	action: str | OrderAction, status: str | OrderStatus, order: str, *, shipped: bool = False
) -> None:
	"""Refuse `action` on `order` (its name) unless `can` allows it, naming the status: the one
	refusal every way in (REST, the form, services) shows."""
	if can(action, status, shipped=shipped):
		return
	action, status = OrderAction(action), as_status(status)
	if status is S.DRAFT:
		raise ActionRefused(
			"Cannot {0} {1}: it has not been submitted", Msg(action.value), order, field="status"
		)
	if shipped and can(action, status):
		raise ActionRefused(
			"Cannot {0} {1}: it is {2} and part of it has already shipped",
			Msg(action.value),
			order,
			Msg(status.value),
			field="status",
		)
	# "already" for what is past the point of no return (nothing can be cancelled any more)
	template = (
		_lt("Cannot {0} {1}: it is {2}")
		if can(OrderAction.CANCEL, status)
		else _lt("Cannot {0} {1}: it is already {2}")
	)
	raise ActionRefused(template, Msg(action.value), order, Msg(status.value), field="status")


def statuses_allowing(action: str | OrderAction) -> frozenset[OrderStatus]:
	"""Every status in which `action` may be allowed (for queries: `status in (...)`)."""
	return frozenset(status for status in OrderStatus if can(action, status))


@dataclass(frozen=True)
class Transition:
	"""One recorded status change: the who/when are added by the Frappe side."""

	from_status: OrderStatus
	to_status: OrderStatus
	reason: str = ""


def transition(current: str | OrderStatus, target: str | OrderStatus, reason: str = "") -> Transition:
	"""Validate a status change and describe it, or raise InvalidTransition naming both ends."""
	source, goal = as_status(current), as_status(target)
	if goal not in ALLOWED_TRANSITIONS[source]:
		allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[source])) or "none"
		raise InvalidTransition(
			"Cannot change order status from {0} to {1} (allowed from {0}: {2})",
			source.value,
			goal.value,
			allowed,
			field="status",
		)
	return Transition(source, goal, reason)


@dataclass(frozen=True)
class LineProgress:
	"""Quantities of one order line, as the fulfilment status needs them."""

	ordered: float
	reserved: float = 0
	shipped: float = 0
	delivered: float = 0
	cancelled: float = 0


def fulfilment_status(lines: Iterable[LineProgress]) -> OrderStatus:
	"""The status an active (not held, not cancelled) order has from its lines' quantities.

	Every open unit reserved -> Processing; some shipped -> Partially Shipped; all shipped ->
	Shipped; all delivered -> Completed; otherwise Pending (awaiting stock or sourcing).
	"""
	lines = [line for line in lines if line.ordered - line.cancelled > 0]
	if not lines:
		return S.PENDING
	open_qty = [line.ordered - line.cancelled for line in lines]
	if all(line.delivered >= qty for line, qty in zip(lines, open_qty, strict=True)):
		return S.COMPLETED
	if all(line.shipped >= qty for line, qty in zip(lines, open_qty, strict=True)):
		return S.SHIPPED
	if any(line.shipped > 0 for line in lines):
		return S.PARTIALLY_SHIPPED
	if all(line.reserved + line.shipped >= qty for line, qty in zip(lines, open_qty, strict=True)):
		return S.PROCESSING
	return S.PENDING


FULFILMENT_PATH = (S.PENDING, S.PROCESSING, S.PARTIALLY_SHIPPED, S.SHIPPED, S.COMPLETED)


def steps_to(current: str | OrderStatus, target: str | OrderStatus) -> list[OrderStatus]:
	"""The shortest chain of allowed transitions along the fulfilment path from current to target.

	Shipping and delivery can happen in one go (a whole order shipped and delivered at once), so
	a jump is walked through the statuses the machine requires, each of them recorded. Returns []
	when already there; raises InvalidTransition (naming both ends) when it cannot be reached.
	"""
	source, goal = as_status(current), as_status(target)
	if source == goal:
		return []
	if goal in ALLOWED_TRANSITIONS[source]:
		return [goal]
	previous: dict[OrderStatus, OrderStatus] = {}
	frontier = [source]
	while frontier and goal not in previous:
		following = []
		for status in frontier:
			for nxt in sorted(ALLOWED_TRANSITIONS[status] & set(FULFILMENT_PATH), key=FULFILMENT_PATH.index):
				if nxt not in previous and nxt != source:
					previous[nxt] = status
					following.append(nxt)
		frontier = following
	if goal not in previous:
		transition(source, goal)  # raises, naming both ends
	chain = [goal]
	while previous[chain[-1]] != source:
		chain.append(previous[chain[-1]])
	return chain[::-1]
