"""Erasure of a person's data on request: what identifies them, and redacting it from free text
and from JSON (intake payloads, document history).

Emails and phones identify one person wherever they appear, so they are recognised in any text
by their normal form (an email in another case, a phone written nationally or with spaces).
Names, address lines and channel customer ids are not unique (two customers may share a
name), so they are redacted only in the person's own records, as whole words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import phonenumbers

from oms_omnichannel.core.customers import PLAIN_EMAILS, EmailRules, read_email, read_phone

REDACTED = "[REDACTED]"
MIN_WORDS_LENGTH = 3  # shorter names or ids would cut words out of unrelated text

_EMAIL_TOKEN = re.compile(r"[^\s@\"'<>(),;:\[\]{}]+@[^\s@\"'<>(),;:\[\]{}]+\.[A-Za-z]{2,}")
_SEPARATORS = r"[\s().\-/]*"  # what people put between the digits of a phone number


@dataclass
class PersonalData:
	"""What identifies one person: emails and phones in normal form (matched anywhere, however
	written), and the exact words (names, address lines, ids) matched in their own records."""

	emails: set[str] = field(default_factory=set)
	phones: set[str] = field(default_factory=set)
	words: set[str] = field(default_factory=set)
	region: str | None = None
	email_rules: EmailRules = PLAIN_EMAILS

	def add_email(self, raw: str | None) -> None:
		contact = read_email(raw, self.email_rules)
		if contact and contact.is_valid:
			self.emails.add(contact.normalised)
			self.emails.add(contact.raw.strip().lower())
		elif contact:
			self.add_words(contact.raw)  # an invalid address is still theirs

	def add_phone(self, raw: str | None, region: str | None = None) -> None:
		contact = read_phone(raw, region or self.region)
		if contact and contact.is_valid:
			self.phones.add(contact.normalised)
		if contact:
			self.add_words(contact.raw)

	def add_words(self, *values: str | None) -> None:
		for value in values:
			text = (value or "").strip()
			if len(text) >= MIN_WORDS_LENGTH:
				self.words.add(text)

	def __bool__(self) -> bool:
		return bool(self.emails or self.phones or self.words)

	def search_terms(self) -> list[str]:
		"""Strings to look for in a database (LIKE, case-insensitive): every email, and every
		phone in the forms people write it (E.164, international, national)."""
		terms = set(self.emails)
		for phone in self.phones:
			terms.update(phone_spellings(phone))
		return sorted(terms)

	def redact_text(self, text: str | None, own_record: bool = True) -> str | None:
		"""The text with their emails and phones (any spelling) replaced, and in their own
		records also their names, address lines and ids."""
		if not text or not isinstance(text, str):
			return text
		text = _EMAIL_TOKEN.sub(self._email_or_kept, text)
		if self.phones:
			text = self._phones_pattern().sub(REDACTED, text)
		if own_record and self.words:
			text = self._words_pattern().sub(REDACTED, text)
		return text

	def redact_json(self, value, own_record: bool = True):
		"""The same redaction through every string (keys kept) of parsed JSON."""
		if isinstance(value, dict):
			return {key: self.redact_json(item, own_record) for key, item in value.items()}
		if isinstance(value, list):
			return [self.redact_json(item, own_record) for item in value]
		if isinstance(value, str):
			return self.redact_text(value, own_record)
		return value

	def _email_or_kept(self, match: re.Match) -> str:
		token = match.group(0)
		contact = read_email(token, self.email_rules)
		known = contact and (contact.normalised in self.emails or token.lower() in self.emails)
		return REDACTED if known else token

	def _phones_pattern(self) -> re.Pattern:
		return re.compile("|".join(phone_pattern(phone) for phone in sorted(self.phones)))

	def _words_pattern(self) -> re.Pattern:
		longest_first = sorted(self.words, key=len, reverse=True)
		return re.compile(
			r"(?<!\w)(?:" + "|".join(re.escape(word) for word in longest_first) + r")(?!\w)",
			re.IGNORECASE,
		)


def phone_spellings(e164: str) -> set[str]:
	"""E.164 and the international and national formats of a number."""
	try:
		number = phonenumbers.parse(e164, None)
	except phonenumbers.NumberParseException:
		return {e164}
	formats = (
		phonenumbers.PhoneNumberFormat.E164,
		phonenumbers.PhoneNumberFormat.INTERNATIONAL,
		phonenumbers.PhoneNumberFormat.NATIONAL,
	)
	return {phonenumbers.format_number(number, f) for f in formats}


def phone_pattern(e164: str) -> str:
	"""A regular expression for a number however it is written: with or without its country
	code (+49, 0049) or trunk prefix (0), digits grouped by spaces, dashes, dots or brackets."""
	try:
		number = phonenumbers.parse(e164, None)
	except phonenumbers.NumberParseException:
		return re.escape(e164)
	digits = _SEPARATORS.join(phonenumbers.national_significant_number(number))
	code = number.country_code
	prefix = rf"(?:(?:\+|00){code}{_SEPARATORS}(?:\(0\){_SEPARATORS})?|0{_SEPARATORS})?"
	return rf"(?<![\d+])\(?{prefix}{digits}(?!\d)"


def like_pattern(term: str) -> str:
	"""A SQL LIKE pattern that finds `term` anywhere, its wildcards taken literally."""
	escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"%{escaped}%"


def changed_values(row: dict, columns: Iterable[str], redact) -> dict:
	"""The columns of a row whose value the redaction changes, with their new values."""
	changes = {}
	for column in columns:
		value = row.get(column)
		if isinstance(value, str):
			new = redact(value)
			if new != value:
				changes[column] = new
	return changes
