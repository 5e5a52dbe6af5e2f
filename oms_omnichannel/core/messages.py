"""Sentences the pure core writes for people (sourcing explanations, hold reasons), kept translatable.

A `Msg` is the English text (it is a `str`, so the core and its tests read it as one) that also
keeps its template and arguments. The Frappe side shows it in the user's language with
`msg.translated(frappe._)`: the template is translated, then filled with the arguments, each
translated the same way when it is a `Msg` itself. The templates are collected for the translation
files by tests/i18n_strings.py: write them as literals, `Msg("Shipped from {0}: ...", title)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def _same(text: str) -> str:
	return text


class Msg(str):
	"""English text that remembers how it was made: `Msg("{0} km", "3.2")` == "3.2 km"."""

	template: str
	args: tuple[object, ...]

	def __new__(cls, template: str, *args: object) -> Msg:
		self = super().__new__(cls, template.format(*args))
		self.template = template
		self.args = args
		return self

	def translated(self, translate: Callable[[str], str] = _same) -> str:
		return translate(self.template).format(*(translated(arg, translate) for arg in self.args))

	def __reduce__(self):  # pickles (background jobs) as a Msg, not as the English text
		return (Msg, (self.template, *self.args))


def _lt(text: str) -> str:
	"""Marks a literal as a template to translate later (where it is shown), for the extractor:
	`("currency", _lt("Cannot merge {0} and {1}: ..."))`. Returns it unchanged."""
	return text


def translated(value: object, translate: Callable[[str], str] = _same) -> object:
	"""A `Msg` in the language `translate` gives; anything else (names, numbers) unchanged."""
	return value.translated(translate) if isinstance(value, Msg) else value


def join(items: Iterable[object], separator: str = ", ") -> Msg:
	"""A list of messages and names as one message, each part translated where it is a `Msg`."""
	items = list(items)
	return Msg(separator.join(f"{{{index}}}" for index in range(len(items))), *items)


def plural(count: int, one: Msg, many: Msg) -> Msg:
	"""`one` when `count` is 1, else `many` (Chinese has one form; English needs both)."""
	return one if count == 1 else many
