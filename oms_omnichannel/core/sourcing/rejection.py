"""A location rejects lines it was to ship: source them again elsewhere, and say what happens to
the stock it could not ship (counted out, moved to Damaged, or left as it is)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import Msg, _lt
from oms_omnichannel.core.sourcing.model import (
	EXACT_LIMIT,
	CandidateLocation,
	Delivery,
	DeliveryType,
	OrderLine,
	RejectionReason,
	Resourcing,
	SourcingPlan,
	SourcingRule,
	delivery_type,
)
from oms_omnichannel.core.sourcing.search import source
from oms_omnichannel.core.stock import StockMovement, StockStatus, fmt_qty, qty_round


def resource_after_rejection(
	previous_assignment: Mapping[str, Sequence[tuple[str, float]]],
	rejected_lines: Mapping[str, float | None] | Iterable[str],
	rejecting_location: str,
	reason: str | RejectionReason,
	*,
	lines: Sequence[OrderLine],
	delivery: Delivery,
	locations: Sequence[CandidateLocation],
	rules: Sequence[SourcingRule] = (),
	allow_split: bool = True,
	exact_limit: int = EXACT_LIMIT,
) -> Resourcing:
	"""Source again what `rejecting_location` will not ship, from the next best other location.

	`rejected_lines` maps line ids to the rejected quantity (None, or a plain list of ids, for
	all that was assigned there). Locations that keep other lines of the order count as already
	shipping. When some quantity finds no other location the result `needs_person`. The reason
	also says what happened to the stock: Not Found counts the rejected quantity out of the
	location's Available stock and asks for a stock count there; Damaged moves it to Damaged; Too
	Busy changes nothing. (The caller releases the rejected reservations before posting these.)
	"""
	why = _rejection_reason(reason)
	rejected = _rejected_lines(previous_assignment, rejected_lines, rejecting_location, lines)
	label = next((loc.title for loc in locations if loc.name == rejecting_location), rejecting_location)
	explanation = [
		Msg(
			"{0} rejected {1} of {2} (line {3}): {4}",
			label,
			fmt_qty(line.qty),
			line.item,
			line.line_id,
			Msg(why.value),
		)
		for line in rejected
	]
	movements, count_requests = _stock_after_rejection(rejected, rejecting_location, why)
	plan = _source_elsewhere(
		rejected,
		previous_assignment,
		rejecting_location,
		label,
		delivery=delivery,
		locations=locations,
		rules=rules,
		allow_split=allow_split,
		exact_limit=exact_limit,
	)
	explanation += plan.explanation
	what = Msg("the line") if len(rejected) == 1 else Msg("{0} lines", len(rejected))
	plan.passed_over = {
		rejecting_location: Msg("{0}: rejected {1} ({2})", label, what, Msg(why.value)),
		**plan.passed_over,
	}
	merged = _assignments_after_rejection(previous_assignment, plan, rejected, rejecting_location)
	needs_person = not plan.fully_sourced
	if needs_person:
		explanation += _unsourced_lines(rejected, plan)
	return Resourcing(plan, merged, needs_person, movements, count_requests, explanation)


def _rejection_reason(reason: str | RejectionReason) -> RejectionReason:
	return RejectionReason.parse(reason, _lt("rejection reason"), field="reason")


def _rejected_lines(
	previous_assignment: Mapping[str, Sequence[tuple[str, float]]],
	rejected_lines: Mapping[str, float | None] | Iterable[str],
	rejecting_location: str,
	lines: Sequence[OrderLine],
) -> list[OrderLine]:
	"""The rejected quantities as order lines, each checked against what was assigned there."""
	if not rejecting_location:
		raise ValidationFailed("The rejecting location is required", field="location")
	by_id = {line.line_id: line for line in lines}
	if not isinstance(rejected_lines, Mapping):
		rejected_lines = dict.fromkeys(rejected_lines)
	if not rejected_lines:
		raise ValidationFailed("Name at least one rejected line", field="line_id")

	rejected: list[OrderLine] = []
	for line_id, qty in rejected_lines.items():
		line = by_id.get(line_id)
		if line is None:
			raise ValidationFailed("Line {0} is not a line of this order", line_id, field="line_id")
		assigned = qty_round(
			sum(q for loc, q in previous_assignment.get(line_id, ()) if loc == rejecting_location)
		)
		if assigned <= 0:
			raise ValidationFailed(
				"Line {0} ({1}) is not assigned to {2}",
				line_id,
				line.item,
				rejecting_location,
				field="line_id",
			)
		qty = assigned if qty is None else qty_round(qty)
		if not math.isfinite(qty) or qty <= 0:
			raise ValidationFailed(
				"Rejected quantity of line {0} ({1}) must be greater than zero, not {2}",
				line_id,
				line.item,
				qty,
				field="qty",
			)
		if qty > assigned:
			raise ValidationFailed(
				"Cannot reject {0} of line {1} ({2}): only {3} is assigned to {4}",
				fmt_qty(qty),
				line_id,
				line.item,
				fmt_qty(assigned),
				rejecting_location,
				field="qty",
			)
		rejected.append(OrderLine(line_id, line.item, qty, line.category))
	return rejected


def _stock_after_rejection(
	rejected: Sequence[OrderLine], rejecting_location: str, why: RejectionReason
) -> tuple[list[StockMovement], list[tuple[str, str]]]:
	"""What the reason says about the location's stock: the movements and the counts to request."""
	movements: list[StockMovement] = []
	count_requests: list[tuple[str, str]] = []
	for line in rejected:

		def move(status: StockStatus, qty: float, line: OrderLine = line) -> StockMovement:
			return StockMovement(line.item, rejecting_location, status.value, qty, line.line_id)

		if why is RejectionReason.NOT_FOUND:
			movements.append(move(StockStatus.AVAILABLE, -line.qty))
			if (line.item, rejecting_location) not in count_requests:
				count_requests.append((line.item, rejecting_location))
		elif why is RejectionReason.DAMAGED:
			movements += [move(StockStatus.AVAILABLE, -line.qty), move(StockStatus.DAMAGED, line.qty)]
	return movements, count_requests


