"""An Enum whose members are their text (Python 3.10 has no enum.StrEnum)."""

from __future__ import annotations

from enum import Enum

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import Msg, join


class TextEnum(str, Enum):
	"""Members compare equal to and print as their value: "Pending", not "OrderStatus.PENDING"."""

	def __str__(self) -> str:
		return self.value

	@classmethod
	def parse(cls, value, what: str, field: str):
		"""The member whose text is `value`, or a refusal naming the field and every allowed value:
		"Unknown stock status X (allowed: Available, Damaged, ...)"."""
		try:
			return cls(value)
		except ValueError:
			allowed = join(Msg(member.value) for member in cls)
			raise ValidationFailed(
				"Unknown {0} {1} (allowed: {2})", Msg(what), value, allowed, field=field
			) from None
