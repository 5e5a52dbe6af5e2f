"""Customer matching for order intake: one profile per person, found by channel identity, email
or phone (core.customers decides), or created (once for every order of a batch from the same person).

Profiles keep every email and phone in their `emails` and `phones` tables, as given and in normal
form (`normalised`, indexed); the profile's own `email` and `phone` show the primary ones in normal
form. Matching reads only the normal forms of valid values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import now_datetime

from oms_omnichannel.bulk import insert_new_documents
from oms_omnichannel.core import customers as identity_core
from oms_omnichannel.core import intake as intake_core
from oms_omnichannel.utils import get_settings, translated

PROFILE = "Customer Profile"
SUGGESTION = "Customer Merge Suggestion"


def email_rules() -> identity_core.EmailRules:
	settings = get_settings()
	return identity_core.EmailRules(
		fold_plus_addressing=bool(settings.get("fold_plus_addressing")),
		fold_gmail_dots=bool(settings.get("fold_gmail_dots")),
	)


def phone_region(channel: str | None = None) -> str:
	"""The region national numbers from this channel are read in: the channel's, else OMS Settings'."""
	region = frappe.get_cached_value("Sales Channel", channel, "default_phone_region") if channel else None
	return (
		region or get_settings().get("default_phone_region") or identity_core.DEFAULT_PHONE_REGION
	).upper()


def contact_row(contact: identity_core.Contact, is_primary: bool = False) -> dict:
	"""A `Customer Profile Email` / `Customer Profile Phone` row for a value."""
	return {
		"value": contact.raw,
		"normalised": contact.normalised,
		"is_valid": int(contact.is_valid),
		"invalid_reason": contact.invalid_reason or None,
		"is_primary": int(is_primary),
	}


@dataclass
class Known:
	"""What the batch knows of one profile: the evidence that points at it."""

	key: str  # the profile's name, or a token for a new one
	ref: object  # the profile's name, or the new (not yet written) profile document
	identities: set = field(default_factory=set)
	emails: set = field(default_factory=set)
	phones: set = field(default_factory=set)
	new_identities: list = field(default_factory=list)
	new_emails: list = field(default_factory=list)
	new_phones: list = field(default_factory=list)


class CustomerDirectory:
	"""One profile per person: by channel identity, then email, then phone; else a new profile
	(one for every order of the batch from the same person). Evidence that points at two profiles
	links the best match and leaves a Customer Merge Suggestion."""

	def __init__(self, channel: str, customers: list[intake_core.Customer], read):
		self.channel = channel
		self.rules = email_rules()
		self.region = phone_region(channel)
		self.now = now_datetime()
		self.known: dict[str, Known] = {}
		self.by_identity: dict[str, list[str]] = {}
		self.by_email: dict[str, list[str]] = {}
		self.by_phone: dict[str, list[str]] = {}
		self.seen_identity_rows: set[str] = set()
		self.identity_rows: dict[tuple[str, str], str] = {}  # (profile, channel customer id) -> row
		self.new_profiles: list = []
		self.suggestions: list[tuple[str, str, identity_core.Conflict, object]] = []
		ids = {c.channel_customer_id for c in customers if c.channel_customer_id}
		emails = {contact.matching_key for c in customers if (contact := self.email(c.email))} - {None}
		phones = {contact.matching_key for c in customers if (contact := self.phone(c.phone))} - {None}
		if ids:
			for channel_customer_id, profile, row in read(
				"SELECT i.`channel_customer_id`, i.`parent`, i.`name` FROM `tabCustomer Channel Identity` i "
				"JOIN `tabCustomer Profile` p ON p.`name`=i.`parent` WHERE i.`parenttype`='Customer Profile' "
				"AND IFNULL(p.`status`, '')!='Merged' AND i.`sales_channel`=%s AND i.`channel_customer_id` IN %s "
				"ORDER BY p.`creation`",
				(channel, tuple(ids)),
			):
				self.remember(profile, identity=channel_customer_id)
				self.identity_rows[(profile, channel_customer_id)] = row
		for table, values, kind in (("Email", emails, "email"), ("Phone", phones, "phone")):
			if not values:
				continue
			for value, profile in read(
				f"SELECT c.`normalised`, c.`parent` FROM `tabCustomer Profile {table}` c "  # safe-sql: table is the loop's constant Email or Phone
				"JOIN `tabCustomer Profile` p ON p.`name`=c.`parent` WHERE c.`parenttype`='Customer Profile' "
				"AND IFNULL(p.`status`, '')!='Merged' AND c.`is_valid`=1 AND c.`normalised` IN %s ORDER BY p.`creation`",
				(tuple(values),),
			):
				self.remember(profile, **{kind: value})

	def email(self, raw: str | None) -> identity_core.Contact | None:
		return identity_core.read_email(raw, self.rules)

	def phone(self, raw: str | None) -> identity_core.Contact | None:
		return identity_core.read_phone(raw, self.region)

	def remember(self, key: str, identity: str = "", email: str = "", phone: str = "", ref=None) -> Known:
		known = self.known.setdefault(key, Known(key, ref if ref is not None else key))
		for value, values, index in (
			(identity, known.identities, self.by_identity),
			(email, known.emails, self.by_email),
			(phone, known.phones, self.by_phone),
		):
			if value and value not in values:
				values.add(value)
				index.setdefault(value, []).append(key)
		return known

	def find_or_add(self, parsed: intake_core.IntakeOrder, country: str | None, order=None):
		"""The profile's name, or the new (not yet written) profile document; records on `order`
		how it was found."""
		customer = parsed.customer
		email, phone = self.email(customer.email), self.phone(customer.phone)
		keys = dict.fromkeys(
			[
				*self.by_identity.get(customer.channel_customer_id, []),
				*self.by_email.get(email and email.matching_key, []),
				*self.by_phone.get(phone and phone.matching_key, []),
			]
		)
		candidates = [
			identity_core.Candidate(
				key,
				identities=frozenset((self.channel, i) for i in self.known[key].identities),
				emails=frozenset(self.known[key].emails),
				phones=frozenset(self.known[key].phones),
			)
			for key in keys
		]
		match = identity_core.match_customer(
			self.channel, customer.channel_customer_id, email, phone, candidates
		)
		if match.profile:
			known = self.known[match.profile]
			self.learn(known, customer.channel_customer_id, email, phone)
			for conflict in match.conflicts:
				self.suggestions.append((known.ref, self.known[conflict.other].ref, conflict, order))
			if order is not None:
				order.customer_match = translated(match.reason)[:240]
				order.customer_match_confidence = match.confidence
			return known.ref
		if not (customer.email or customer.phone or customer.name):
			return None
		profile = self.new_profile(parsed, country, email, phone)
		if order is not None:
			order.customer_match = "New profile"
		return profile

	def learn(self, known: Known, channel_customer_id: str, email, phone) -> None:
		"""Evidence the matched profile did not have yet: its identity on this channel, and an
		email or phone no profile has."""
		if channel_customer_id:
			row = (
				self.identity_rows.get((known.ref, channel_customer_id))
				if isinstance(known.ref, str)
				else None
			)
			if row:
				self.seen_identity_rows.add(row)
			elif channel_customer_id not in known.identities:
				known.new_identities.append(channel_customer_id)
				self.remember(known.key, identity=channel_customer_id)
		if email and email.matching_key and email.matching_key not in self.by_email:
			known.new_emails.append(email)
			self.remember(known.key, email=email.matching_key)
		if phone and phone.matching_key and phone.matching_key not in self.by_phone:
			known.new_phones.append(phone)
			self.remember(known.key, phone=phone.matching_key)

	def new_profile(self, parsed: intake_core.IntakeOrder, country: str | None, email, phone):
		customer = parsed.customer
		profile = frappe.get_doc(
			{
				"doctype": PROFILE,
				"full_name": customer.name or customer.email or customer.phone,
				"address_line1": parsed.shipping.line1,
				"city": parsed.shipping.city,
				"postcode": parsed.shipping.postcode,
				"country": country,
				"first_channel": self.channel,
				"emails": [contact_row(email, is_primary=True)] if email else [],
				"phones": [contact_row(phone, is_primary=True)] if phone else [],
				"channel_identities": [self.identity(customer.channel_customer_id)]
				if customer.channel_customer_id
				else [],
			}
		)
		# A flag, because the controller's validate takes no arguments: the email was looked up
		# above for the whole batch, so validate skips its own lookup (the unique index settles a race).
		profile.flags.email_checked = True
		profile.run_method("validate")
		self.new_profiles.append(profile)
		self.remember(
			f"new:{len(self.new_profiles)}",
			identity=customer.channel_customer_id,
			email=email and email.matching_key,
			phone=phone and phone.matching_key,
			ref=profile,
		)
		return profile

	def identity(self, channel_customer_id: str) -> dict:
		return {
			"sales_channel": self.channel,
			"channel_customer_id": channel_customer_id,
			"first_seen": self.now,
			"last_seen": self.now,
		}

	def write(self) -> None:
		"""New profiles, what existing ones learnt, when their identities were last seen, and a
		merge suggestion for each conflict (once per pair while one is open)."""
		for known in self.known.values():
			if isinstance(known.ref, str):
				continue
			for channel_customer_id in known.new_identities:
				known.ref.append("channel_identities", self.identity(channel_customer_id))
			for email in known.new_emails:
				known.ref.append("emails", contact_row(email))
			for phone in known.new_phones:
				known.ref.append("phones", contact_row(phone))
		insert_new_documents(self.new_profiles)
		for known in sorted(
			(k for k in self.known.values() if isinstance(k.ref, str)), key=lambda known: known.ref
		):
			if known.new_identities or known.new_emails or known.new_phones:
				self.add_to_profile(known)
		if self.seen_identity_rows:
			identity = frappe.qb.DocType("Customer Channel Identity")
			frappe.qb.update(identity).set(identity.last_seen, self.now).where(
				identity.name.isin(sorted(self.seen_identity_rows))
			).run()
		self.write_suggestions()

	def add_to_profile(self, known: Known) -> None:
		doc = frappe.get_doc(PROFILE, known.ref)
		for channel_customer_id in known.new_identities:
			doc.append("channel_identities", self.identity(channel_customer_id))
		for email in known.new_emails:
			doc.append("emails", contact_row(email))
		for phone in known.new_phones:
			doc.append("phones", contact_row(phone))
		doc.flags.email_checked = True
		doc.save(ignore_permissions=True)

	def write_suggestions(self) -> None:
		if not self.suggestions:
			return
		name = lambda ref: ref if isinstance(ref, str) else ref.name  # noqa: E731
		pairs = {(name(a), name(b)) for a, b, _conflict, _order in self.suggestions}
		profiles = sorted({p for pair in pairs for p in pair})
		open_pairs = {
			frozenset((row.profile, row.other_profile))
			for row in frappe.get_all(
				SUGGESTION,
				filters={"status": "Open", "profile": ("in", profiles), "other_profile": ("in", profiles)},
				fields=["profile", "other_profile"],
			)
		}
		docs = []
		for profile, other, conflict, order in self.suggestions:
			pair = frozenset((name(profile), name(other)))
			if pair in open_pairs:
				continue
			open_pairs.add(pair)
			docs.append(
				frappe.get_doc(
					{
						"doctype": SUGGESTION,
						"profile": name(profile),
						"other_profile": name(other),
						"status": "Open",
						"channel": self.channel,
						"order": order.name if order is not None else None,
						"reason": translated(conflict.reason)[:240],
						"evidence": f"{_(conflict.kind)}: {conflict.value}",
					}
				)
			)
		insert_new_documents(docs)
