"""Erasure: a person's emails and phones are found however they are written; names and ids only
as whole words; JSON keeps its shape."""

import pytest

from oms_omnichannel.core.customers import EmailRules
from oms_omnichannel.core.erasure import (
	REDACTED,
	PersonalData,
	changed_values,
	like_pattern,
	phone_spellings,
)


@pytest.fixture
def anna() -> PersonalData:
	person = PersonalData(region="DE")
	person.add_email(" Anna.X+shop@Example.com ")
	person.add_phone("030 1234567")
	person.add_words("Anna Example", "Kastanienallee 1", "MP-77")
	return person


@pytest.mark.parametrize(
	"text",
	[
		"030 1234567",
		"+49301234567",
		"+49 30 1234567",
		"+49 (0)30 123-4567",
		"0049301234567",
		"(030) 123 45 67",
		"030/1234567",
	],
)
def test_a_phone_is_found_however_it_is_written(anna, text):
	assert anna.redact_text(f"call {text} today", own_record=False) == f"call {REDACTED} today"


@pytest.mark.parametrize(
	"text",
	[
		"1301234567",  # longer number that only ends in theirs
		"+44301234567",  # another country's number
		"030 1234568",
		"order 10435 Berlin 2026-11-29",
	],
)
def test_other_numbers_are_kept(anna, text):
	assert anna.redact_text(text, own_record=False) == text


def test_an_email_is_found_in_any_case_but_others_are_kept(anna):
	text = "from ANNA.X+SHOP@EXAMPLE.COM, cc anna.x@example.com and bob@example.com"
	assert anna.redact_text(text, own_record=False) == (
		f"from {REDACTED}, cc anna.x@example.com and bob@example.com"
	)


def test_folded_addresses_follow_the_matching_rules():
	person = PersonalData(email_rules=EmailRules(fold_plus_addressing=True))
	person.add_email("anna+shop@example.com")
	assert person.redact_text("anna+news@example.com", own_record=False) == REDACTED


def test_names_and_ids_only_in_own_records_and_only_as_whole_words(anna):
	text = "Anna Example lives at kastanienallee 1 (MP-77); Anna Examples and MP-771 are others"
	assert anna.redact_text(text, own_record=False) == text
	assert anna.redact_text(text) == (
		f"{REDACTED} lives at {REDACTED} ({REDACTED}); Anna Examples and MP-771 are others"
	)


def test_short_words_are_not_redacted_in_running_text():
	person = PersonalData()
	person.add_words("Li", "Wu")
	assert not person
	assert person.redact_text("Lieferung an Li Wu") == "Lieferung an Li Wu"


def test_an_invalid_email_is_still_theirs_as_a_word():
	person = PersonalData()
	person.add_email("anna-at-example")
	assert person.redact_text('{"email": "anna-at-example"}') == f'{{"email": "{REDACTED}"}}'


def test_json_keeps_its_shape_and_keys(anna):
	payload = {
		"customer": {"name": "Anna Example", "email": "anna.x+shop@example.com", "phone": "+4930 1234567"},
		"lines": [{"sku": "SKU-1", "qty": 2, "price": 9.5}],
		"paid": True,
		"note": None,
	}
	assert anna.redact_json(payload) == {
		"customer": {"name": REDACTED, "email": REDACTED, "phone": REDACTED},
		"lines": [{"sku": "SKU-1", "qty": 2, "price": 9.5}],
		"paid": True,
		"note": None,
	}


def test_search_terms_cover_the_spellings_people_use(anna):
	assert set(anna.search_terms()) == {
		"anna.x+shop@example.com",
		"+49301234567",
		"+49 30 1234567",
		"030 1234567",
	}
	assert phone_spellings("not a number") == {"not a number"}


def test_like_patterns_take_wildcards_literally():
	assert like_pattern("a_b%c") == "%a\\_b\\%c%"


def test_changed_values_lists_only_what_changed(anna):
	row = {"name": "X", "a": "mail anna.x+shop@example.com", "b": "nothing here", "c": 5}
	assert changed_values(row, ("a", "b", "c"), anna.redact_text) == {"a": f"mail {REDACTED}"}
