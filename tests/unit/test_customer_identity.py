"""Customer identity: normal forms of emails and phones, and matching over candidate profiles."""

import pytest

from oms_omnichannel.core.customers import (
	EMAIL,
	IDENTITY,
	PHONE,
	Candidate,
	EmailRules,
	check_phone_region,
	favourites,
	match_customer,
	most_frequent,
	normalise_email,
	normalise_phone,
	read_email,
	read_phone,
)
from oms_omnichannel.core.errors import ValidationFailed

PLUS = EmailRules(fold_plus_addressing=True)
GMAIL = EmailRules(fold_gmail_dots=True)


@pytest.mark.parametrize(
	"raw, rules, expected",
	[
		("  Anna.Muller@Mail.Example ", EmailRules(), "anna.muller@mail.example"),
		("anna+shop@x.com", EmailRules(), "anna+shop@x.com"),  # plus-addressing off by default
		("Anna+Shop@X.com", PLUS, "anna@x.com"),
		("anna+@x.com", PLUS, "anna@x.com"),
		("+shop@x.com", PLUS, "+shop@x.com"),  # nothing before the plus: kept
		("a.n.na@gmail.com", EmailRules(), "a.n.na@gmail.com"),  # dots kept unless asked
		("a.n.na@gmail.com", PLUS, "a.n.na@gmail.com"),
		("A.N.na@GoogleMail.com", GMAIL, "anna@gmail.com"),
		("a.n.na@example.com", GMAIL, "a.n.na@example.com"),  # only Gmail ignores dots
	],
)
def test_email_normal_form(raw, rules, expected):
	contact = read_email(raw, rules)
	assert (contact.normalised, contact.is_valid, contact.raw) == (expected, True, raw.strip())
	assert normalise_email(raw, rules) == expected


@pytest.mark.parametrize("raw", ["anna-at-example", "anna@", "@x.com", "an na@x.com", "anna@x"])
def test_invalid_email_is_kept_as_given_and_flagged(raw):
	contact = read_email(f" {raw} ")
	assert (contact.raw, contact.normalised, contact.is_valid, contact.matching_key) == (
		raw,
		None,
		False,
		None,
	)
	assert contact.invalid_reason == "not a valid email address"
	with pytest.raises(ValidationFailed, match="not a valid email") as raised:
		normalise_email(raw)
	assert raised.value.field == "email"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_email_and_phone_are_none(raw):
	assert read_email(raw) is None and read_phone(raw) is None
	assert normalise_email(raw) is None and normalise_phone(raw) is None


@pytest.mark.parametrize(
	"raw, region, expected",
	[
		("030 1234567", "DE", "+49301234567"),
		("+49 30 1234567", "DE", "+49301234567"),
		("0049301234567", "DE", "+49301234567"),
		("0049 (30) 123-4567", "DE", "+49301234567"),
		("+49 30 1234567", "FR", "+49301234567"),  # international: the region does not matter
		("030 1234567", None, "+49301234567"),  # no region: Germany
		("0151 12345678", "de", "+4915112345678"),
		("01 23 45 67 89", "FR", "+33123456789"),
		("(415) 555-2671", "US", "+14155552671"),
		("020 7946 0958", "GB", "+442079460958"),
		("+44 20 7946 0958", "DE", "+442079460958"),
	],
)
def test_phone_e164(raw, region, expected):
	contact = read_phone(raw, region)
	assert (contact.normalised, contact.is_valid, contact.raw) == (expected, True, raw)
	assert normalise_phone(raw, region) == expected


def test_a_national_number_depends_on_the_region():
	assert read_phone("030 1234567", "DE").normalised != read_phone("030 1234567", "FR").normalised


@pytest.mark.parametrize(
	"raw, reason",
	[
		("12", "not a valid phone number for its country"),
		("abc", "not a phone number"),
		("+49 151 1234567", "not a valid phone number for its country"),  # a digit short
		("+999 1234567", "not a phone number"),
	],
)
def test_invalid_phone_is_kept_as_given_and_flagged(raw, reason):
	contact = read_phone(f" {raw}", "DE")
	assert (contact.raw, contact.normalised, contact.is_valid, contact.matching_key) == (
		raw,
		None,
		False,
		None,
	)
	assert contact.invalid_reason == reason
	with pytest.raises(ValidationFailed, match="not a valid phone") as raised:
		normalise_phone(raw, "DE")
	assert raised.value.field == "phone"


