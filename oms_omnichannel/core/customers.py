"""Customer identity: the normal forms that let one person be matched across channels."""

from __future__ import annotations

import re

from oms_omnichannel.core.errors import ValidationFailed

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str | None) -> str | None:
	"""Lower-cased and trimmed; None when empty. Refuses something that is not an address."""
	if email is None:
		return None
	email = email.strip().lower()
	if not email:
		return None
	if not _EMAIL.match(email):
		raise ValidationFailed("Email {0} is not a valid email address", email, field="email")
	return email


def normalise_phone(phone: str | None, default_country_code: str = "") -> str | None:
	"""International form: '+' and digits only ('0049 30 123' -> '+4930123').

	A national number (leading single 0) gets `default_country_code` (digits, e.g. '49') when given.
	"""
	if phone is None:
		return None
	raw = phone.strip()
	if not raw:
		return None
	digits = re.sub(r"\D", "", raw)
	if raw.startswith("+"):
		normal = "+" + digits
	elif digits.startswith("00"):
		normal = "+" + digits[2:]
	elif digits.startswith("0") and default_country_code:
		normal = "+" + default_country_code.lstrip("+") + digits[1:]
	else:
		normal = ("+" if len(digits) > 10 else "") + digits
	if not 6 <= len(normal.lstrip("+")) <= 15:
		raise ValidationFailed("Phone {0} is not a valid phone number", phone, field="phone")
	return normal
