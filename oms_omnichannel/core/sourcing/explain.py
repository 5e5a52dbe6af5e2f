"""The readable side of a sourcing decision: why each location was chosen or passed over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oms_omnichannel.core.sourcing.model import Shipment, available
from oms_omnichannel.core.stock import fmt_qty, qty_round

if TYPE_CHECKING:
	from oms_omnichannel.core.sourcing.search import _Fill, _Line


class Explanations:
	"""Mixed into the search: the sentences a plan carries (reads the search's state)."""

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
			full = sum(1 for e in self.lines if e not in barred and available(location, e.line.item) >= e.qty)
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
				f"has only {fmt_qty(available(location, entry.line.item))} of {fmt_qty(entry.qty)} in stock"
			)
		full = sum(1 for e in self.lines if available(location, e.line.item) >= e.qty)
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
			return f"{title} has only {fmt_qty(available(self.locations[name], item))} for pickup"  # type: ignore[index]
		if entry.allowed is not None and not entry.allowed:
			return f"sourcing rules {', '.join(entry.restricting_rules)} leave no location allowed"
		stocks = [available(self.locations[name], item) for name in entry.ranked]
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
