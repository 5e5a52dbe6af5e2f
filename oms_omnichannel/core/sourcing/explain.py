"""The readable side of a sourcing decision: why each location was chosen or passed over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oms_omnichannel.core.messages import Msg, _lt, join
from oms_omnichannel.core.sourcing.model import Shipment, available
from oms_omnichannel.core.stock import fmt_qty, qty_round

if TYPE_CHECKING:
	from oms_omnichannel.core.sourcing.search import _Fill, _Line


class Explanations:
	"""Mixed into the search: the sentences a plan carries (reads the search's state)."""

	def _stock_phrase(self, fill: _Fill) -> Msg:
		total = len(self.lines)
		full = sum(1 for e in self.lines if fill.unfilled[e.line.line_id] <= 0)
		if full == total:
			return Msg("with {0} in stock", _all_lines(total))
		if total == 1:
			entry = self.lines[0]
			filled = qty_round(entry.qty - fill.unfilled[entry.line.line_id])
			return Msg("with {0} of {1} in stock", fmt_qty(filled), fmt_qty(entry.qty))
		return Msg("with {0} of {1} lines fully in stock", full, total)

	def _km(self, name: str) -> Msg:
		distance = self.distance[name]
		return Msg("distance unknown") if distance is None else Msg("{0} km", f"{distance:.1f}")

	def _single_note(self, best: _Fill) -> Msg:
		name = best.used[0]
		title = self.locations[name].title
		stock = self._stock_phrase(best)
		if self.pickup:
			return Msg("Picked up at {0}: the pickup location chosen for this order, {1}", title, stock)
		others = [self.fill([other]) for other in self.eligible if other != name]
		others = [f for f in others if f.used]
		if not others:
			qualifier = Msg("only location")
		else:
			runner_up = min(others, key=lambda f: f.key)
			qualifier = {
				0: Msg("only location") if best.key[0] <= 0 else Msg("best-stocked location"),
				1: Msg("location already shipping this order,"),
				2: Msg("preferred location"),
				3: Msg("only location of known distance"),
				4: Msg("nearest location"),
				5: Msg("highest-priority location at this distance"),
			}.get(_first_difference(best.key, runner_up.key), Msg("first by name of equally good locations"))
		return Msg("Shipped from {0}: {1} {2}, {3}", title, qualifier, stock, self._km(name))

	def _multi_notes(self, best: _Fill, shipments: list[Shipment], mode: str) -> list[Msg]:
		count = len(best.used)
		how = (
			Msg("the fewest possible")
			if mode == "exact"
			else Msg("chosen by greedy search over {0} locations", len(self.eligible))
		)
		shipping = sum(1 for name in best.used if name in self.existing)
		single = any(self.fill([name]).key[0] <= 0 for name in self.eligible)
		if single:
			if shipping:
				headline = Msg(
					"Split into {0} shipments ({1} already shipping this order), {2}", count, shipping, how
				)
			else:
				headline = Msg("Split into {0} shipments, {1}", count, how)
		else:
			if len(self.lines) == 1:
				line = self.lines[0].line
				wanted = Msg("all {0} of {1}", fmt_qty(line.qty), line.item)
			else:
				wanted = _all_lines(len(self.lines))
			if shipping:
				headline = Msg(
					"No single location has {0} in stock: {1} shipments ({2} already shipping this order), {3}",
					wanted,
					count,
					shipping,
					how,
				)
			else:
				headline = Msg("No single location has {0} in stock: {1} shipments, {2}", wanted, count, how)
		notes = [headline]
		by_id = {e.line.line_id: e.line for e in self.lines}
		for shipment in shipments:
			items = join(Msg("{0} × {1}", by_id[i].item, fmt_qty(q)) for i, q in shipment.lines.items())
			notes.append(
				Msg("Shipped from {0}: {1}; {2}", shipment.label, items, self._km(shipment.location))
			)
		return notes

	def _short_of_stock(self, name: str) -> Msg:
		"""Why a location alone cannot fill the order: the rules, or its stock against the quantities."""
		location = self.locations[name]
		barred = [e for e in self.lines if e.allowed is not None and name not in e.allowed]
		if barred:
			full = sum(1 for e in self.lines if e not in barred and available(location, e.line.item) >= e.qty)
			rules = sorted({r for e in barred for r in e.restricting_rules})
			items = join(dict.fromkeys(e.line.item for e in barred))
			template = (
				_lt("can fill only {0} of {1} lines: sourcing rule {2} does not allow it for {3}")
				if len(rules) == 1
				else _lt("can fill only {0} of {1} lines: sourcing rules {2} do not allow it for {3}")
			)
			return Msg(template, full, len(self.lines), join(rules), items)
		if len(self.lines) == 1:
			entry = self.lines[0]
			return Msg(
				"has only {0} of {1} in stock",
				fmt_qty(available(location, entry.line.item)),
				fmt_qty(entry.qty),
			)
		full = sum(1 for e in self.lines if available(location, e.line.item) >= e.qty)
		if full == 0:
			return Msg("has too little stock to fill any line")
		return Msg("has only {0} of {1} lines in stock", full, len(self.lines))

	def _unfilled_reason(self, entry: _Line, best: _Fill) -> Msg:
		item = entry.line.item
		if self.pickup:
			name = self.delivery.pickup_location
			title = self.locations[name].title  # type: ignore[index]
			if entry.allowed is not None and name not in entry.allowed:
				return Msg("sourcing rule {0} does not allow {1}", join(entry.restricting_rules), title)
			return Msg("{0} has only {1} for pickup", title, fmt_qty(available(self.locations[name], item)))  # type: ignore[index]
		if entry.allowed is not None and not entry.allowed:
			return Msg("sourcing rules {0} leave no location allowed", join(entry.restricting_rules))
		stocks = [available(self.locations[name], item) for name in entry.ranked]
		if not any(qty > 0 for qty in stocks):
			return Msg("no location that may ship it has it in stock")
		if entry.never_split and sum(stocks) >= entry.qty:
			return Msg("it may not be split and no location has all {0}", fmt_qty(entry.qty))
		filled = qty_round(entry.qty - best.unfilled[entry.line.line_id])
		return Msg(
			"only {0} of {1} in stock at the locations that may ship it", fmt_qty(filled), fmt_qty(entry.qty)
		)

	def _passed_over_reason(self, name: str, best: _Fill) -> Msg:
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
			return Msg("not needed: the chosen locations cover everything it could ship")
		alt, out = min(options, key=lambda pair: pair[0].key)
		single = len(best.used) == 1
		chosen = self.locations[out].title if out else ""
		diff = _first_difference(best.key, alt.key)
		if diff == 0:
			if single or not best.used:
				return self._short_of_stock(name)
			return Msg("in place of {0}, it would leave {1} unfilled", chosen, fmt_qty(alt.key[0]))
		if diff == 1:
			if single and out in self.existing:
				return Msg("would add a shipment: {0} already ships this order", chosen)
			return Msg("would need {0} shipments instead of {1}", alt.key[1], best.key[1])
		if diff == 2:
			return Msg("not a preferred location of the sourcing rules")
		if diff == 3:
			return Msg("distance unknown: it has no coordinates")
		if diff == 4:
			if single:
				return Msg("{0}, farther than {1} ({2})", self._km(name), chosen, self._km(out))  # type: ignore[arg-type]
			return Msg(
				"in place of {0}, the shipments would travel {1} km instead of {2} km",
				chosen,
				f"{alt.key[4]:.1f}",
				f"{best.key[4]:.1f}",
			)
		if diff == 5:
			if single:
				return Msg("as near as {0} but lower priority", chosen)
			return Msg("in place of {0}: same distance, lower priority", chosen)
		return Msg("as good as {0}, which comes first by name", chosen)


def _all_lines(count: int) -> Msg:
	if count == 1:
		return Msg("the line")
	if count == 2:
		return Msg("both lines")
	return Msg("all {0} lines", count)


def _first_difference(chosen: tuple, other: tuple) -> int:
	for index, (a, b) in enumerate(zip(chosen, other, strict=True)):
		if a != b:
			return index
	return len(chosen)
