"""Sourcing: which stock location ships which order line, and why.

A plan is chosen by comparing candidate plans on, in this order:

1. units left unfilled (fewer first: shipping the order beats any saving),
2. shipments (locations used; fewer first: each one is a parcel, a label and a pick),
3. shipments from locations no sourcing rule prefers,
4. shipments from locations without coordinates (their distance is unknown),
5. total haversine distance in km from the shipping locations to the destination,
6. sum of location priorities (lower numbers are preferred, as on Stock Location),
7. location names, so that the same input always gives the same plan.

Search: when at most EXACT_LIMIT locations are eligible (can ship, or are the pickup location;
allowed by the rules; hold stock of an ordered item), every subset is tried in order of size
and the search stops at the first size that reaches the least unfilled quantity. That is exact
and cheap (2**12 = 4096 subsets at most). Beyond that, a greedy set cover adds one location at a
time, the one giving the best plan, then drops locations that turned out redundant. Within a set
of locations each line takes stock from its best-ranked location first (already shipping this
order, preferred, nearest, priority); never-split lines go first, largest first, each whole to
one location.

Sourcing rules: a rule applies to the order when every condition it sets holds (channel,
postcode prefix, region, order value range) and to the lines of its item category (all lines
when it names none). The allowed lists of the rules applying to a line intersect; their
preferred lists add up; one never-split rule is enough. Self Pickup uses the pickup location
only: what it cannot fill is reported, never shipped from elsewhere.

Explanations are English text, written for the people who check or override the decision.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.geo import haversine_km, validate_coordinates
from oms_omnichannel.core.stock import StockMovement, StockStatus, fmt_qty, qty_round, validate_order_lines
from oms_omnichannel.core.text_enum import TextEnum

EXACT_LIMIT = 12


class DeliveryType(TextEnum):
	STANDARD = "Standard"
	EXPRESS = "Express"
	SELF_PICKUP = "Self Pickup"


class RejectionReason(TextEnum):
	NOT_FOUND = "Not Found"
	DAMAGED = "Damaged"
	TOO_BUSY = "Too Busy"


@dataclass(frozen=True)
class OrderLine:
	line_id: str
	item: str
	qty: float
	category: str | None = None


@dataclass(frozen=True)
class Delivery:
	method_type: str = DeliveryType.STANDARD.value
	latitude: float | None = None
	longitude: float | None = None
	postcode: str | None = None
	region: str | None = None
	order_value: float = 0.0
	channel: str | None = None
	pickup_location: str | None = None


@dataclass(frozen=True)
class CandidateLocation:
	"""A stock location that might ship; `available` is per item, actual minus reserved."""

	name: str
	label: str = ""
	latitude: float | None = None
	longitude: float | None = None
	can_ship: bool = True
	can_pickup: bool = False
	priority: int = 0
	available: Mapping[str, float] = field(default_factory=dict)

	@property
	def title(self) -> str:
		return self.label or self.name


@dataclass(frozen=True)
class SourcingRule:
	"""Conditions left empty (None, "", 0 for the value limits) do not restrict.

	`postcode_prefix` may list several prefixes separated by commas.
	"""

	name: str
	channel: str | None = None
	postcode_prefix: str | None = None
	region: str | None = None
	min_order_value: float | None = None
	max_order_value: float | None = None
	item_category: str | None = None
	allowed_locations: Sequence[str] = ()
	preferred_locations: Sequence[str] = ()
	never_split: bool = False


@dataclass(frozen=True)
class Shipment:
	location: str
	label: str
	lines: dict[str, float]  # line_id -> qty
	distance_km: float | None


@dataclass
class SourcingPlan:
	assignments: dict[str, list[tuple[str, float]]]  # line_id -> [(location, qty)]
	remainder: dict[str, float]  # line_id -> qty no location can fill (0 when filled)
	shipments: list[Shipment]
	explanation: list[str]
	passed_over: dict[str, str]  # location -> why it was not used
	search: str  # "exact", "greedy" or "none" (nothing eligible)

	@property
	def fully_sourced(self) -> bool:
		return not any(qty > 0 for qty in self.remainder.values())

	def text(self) -> str:
		return "\n".join([*self.explanation, *self.passed_over.values()])


@dataclass
class Resourcing:
	"""The outcome of a location rejecting lines: new sources, and what the rejection says about stock."""

	plan: SourcingPlan  # sourcing of the rejected quantities only
	assignments: dict[str, list[tuple[str, float]]]  # the whole order after re-sourcing
	needs_person: bool
	movements: list[StockMovement]  # stock adjustment at the rejecting location
	count_requests: list[tuple[str, str]]  # (item, location) to count
	explanation: list[str]


# ---------------------------------------------------------------------------------------
# sourcing


def source(
	lines: Sequence[OrderLine],
	delivery: Delivery,
	locations: Sequence[CandidateLocation],
	rules: Sequence[SourcingRule] = (),
	*,
	allow_split: bool = True,
	already_shipping: Collection[str] = (),
	exact_limit: int = EXACT_LIMIT,
) -> SourcingPlan:
	"""Choose the locations that ship each line (see the module docstring for the order of choice).

	`allow_split` False makes every line never-split. `already_shipping` names locations that
	already ship other lines of this order: using them adds no shipment and no distance.
	"""
	search = _Search(lines, delivery, locations, rules, allow_split, already_shipping)
	return search.run(exact_limit)


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
		f"{label} rejected {fmt_qty(line.qty)} of {line.item} (line {line.line_id}): {why.value}"
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
	what = "the line" if len(rejected) == 1 else f"{len(rejected)} lines"
	plan.passed_over = {rejecting_location: f"{label}: rejected {what} ({why.value})", **plan.passed_over}
	merged = _assignments_after_rejection(previous_assignment, plan, rejected, rejecting_location)
	needs_person = not plan.fully_sourced
	if needs_person:
		explanation += _unsourced_lines(rejected, plan)
	return Resourcing(plan, merged, needs_person, movements, count_requests, explanation)


def _rejection_reason(reason: str | RejectionReason) -> RejectionReason:
	try:
		return RejectionReason(reason)
	except ValueError:
		allowed = ", ".join(r.value for r in RejectionReason)
		raise ValidationFailed(
			"Unknown rejection reason {0} (allowed: {1})", reason, allowed, field="reason"
		) from None


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
	pickup = _delivery_type(delivery) is DeliveryType.SELF_PICKUP
	if pickup and delivery.pickup_location == rejecting_location:
		return SourcingPlan(
			assignments={line.line_id: [] for line in rejected},
			remainder={line.line_id: line.qty for line in rejected},
			shipments=[],
			explanation=[
				f"{label} is the pickup location chosen for this order: no other location can take its place"
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
				f"Needs a person: no other location can take {fmt_qty(left)} of {line.item} "
				f"(line {line.line_id})"
			)
	return notes


# ---------------------------------------------------------------------------------------
# internals


@dataclass
class _Line:
	line: OrderLine
	qty: float
	allowed: frozenset[str] | None  # None: every location
	restricting_rules: tuple[str, ...]  # rules whose allowed lists apply
	preferred: frozenset[str]
	never_split: bool
	ranked: list[str] = field(default_factory=list)  # eligible allowed locations, best first


@dataclass
class _Fill:
	assign: dict[str, list[tuple[str, float]]]
	unfilled: dict[str, float]
	used: list[str]
	key: tuple


class _Search:
	def __init__(
		self,
		lines: Sequence[OrderLine],
		delivery: Delivery,
		locations: Sequence[CandidateLocation],
		rules: Sequence[SourcingRule],
		allow_split: bool,
		already_shipping: Collection[str],
	):
		self.delivery = delivery
		self.kind = _delivery_type(delivery)
		self.pickup = self.kind is DeliveryType.SELF_PICKUP
		_validate_order(lines, delivery)
		self.locations = _index_locations(locations)
		for rule in rules:
			_validate_rule(rule)
		if self.pickup:
			self._validate_pickup()
		self.existing = frozenset(already_shipping)
		self.distance = {name: self._distance(loc) for name, loc in self.locations.items()}
		order_rules = [rule for rule in rules if _rule_matches_order(rule, delivery)]
		self.lines = [_line_rules(line, order_rules, allow_split) for line in lines]
		self.passed_over: dict[str, str] = {}
		self.eligible = self._eligible()
		for entry in self.lines:
			allowed = [loc for loc in self.eligible if entry.allowed is None or loc in entry.allowed]
			entry.ranked = sorted(allowed, key=lambda loc, e=entry: self._line_rank(loc, e))

	# -- setup -----------------------------------------------------------------------

	def _validate_pickup(self) -> None:
		name = self.delivery.pickup_location
		if not name:
			raise ValidationFailed("Self Pickup needs a pickup location", field="pickup_location")
		location = self.locations.get(name)
		if location is None:
			raise ValidationFailed(
				"Pickup location {0} is not an active stock location", name, field="pickup_location"
			)
		if not location.can_pickup:
			raise ValidationFailed("Pickup location {0} does not offer pickup", name, field="pickup_location")

	def _distance(self, location: CandidateLocation) -> float | None:
		d = self.delivery
		if None in (d.latitude, d.longitude, location.latitude, location.longitude):
			return None
		return haversine_km(d.latitude, d.longitude, location.latitude, location.longitude)  # type: ignore[arg-type]

	def _eligible(self) -> list[str]:
		eligible = []
		for name, location in self.locations.items():
			title = location.title
			if self.pickup and name != self.delivery.pickup_location:
				self.passed_over[name] = f"{title}: not the pickup location chosen for this order"
				continue
			if not self.pickup and not location.can_ship:
				self.passed_over[name] = f"{title}: does not ship orders"
				continue
			allowed_lines = [e for e in self.lines if e.allowed is None or name in e.allowed]
			if not allowed_lines:
				names = sorted(
					{
						r
						for e in self.lines
						if e.allowed is not None and name not in e.allowed
						for r in e.restricting_rules
					}
				)
				rules = "rule" if len(names) == 1 else "rules"
				self.passed_over[name] = f"{title}: not allowed by sourcing {rules} {', '.join(names)}"
				continue
			if not any(_available(location, e.line.item) > 0 for e in allowed_lines):
				items = ", ".join(dict.fromkeys(e.line.item for e in allowed_lines))
				self.passed_over[name] = f"{title}: no stock of {items}"
				continue
			eligible.append(name)
		return sorted(eligible, key=self._location_rank)

	def _location_rank(self, name: str) -> tuple:
		distance = self.distance[name]
		preferred = any(name in e.preferred for e in self.lines)
		return (
			name not in self.existing,
			not preferred,
			distance is None,
			distance or 0.0,
			self.locations[name].priority,
			name,
		)

	def _line_rank(self, name: str, entry: _Line) -> tuple:
		distance = self.distance[name]
		return (
			name not in self.existing,
			name not in entry.preferred,
			distance is None,
			distance or 0.0,
			self.locations[name].priority,
			name,
		)

	# -- evaluation ------------------------------------------------------------------

	def fill(self, subset: Iterable[str]) -> _Fill:
		members = set(subset)
		left: dict[tuple[str, str], float] = {}
		assign: dict[str, list[tuple[str, float]]] = {e.line.line_id: [] for e in self.lines}
		unfilled: dict[str, float] = {}
		order = sorted(
			range(len(self.lines)),
			key=lambda i: (
				not self.lines[i].never_split,
				-self.lines[i].qty if self.lines[i].never_split else i,
			),
		)
		for index in order:
			entry = self.lines[index]
			item = entry.line.item
			need = entry.qty
			for name in entry.ranked:
				if name not in members or need <= 0:
					continue
				key = (name, item)
				if key not in left:
					left[key] = _available(self.locations[name], item)
				if entry.never_split:
					if left[key] >= need:
						assign[entry.line.line_id].append((name, need))
						left[key] = qty_round(left[key] - need)
						need = 0.0
						break
					continue
				take = min(need, left[key])
				if take > 0:
					assign[entry.line.line_id].append((name, take))
					left[key] = qty_round(left[key] - take)
					need = qty_round(need - take)
			unfilled[entry.line.line_id] = need
		used_set = {name for parts in assign.values() for name, _ in parts}
		used = [name for name in self.eligible if name in used_set]
		return _Fill(assign, unfilled, used, self._key(assign, unfilled, used))

	def _key(self, assign: dict[str, list[tuple[str, float]]], unfilled: dict[str, float], used: list[str]):
		new = [name for name in used if name not in self.existing]
		preferred = {name for e in self.lines for name, _ in assign[e.line.line_id] if name in e.preferred}
		known = [self.distance[name] for name in new if self.distance[name] is not None]
		return (
			qty_round(sum(unfilled.values())),
			len(new),
			sum(1 for name in new if name not in preferred),
			len(new) - len(known),
			qty_round(sum(known)),  # type: ignore[arg-type]
			sum(self.locations[name].priority for name in new),
			tuple(sorted(new)),
		)

	# -- search ----------------------------------------------------------------------

	def run(self, exact_limit: int) -> SourcingPlan:
		if not self.eligible:
			best, mode = self.fill(()), "none"
		elif len(self.eligible) <= exact_limit:
			best, mode = self._exact(), "exact"
		else:
			best, mode = self._greedy(), "greedy"
		return self._plan(best, mode)

	def _exact(self) -> _Fill:
		least_unfilled = self.fill(self.eligible).key[0]
		existing = sum(1 for name in self.eligible if name in self.existing)
		best: _Fill | None = None
		for size in range(1, len(self.eligible) + 1):
			for subset in combinations(self.eligible, size):
				candidate = self.fill(subset)
				if best is None or candidate.key < best.key:
					best = candidate
			assert best is not None
			if best.key[0] <= least_unfilled and size >= best.key[1] + existing:
				break
		assert best is not None
		return best

	def _greedy(self) -> _Fill:
		chosen = [name for name in self.eligible if name in self.existing]
		current = self.fill(chosen)
		while True:
			options = [self.fill([*chosen, name]) for name in self.eligible if name not in chosen]
			options = [f for f in options if f.key[0] < current.key[0]]
			if not options:
				break
			current = min(options, key=lambda f: f.key)
			chosen = [name for name in self.eligible if name in current.used or name in chosen]
		for name in reversed(list(chosen)):  # drop what later choices made redundant
			trial = self.fill([n for n in chosen if n != name])
			if trial.key[0] <= current.key[0]:
				chosen.remove(name)
				current = trial
		return self.fill(chosen)

	# -- explanation -----------------------------------------------------------------

	def _plan(self, best: _Fill, mode: str) -> SourcingPlan:
		shipments = [
			Shipment(
				name,
				self.locations[name].title,
				{
					line_id: qty_round(sum(q for n, q in parts if n == name))
					for line_id, parts in best.assign.items()
					if any(n == name for n, _ in parts)
				},
				self.distance[name],
			)
			for name in best.used
		]
		explanation: list[str] = []
		if len(best.used) == 1:
			explanation.append(self._single_note(best))
		elif best.used:
			explanation += self._multi_notes(best, shipments, mode)
		for entry in self.lines:
			parts = best.assign[entry.line.line_id]
			if len(parts) > 1:
				where = ", ".join(f"{fmt_qty(q)} from {self.locations[n].title}" for n, q in parts)
				explanation.append(f"Line {entry.line.line_id} ({entry.line.item}) split: {where}")
		for entry in self.lines:
			left = best.unfilled[entry.line.line_id]
			if left > 0:
				explanation.append(
					f"Cannot fill {fmt_qty(left)} of {entry.line.item} (line {entry.line.line_id}): "
					f"{self._unfilled_reason(entry, best)}"
				)
		passed_over = dict(self.passed_over)
		for name in self.eligible:
			if name not in best.used:
				passed_over[name] = f"{self.locations[name].title}: {self._passed_over_reason(name, best)}"
		ordered = {name: passed_over[name] for name in self.locations if name in passed_over}
		return SourcingPlan(
			assignments=best.assign,
			remainder=best.unfilled,
			shipments=shipments,
			explanation=explanation,
			passed_over=ordered,
			search=mode,
		)

	def _stock_phrase(self, fill: _Fill) -> str:
		total = len(self.lines)
		full = sum(1 for e in self.lines if fill.unfilled[e.line.line_id] <= 0)
		if full == total:
			return f"with {_all_lines(total)} in stock"
		if total == 1:
			entry = self.lines[0]
			filled = qty_round(entry.qty - fill.unfilled[entry.line.line_id])
			return f"with {fmt_qty(filled)} of {fmt_qty(entry.qty)} in stock"
		return f"with {full} of {total} lines fully in stock"

	def _km(self, name: str) -> str:
		distance = self.distance[name]
		return "distance unknown" if distance is None else f"{distance:.1f} km"

	def _single_note(self, best: _Fill) -> str:
		name = best.used[0]
		title = self.locations[name].title
		stock = self._stock_phrase(best)
		if self.pickup:
			return f"Picked up at {title}: the pickup location chosen for this order, {stock}"
		others = [self.fill([other]) for other in self.eligible if other != name]
		others = [f for f in others if f.used]
		if not others:
			qualifier = "only location"
		else:
			runner_up = min(others, key=lambda f: f.key)
			qualifier = {
				0: "only location" if best.key[0] <= 0 else "best-stocked location",
				1: "location already shipping this order,",
				2: "preferred location",
				3: "only location of known distance",
				4: "nearest location",
				5: "highest-priority location at this distance",
			}.get(_first_difference(best.key, runner_up.key), "first by name of equally good locations")
		return f"Shipped from {title}: {qualifier} {stock}, {self._km(name)}"

	def _multi_notes(self, best: _Fill, shipments: list[Shipment], mode: str) -> list[str]:
		count = len(best.used)
		how = (
			"the fewest possible"
			if mode == "exact"
			else f"chosen by greedy search over {len(self.eligible)} locations"
		)
		shipping = sum(1 for name in best.used if name in self.existing)
		extra = f" ({shipping} already shipping this order)" if shipping else ""
		single = any(self.fill([name]).key[0] <= 0 for name in self.eligible)
		if single:
			headline = f"Split into {count} shipments{extra}, {how}"
		else:
			if len(self.lines) == 1:
				line = self.lines[0].line
				wanted = f"all {fmt_qty(line.qty)} of {line.item}"
			else:
				wanted = _all_lines(len(self.lines))
			headline = f"No single location has {wanted} in stock: {count} shipments{extra}, {how}"
		notes = [headline]
		by_id = {e.line.line_id: e.line for e in self.lines}
		for shipment in shipments:
			items = ", ".join(f"{by_id[i].item} × {fmt_qty(q)}" for i, q in shipment.lines.items())
			notes.append(f"Shipped from {shipment.label}: {items}; {self._km(shipment.location)}")
		return notes

	def _short_of_stock(self, name: str) -> str:
		"""Why a location alone cannot fill the order: the rules, or its stock against the quantities."""
		location = self.locations[name]
		barred = [e for e in self.lines if e.allowed is not None and name not in e.allowed]
		if barred:
			full = sum(
				1 for e in self.lines if e not in barred and _available(location, e.line.item) >= e.qty
			)
			rules = sorted({r for e in barred for r in e.restricting_rules})
			items = ", ".join(dict.fromkeys(e.line.item for e in barred))
			word = "rule" if len(rules) == 1 else "rules"
			return (
				f"can fill only {full} of {len(self.lines)} lines: "
				f"sourcing {word} {', '.join(rules)} does not allow it for {items}"
			)
		if len(self.lines) == 1:
			entry = self.lines[0]
			return (
				f"has only {fmt_qty(_available(location, entry.line.item))} of {fmt_qty(entry.qty)} in stock"
			)
		full = sum(1 for e in self.lines if _available(location, e.line.item) >= e.qty)
		if full == 0:
			return "has too little stock to fill any line"
		return f"has only {full} of {len(self.lines)} lines in stock"

	def _unfilled_reason(self, entry: _Line, best: _Fill) -> str:
		item = entry.line.item
		if self.pickup:
			name = self.delivery.pickup_location
			title = self.locations[name].title  # type: ignore[index]
			if entry.allowed is not None and name not in entry.allowed:
				return f"sourcing rule {', '.join(entry.restricting_rules)} does not allow {title}"
			return f"{title} has only {fmt_qty(_available(self.locations[name], item))} for pickup"  # type: ignore[index]
		if entry.allowed is not None and not entry.allowed:
			return f"sourcing rules {', '.join(entry.restricting_rules)} leave no location allowed"
		stocks = [_available(self.locations[name], item) for name in entry.ranked]
		if not any(qty > 0 for qty in stocks):
			return "no location that may ship it has it in stock"
		if entry.never_split and sum(stocks) >= entry.qty:
			return f"it may not be split and no location has all {fmt_qty(entry.qty)}"
		filled = qty_round(entry.qty - best.unfilled[entry.line.line_id])
		return f"only {fmt_qty(filled)} of {fmt_qty(entry.qty)} in stock at the locations that may ship it"

	def _passed_over_reason(self, name: str, best: _Fill) -> str:
		if best.used:
			trials = [[*(u for u in best.used if u != out), name] for out in best.used]
			swapped = list(best.used)
		else:
			trials, swapped = [[name]], []
		options = [(self.fill(t), out) for t, out in zip(trials, swapped or [None], strict=True)]
		options = [(f, out) for f, out in options if name in f.used]
		if not options:
			if not best.used:
				return self._short_of_stock(name)
			return "not needed: the chosen locations cover everything it could ship"
		alt, out = min(options, key=lambda pair: pair[0].key)
		single = len(best.used) == 1
		chosen = self.locations[out].title if out else ""
		diff = _first_difference(best.key, alt.key)
		if diff == 0:
			if single or not best.used:
				return self._short_of_stock(name)
			return f"in place of {chosen}, it would leave {fmt_qty(alt.key[0])} unfilled"
		if diff == 1:
			if single and out in self.existing:
				return f"would add a shipment: {chosen} already ships this order"
			return f"would need {alt.key[1]} shipments instead of {best.key[1]}"
		if diff == 2:
			return "not a preferred location of the sourcing rules"
		if diff == 3:
			return "distance unknown: it has no coordinates"
		if diff == 4:
			if single:
				return f"{self._km(name)}, farther than {chosen} ({self._km(out)})"  # type: ignore[arg-type]
			return f"in place of {chosen}, the shipments would travel {alt.key[4]:.1f} km instead of {best.key[4]:.1f} km"
		if diff == 5:
			if single:
				return f"as near as {chosen} but lower priority"
			return f"in place of {chosen}: same distance, lower priority"
		return f"as good as {chosen}, which comes first by name"


def _all_lines(count: int) -> str:
	return {1: "the line", 2: "both lines"}.get(count, f"all {count} lines")


def _first_difference(chosen: tuple, other: tuple) -> int:
	for index, (a, b) in enumerate(zip(chosen, other, strict=True)):
		if a != b:
			return index
	return len(chosen)


def _available(location: CandidateLocation, item: str) -> float:
	return max(qty_round(location.available.get(item, 0.0) or 0.0), 0.0)


def _delivery_type(delivery: Delivery) -> DeliveryType:
	try:
		return DeliveryType(delivery.method_type)
	except ValueError:
		allowed = ", ".join(t.value for t in DeliveryType)
		raise ValidationFailed(
			"Unknown delivery type {0} (allowed: {1})", delivery.method_type, allowed, field="delivery_type"
		) from None


def _validate_order(lines: Sequence[OrderLine], delivery: Delivery) -> None:
	if not lines:
		raise ValidationFailed("The order has no lines to source", field="items")
	validate_order_lines(lines)
	validate_coordinates(delivery.latitude, delivery.longitude)


def _index_locations(locations: Sequence[CandidateLocation]) -> dict[str, CandidateLocation]:
	index: dict[str, CandidateLocation] = {}
	for location in locations:
		if location.name in index:
			raise ValidationFailed("Location {0} is listed twice", location.name, field="location")
		lat, lon = location.latitude, location.longitude
		if (lat is None) != (lon is None) or (
			lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180)
		):
			raise ValidationFailed(
				"Location {0} has impossible coordinates ({1}, {2})",
				location.name,
				lat,
				lon,
				field="latitude",
			)
		index[location.name] = location
	return index


def _validate_rule(rule: SourcingRule) -> None:
	low, high = rule.min_order_value or 0, rule.max_order_value or 0
	if low < 0 or high < 0:
		raise ValidationFailed(
			"Sourcing rule {0}: order value limits must be zero or more", rule.name, field="min_order_value"
		)
	if high and low > high:
		raise ValidationFailed(
			"Sourcing rule {0}: minimum order value {1} is above the maximum {2}",
			rule.name,
			low,
			high,
			field="min_order_value",
		)


def _normal_postcode(value: str | None) -> str:
	return "".join((value or "").split()).upper()


def _rule_matches_order(rule: SourcingRule, delivery: Delivery) -> bool:
	if rule.channel and rule.channel != delivery.channel:
		return False
	if rule.region and rule.region.strip().casefold() != (delivery.region or "").strip().casefold():
		return False
	if rule.postcode_prefix:
		postcode = _normal_postcode(delivery.postcode)
		prefixes = [_normal_postcode(p) for p in rule.postcode_prefix.split(",") if p.strip()]
		if not postcode or not any(postcode.startswith(p) for p in prefixes):
			return False
	if rule.min_order_value and delivery.order_value < rule.min_order_value:
		return False
	if rule.max_order_value and delivery.order_value > rule.max_order_value:
		return False
	return True


def _line_rules(line: OrderLine, rules: Sequence[SourcingRule], allow_split: bool) -> _Line:
	applying = [rule for rule in rules if not rule.item_category or rule.item_category == line.category]
	allowed: frozenset[str] | None = None
	restricting: list[str] = []
	for rule in applying:
		if rule.allowed_locations:
			restricting.append(rule.name)
			names = frozenset(rule.allowed_locations)
			allowed = names if allowed is None else allowed & names
	return _Line(
		line=line,
		qty=qty_round(line.qty),
		allowed=allowed,
		restricting_rules=tuple(restricting),
		preferred=frozenset(name for rule in applying for name in rule.preferred_locations),
		never_split=not allow_split or any(rule.never_split for rule in applying),
	)
