"""The search for the best plan: exact over subsets of locations when few are eligible, greedy
set cover beyond (see the package docstring for the order of choice)."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.geo import haversine_km, validate_coordinates
from oms_omnichannel.core.messages import Msg, _lt, join
from oms_omnichannel.core.sourcing.explain import Explanations
from oms_omnichannel.core.sourcing.model import (
	EXACT_LIMIT,
	CandidateLocation,
	Delivery,
	DeliveryType,
	OrderLine,
	Shipment,
	SourcingPlan,
	SourcingRule,
	available,
	delivery_type,
)
from oms_omnichannel.core.stock import fmt_qty, qty_round, validate_order_lines


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


class _Search(Explanations):
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
		self.kind = delivery_type(delivery)
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
				self.passed_over[name] = Msg("{0}: not the pickup location chosen for this order", title)
				continue
			if not self.pickup and not location.can_ship:
				self.passed_over[name] = Msg("{0}: does not ship orders", title)
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
				template = (
					_lt("{0}: not allowed by sourcing rule {1}")
					if len(names) == 1
					else _lt("{0}: not allowed by sourcing rules {1}")
				)
				self.passed_over[name] = Msg(template, title, join(names))
				continue
			if not any(available(location, e.line.item) > 0 for e in allowed_lines):
				items = join(dict.fromkeys(e.line.item for e in allowed_lines))
				self.passed_over[name] = Msg("{0}: no stock of {1}", title, items)
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
					left[key] = available(self.locations[name], item)
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
		explanation: list[Msg] = []
		if len(best.used) == 1:
			explanation.append(self._single_note(best))
		elif best.used:
			explanation += self._multi_notes(best, shipments, mode)
		for entry in self.lines:
			parts = best.assign[entry.line.line_id]
			if len(parts) > 1:
				where = join(Msg("{0} from {1}", fmt_qty(q), self.locations[n].title) for n, q in parts)
				explanation.append(
					Msg("Line {0} ({1}) split: {2}", entry.line.line_id, entry.line.item, where)
				)
		for entry in self.lines:
			left = best.unfilled[entry.line.line_id]
			if left > 0:
				explanation.append(
					Msg(
						"Cannot fill {0} of {1} (line {2}): {3}",
						fmt_qty(left),
						entry.line.item,
						entry.line.line_id,
						self._unfilled_reason(entry, best),
					)
				)
		passed_over = dict(self.passed_over)
		for name in self.eligible:
			if name not in best.used:
				passed_over[name] = Msg(
					"{0}: {1}", self.locations[name].title, self._passed_over_reason(name, best)
				)
		ordered = {name: passed_over[name] for name in self.locations if name in passed_over}
		return SourcingPlan(
			assignments=best.assign,
			remainder=best.unfilled,
			shipments=shipments,
			explanation=explanation,
			passed_over=ordered,
			search=mode,
		)


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