def _source_elsewhere(
	rejected: Sequence[OrderLine],
	previous_assignment: Mapping[str, Sequence[tuple[str, float]]],
	rejecting_location: str,
	label: str,
	*,
	delivery: Delivery,
	locations: Sequence[CandidateLocation],
	rules: Sequence[SourcingRule],
	allow_split: bool,
	exact_limit: int,
) -> SourcingPlan:
	"""Source the rejected quantities from the other locations (none stands in for a pickup store)."""
	others = [loc for loc in locations if loc.name != rejecting_location]
	shipping = {
		loc
		for line_id, parts in previous_assignment.items()
		for loc, q in parts
		if loc != rejecting_location and q > 0
	}
	pickup = delivery_type(delivery) is DeliveryType.SELF_PICKUP
	if pickup and delivery.pickup_location == rejecting_location:
		return SourcingPlan(
			assignments={line.line_id: [] for line in rejected},
			remainder={line.line_id: line.qty for line in rejected},
			shipments=[],
			explanation=[
				Msg(
					"{0} is the pickup location chosen for this order: no other location can take its place",
					label,
				)
			],
			passed_over={},
			search="none",
		)
	return source(
		rejected,
		delivery,
		others,
		rules,
		allow_split=allow_split,
		already_shipping=shipping,
		exact_limit=exact_limit,
	)


def _assignments_after_rejection(
	previous_assignment: Mapping[str, Sequence[tuple[str, float]]],
	plan: SourcingPlan,
	rejected: Sequence[OrderLine],
	rejecting_location: str,
) -> dict[str, list[tuple[str, float]]]:
	"""The whole order's assignment: the previous one less the rejected quantities, plus the new sources."""
	merged: dict[str, list[tuple[str, float]]] = {}
	rejected_qty = {line.line_id: line.qty for line in rejected}
	for line_id in dict.fromkeys([*previous_assignment, *plan.assignments]):
		parts: dict[str, float] = {}
		for loc, q in previous_assignment.get(line_id, ()):
			if loc == rejecting_location and line_id in rejected_qty:
				take = min(q, rejected_qty[line_id])
				rejected_qty[line_id] = qty_round(rejected_qty[line_id] - take)
				q = q - take
			parts[loc] = qty_round(parts.get(loc, 0.0) + q)
		for loc, q in plan.assignments.get(line_id, ()):
			parts[loc] = qty_round(parts.get(loc, 0.0) + q)
		merged[line_id] = [(loc, q) for loc, q in parts.items() if q > 0]
	return merged


def _unsourced_lines(rejected: Sequence[OrderLine], plan: SourcingPlan) -> list[str]:
	"""One note per rejected line that no other location can take: a person has to decide."""
	notes = []
	for line in rejected:
		left = plan.remainder.get(line.line_id, 0.0)
		if left > 0:
			notes.append(
				Msg(
					"Needs a person: no other location can take {0} of {1} (line {2})",
					fmt_qty(left),
					line.item,
					line.line_id,
				)
			)
	return notes
