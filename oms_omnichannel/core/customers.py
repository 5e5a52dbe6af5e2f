"""Customer identity: the normal forms that let one person be matched across channels, and the
matching itself.

Emails are trimmed and lower-cased; plus-addressing (`anna+shop@x.com` -> `anna@x.com`) and
Gmail's ignored dots are folded only when asked. Phones become E.164 (`+49301234567`) through
the `phonenumbers` library, a national number read in the channel's region. A value that is not
an address or a number is kept as given with the reason, and never used to match.

Matching goes by exact channel identity, then email, then phone, each with a confidence and a
reason. Evidence that points at different profiles is never merged silently: the best match is
taken and the disagreement reported as a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import phonenumbers

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.messages import Msg

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
DEFAULT_PHONE_REGION = "DE"

IDENTITY, EMAIL, PHONE = "Channel Identity", "Email", "Phone"
CONFIDENCE = {IDENTITY: 1.0, EMAIL: 0.9, PHONE: 0.8}  # strongest first


@dataclass(frozen=True)
class EmailRules:
	"""How far emails are folded before they are compared (OMS Settings)."""

	fold_plus_addressing: bool = False
	fold_gmail_dots: bool = False


PLAIN_EMAILS = EmailRules()  # the default: case and spaces only


@dataclass(frozen=True)
class Contact:
	"""An email or phone as given, its normal form, and why it has none."""

	raw: str
	normalised: str | None = None
	invalid_reason: str = ""

	@property
	def is_valid(self) -> bool:
		return self.normalised is not None

	@property
	def matching_key(self) -> str | None:
		"""What matching compares: the normal form; nothing for an invalid value."""
		return self.normalised


def read_email(raw: str | None, rules: EmailRules = PLAIN_EMAILS) -> Contact | None:
	"""The email in its normal form, or flagged as invalid; None when empty."""
	text = (raw or "").strip()
	if not text:
		return None
	email = text.lower()
	if not _EMAIL.match(email):
		return Contact(text, None, "not a valid email address")
	local, domain = email.rsplit("@", 1)
	if rules.fold_plus_addressing and "+" in local:
		local = local.split("+", 1)[0] or local
	if rules.fold_gmail_dots and domain in GMAIL_DOMAINS:
		local = local.replace(".", "") or local
		domain = "gmail.com"
	return Contact(text, f"{local}@{domain}")


def read_phone(raw: str | None, region: str | None = None) -> Contact | None:
	"""The phone in E.164, a national number read in `region`; flagged when it is not a possible
	and valid number; None when empty."""
	text = (raw or "").strip()
	if not text:
		return None
	region = (region or DEFAULT_PHONE_REGION).upper()
	try:
		number = phonenumbers.parse(text, region)
	except phonenumbers.NumberParseException:
		return Contact(text, None, "not a phone number")
	if not phonenumbers.is_valid_number(number):
		return Contact(text, None, "not a valid phone number for its country")
	return Contact(text, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_email(email: str | None, rules: EmailRules = PLAIN_EMAILS) -> str | None:
	"""The normal form; None when empty. Refuses something that is not an address."""
	contact = read_email(email, rules)
	if contact and not contact.is_valid:
		raise ValidationFailed("Email {0} is not a valid email address", contact.raw, field="email")
	return contact.normalised if contact else None


def normalise_phone(phone: str | None, region: str | None = None) -> str | None:
	"""E.164; None when empty. Refuses something that is not a valid number."""
	contact = read_phone(phone, region)
	if contact and not contact.is_valid:
		raise ValidationFailed("Phone {0} is not a valid phone number", contact.raw, field="phone")
	return contact.normalised if contact else None


def check_phone_region(region: str | None, field: str = "default_phone_region") -> str | None:
	"""A 2-letter ISO country code phone numbers know (upper case); None when empty."""
	if not region:
		return None
	code = region.strip().upper()
	if code not in phonenumbers.SUPPORTED_REGIONS:
		raise ValidationFailed("{0} is not a 2-letter country code phone numbers know", region, field=field)
	return code


# Matching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
	"""A profile that some of the evidence points at, as plain data: its key (a name, or any
	token for a profile not yet written), channel identities as (channel, id) and the normal
	forms of its valid emails and phones. Give candidates oldest first: ties go to the first."""

	key: str
	identities: frozenset[tuple[str, str]] = frozenset()
	emails: frozenset[str] = frozenset()
	phones: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Conflict:
	"""Evidence pointing at another profile than the one matched."""

	other: str
	kind: str  # which evidence points there: IDENTITY, EMAIL or PHONE
	value: str
	reason: str


@dataclass(frozen=True)
class Match:
	profile: str | None  # None: no profile matched, make a new one
	confidence: float = 0.0
	kind: str = ""
	reason: str = ""
	conflicts: tuple[Conflict, ...] = field(default_factory=tuple)


def match_customer(
	channel: str,
	channel_customer_id: str | None,
	email: Contact | None,
	phone: Contact | None,
	candidates: Iterable[Candidate],
) -> Match:
	"""The profile the evidence points at: exact channel identity (1.0), then email (0.9), then
	phone (0.8). Invalid emails and phones are not evidence. Any evidence that points only at
	other profiles than the match is reported as a conflict, never merged."""
	candidates = list(candidates)
	evidence: list[tuple[str, str, list[str]]] = []  # (kind, value shown, profiles it points at)
	if channel_customer_id:
		key = (channel, channel_customer_id)
		evidence.append(
			(
				IDENTITY,
				f"{channel}: {channel_customer_id}",
				_keys(c for c in candidates if key in c.identities),
			)
		)
	if email and email.matching_key:
		evidence.append(
			(EMAIL, email.matching_key, _keys(c for c in candidates if email.matching_key in c.emails))
		)
	if phone and phone.matching_key:
		evidence.append(
			(PHONE, phone.matching_key, _keys(c for c in candidates if phone.matching_key in c.phones))
		)
	found = [(kind, value, keys) for kind, value, keys in evidence if keys]
	if not found:
		return Match(None)
	kind, value, keys = found[0]
	best = keys[0]
	conflicts = tuple(
		Conflict(other, other_kind, other_value, _conflict_reason(kind, value, other_kind, other_value))
		for other_kind, other_value, other_keys in found
		if best not in other_keys
		for other in other_keys[:1]
	)
	return Match(best, CONFIDENCE[kind], kind, Msg("{0} {1}", Msg(kind), value), conflicts)


def _keys(candidates: Iterable[Candidate]) -> list[str]:
	return list(dict.fromkeys(c.key for c in candidates))


def _conflict_reason(kind: str, value: str, other_kind: str, other_value: str) -> Msg:
	return Msg(
		"{0} {1} matched this profile; {2} {3} belongs to the other",
		Msg(kind),
		value,
		Msg(other_kind),
		other_value,
	)


# Preferences -----------------------------------------------------------------------------------


def most_frequent(values: Sequence[str | None]) -> str | None:
	"""The most frequent non-empty value; a tie goes to the one seen last (the most recent when
	values come oldest first)."""
	top = favourites(values, limit=1)
	return top[0] if top else None


def favourites(values: Sequence[str | None], limit: int = 3) -> list[str]:
	"""Up to `limit` most frequent non-empty values, most frequent first (ties: seen last first)."""
	counts: dict[str, int] = {}
	last_seen: dict[str, int] = {}
	for position, value in enumerate(values):
		if value:
			counts[value] = counts.get(value, 0) + 1
			last_seen[value] = position
	return sorted(counts, key=lambda value: (-counts[value], -last_seen[value]))[:limit]