def test_phone_region_is_a_known_two_letter_code():
	assert check_phone_region(" de ") == "DE"
	assert check_phone_region("") is None
	for bad in ("DEU", "XX", "49"):
		with pytest.raises(ValidationFailed) as raised:
			check_phone_region(bad)
		assert raised.value.field == "default_phone_region"


# Matching

A = Candidate("A", identities=frozenset({("Marketplace", "MP-1")}), emails=frozenset({"anna@x.com"}))
B = Candidate("B", phones=frozenset({"+49301234567"}))
C = Candidate("C", emails=frozenset({"bob@x.com"}), phones=frozenset({"+49301234567"}))


def match(channel_customer_id=None, email=None, phone=None, candidates=(A, B), channel="Marketplace"):
	return match_customer(
		channel, channel_customer_id, read_email(email), read_phone(phone, "DE"), candidates
	)


@pytest.mark.parametrize(
	"evidence, profile, confidence, kind, reason",
	[
		({"channel_customer_id": "MP-1"}, "A", 1.0, IDENTITY, "Channel Identity Marketplace: MP-1"),
		({"email": " ANNA@x.com"}, "A", 0.9, EMAIL, "Email anna@x.com"),
		({"phone": "030 1234567"}, "B", 0.8, PHONE, "Phone +49301234567"),
		({"phone": "0049301234567"}, "B", 0.8, PHONE, "Phone +49301234567"),
		({"channel_customer_id": "MP-1", "email": "anna@x.com"}, "A", 1.0, IDENTITY, None),
		({"channel_customer_id": "MP-2", "email": "anna@x.com"}, "A", 0.9, EMAIL, None),  # id unknown
		({"email": "nobody@x.com", "phone": "030 1234567"}, "B", 0.8, PHONE, None),
		({"email": "nobody@x.com"}, None, 0.0, "", ""),
		({}, None, 0.0, "", ""),
	],
)
def test_match_by_identity_then_email_then_phone(evidence, profile, confidence, kind, reason):
	found = match(**evidence)
	assert (found.profile, found.confidence, found.kind, found.conflicts) == (profile, confidence, kind, ())
	if reason is not None:
		assert found.reason == reason


def test_the_identity_is_of_the_channel():
	assert match(channel_customer_id="MP-1", channel="Web Store").profile is None


def test_invalid_email_or_phone_never_matches():
	garbled = Candidate("G", emails=frozenset({"anna-at-x"}), phones=frozenset({"12", "+4912"}))
	assert match(email="anna-at-x", phone="12", candidates=(garbled,)).profile is None


def test_plus_addressing_matches_only_when_folded():
	stored = Candidate("A", emails=frozenset({read_email("anna@x.com", PLUS).normalised}))
	assert match_customer("Web", None, read_email("anna+shop@x.com", PLUS), None, [stored]).profile == "A"
	assert match_customer("Web", None, read_email("anna+shop@x.com"), None, [stored]).profile is None


@pytest.mark.parametrize(
	"evidence, profile, other, other_kind",
	[
		({"email": "anna@x.com", "phone": "030 1234567"}, "A", "B", PHONE),  # email says A, phone B
		({"channel_customer_id": "MP-1", "phone": "+49 30 1234567"}, "A", "B", PHONE),
		({"channel_customer_id": "MP-1", "email": "bob@x.com"}, "A", "C", EMAIL),  # identity A, email C
	],
)
def test_conflicting_evidence_links_the_best_match_and_reports_the_other(
	evidence, profile, other, other_kind
):
	found = match(**evidence, candidates=(A, B, C))
	assert found.profile == profile
	assert [(c.other, c.kind) for c in found.conflicts] == [(other, other_kind)]
	assert "belongs to the other" in found.conflicts[0].reason


def test_shared_evidence_that_includes_the_match_is_no_conflict():
	# the phone is on B and C; the email says C: consistent, no conflict
	found = match(email="bob@x.com", phone="030 1234567", candidates=(A, B, C))
	assert (found.profile, found.kind, found.conflicts) == ("C", EMAIL, ())


def test_ties_go_to_the_oldest_candidate():
	assert match(phone="030 1234567", candidates=(C, B)).profile == "C"


# Preferences


def test_most_frequent_and_favourites():
	assert most_frequent(["Web", "Store", "Web", None, "Store"]) == "Store"  # tie: the latest
	assert most_frequent(["Web", "Web", "Store"]) == "Web"
	assert most_frequent([None, ""]) is None
	assert favourites(["Mugs", "Tea", "Mugs", "Cups", "Tea", "Mugs", "Plates"], limit=2) == ["Mugs", "Tea"]
