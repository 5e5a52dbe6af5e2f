"""An Enum whose members are their text (Python 3.10 has no enum.StrEnum)."""

from __future__ import annotations

from enum import Enum


class TextEnum(str, Enum):
	"""Members compare equal to and print as their value: "Pending", not "OrderStatus.PENDING"."""

	def __str__(self) -> str:
		return self.value
