"""Erasure of a customer on request ("right to be forgotten"), keeping orders for accounting.

Customer Service requests it on the profile, an OMS Manager approves, and a background job
anonymises the person: the profile (and every profile merged into it) loses its name, emails,
phones, addresses and channel identities; the person's own records (orders, shipments, returns,
feedback, merge suggestions, intake payloads, and the history and comments of all of them) lose
every copy of those; and their emails and phones are then searched for in every text column of
the site's database (error logs, notification logs, email queue, versions of other documents...)
and redacted there too. Amounts, items, dates, channels and statuses stay, so reports still add up.

Frappe's Personal Data Deletion Request reaches the same place: when a person confirms their
request, their profiles are marked for erasure; when a System Manager processes it, they are
anonymised.
"""

from __future__ import annotations

import json

import frappe
from frappe import _
from frappe.utils import now_datetime
from frappe.utils.user import get_users_with_role

from oms_omnichannel.core.erasure import REDACTED, PersonalData, changed_values, like_pattern
from oms_omnichannel.customers.identity import email_rules, phone_region
from oms_omnichannel.customers.merge import customer_links

PROFILE = "Customer Profile"
ANONYMISED_NAME = "Anonymised Customer"
REQUEST_ROLES = ("Customer Service", "OMS Manager", "System Manager")
APPROVE_ROLES = ("OMS Manager", "System Manager")
# Records that belong to the person through one of their orders rather than a profile link.
BY_ORDER = ("OMS Shipment", "Return Request", "Intake Log", "Customer Feedback")
TEXT_TYPES = ("Data", "Small Text", "Text", "Long Text", "Text Editor", "Code", "HTML Editor", "JSON")
COORDINATES = ("latitude", "longitude")
PROFILE_TABLES = ("emails", "phones", "channel_identities", "merge_log")
PROFILE_CLEARED = ("email", "phone", "address_line1", "address_line2", "city", "postcode", "region")
# Never rewritten by the database-wide search: keys and the users who wrote things.
STRUCTURAL_COLUMNS = frozenset(
	{"name", "parent", "parenttype", "parentfield", "owner", "modified_by", "doctype", "amended_from"}
)
# A login (User) and Frappe's own requests about it are erased by its Personal Data Deletion
# Request, which needs them intact until it has run.
SKIPPED_TABLES = frozenset(
	{
		"__Auth",
		"tabUser",
		"tabPersonal Data Deletion Request",
		"tabPersonal Data Deletion Step",
		"tabPersonal Data Download Request",
	}
)
TEXT_COLUMN_TYPES = frozenset({"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json"})


# Desk and REST


@frappe.whitelist(methods=["POST"])
def request_erasure(profile: str, reason: str | None = None) -> dict:
	"""Ask for a customer's data to be erased (Customer Service); an OMS Manager approves."""
	require_role(REQUEST_ROLES, _("request an erasure"))
	doc = frappe.get_doc(PROFILE, profile, for_update=True)
	doc.check_permission("write")
	refuse_if_anonymised(doc)
	if doc.merged_into:
		frappe.throw(
			_("merged_into: {0} is merged into {1}; request the erasure there, it covers both").format(
				frappe.bold(doc.name), frappe.bold(doc.merged_into)
			),
			title=_("Merged Profile"),
		)
	if doc.erasure_status in ("Requested", "Approved"):
		frappe.throw(
			_("erasure_status: erasure of {0} was requested already, by {1} on {2}").format(
				frappe.bold(doc.name), doc.erasure_requested_by, doc.erasure_requested_on
			),
			title=_("Already Requested"),
		)
	mark_requested(doc, reason)
	return {"profile": doc.name, "erasure_status": doc.erasure_status}


@frappe.whitelist(methods=["POST"])
def approve_erasure(profile: str) -> dict:
	"""Approve a requested erasure (OMS Manager) and start the anonymisation in the background."""
	require_role(APPROVE_ROLES, _("approve an erasure"))
	doc = requested_profile(profile)
	doc.db_set({"erasure_status": "Approved", "erasure_approved_by": frappe.session.user})
	doc.add_comment("Info", _("Erasure approved"))
	frappe.enqueue(
		"oms_omnichannel.customers.erasure.anonymise_profile",
		queue="long",
		timeout=3600,
		job_id=f"oms-anonymise-{doc.name}",
		deduplicate=True,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
		profile=doc.name,
	)
	return {"profile": doc.name, "erasure_status": "Approved"}


@frappe.whitelist(methods=["POST"])
def reject_erasure(profile: str, reason: str) -> dict:
	"""Turn down a requested erasure (OMS Manager), with the reason on the profile's timeline."""
	require_role(APPROVE_ROLES, _("reject an erasure"))
	if not (reason or "").strip():
		frappe.throw(_("reason: say why the erasure is rejected"), title=_("Missing Reason"))
	doc = requested_profile(profile)
	doc.db_set({"erasure_status": "", "erasure_requested_by": None, "erasure_requested_on": None})
	doc.add_comment("Info", _("Erasure rejected: {0}").format(reason.strip()))
	return {"profile": doc.name, "erasure_status": ""}


def requested_profile(profile: str):
	"""The profile, locked, when an erasure of it waits for a manager's decision."""
	doc = frappe.get_doc(PROFILE, profile, for_update=True)
	doc.check_permission("write")
	refuse_if_anonymised(doc)
	if doc.erasure_status != "Requested":
		frappe.throw(
			_("erasure_status: no erasure of {0} is waiting for approval").format(frappe.bold(doc.name)),
			title=_("Nothing Requested"),
		)
	return doc


def require_role(roles: tuple[str, ...], action: str) -> None:
	if not set(roles) & set(frappe.get_roles()):
		frappe.throw(
			_("Only {0} may {1}").format(", ".join(_(r) for r in roles), action), frappe.PermissionError
		)


def refuse_if_anonymised(doc) -> None:
	if doc.erasure_status == "Anonymised":
		frappe.throw(
			_("erasure_status: {0} was anonymised on {1}; there is nothing left to erase").format(
				frappe.bold(doc.name), doc.anonymised_on
			),
			title=_("Already Anonymised"),
		)


def mark_requested(doc, reason: str | None) -> None:
	doc.db_set(
		{
			"erasure_status": "Requested",
			"erasure_requested_by": frappe.session.user,
			"erasure_requested_on": now_datetime(),
		}
	)
	doc.add_comment("Info", _("Erasure requested: {0}").format(reason) if reason else _("Erasure requested"))
	managers = [u for u in get_users_with_role("OMS Manager") if u != frappe.session.user]
	if managers:
		from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

		enqueue_create_notification(
			managers,
			{
				"type": "Alert",
				"document_type": PROFILE,
				"document_name": doc.name,
				"subject": _("Erasure of customer {0} waits for your approval").format(doc.name),
				"from_user": frappe.session.user,
			},
		)


# The anonymisation


def anonymise_profile(profile: str) -> dict:
	"""Anonymise an approved profile and everything merged into it (the background job)."""
	doc = frappe.get_doc(PROFILE, profile, for_update=True)
	refuse_if_anonymised(doc)
	profiles = [doc.name, *merged_into(doc.name)]
	person = personal_data(profiles)
	own = own_records(profiles)
	steps = [
		(_("Own records"), lambda: redact_own_records(own, person)),
		(_("History and comments"), lambda: redact_history(own, person)),
		(_("Whole database"), lambda: redact_everywhere(person)),
		(_("Profile"), lambda: clear_profiles(profiles)),
	]
	changed = 0
	for done, (title, step) in enumerate(steps):
		frappe.publish_progress(
			done * 100 / len(steps), title=_("Anonymising {0}").format(profile), description=title
		)
		changed += step() or 0
	frappe.get_doc(PROFILE, profile).add_comment("Info", _("Customer data anonymised"))
	for doctype, names in own.items():
		for name in names:
			frappe.clear_document_cache(doctype, name)
	return {"profile": profile, "profiles": profiles, "values_redacted": changed}


def merged_into(profile: str) -> list[str]:
	"""Every profile merged into this one, directly or through another."""
	found, frontier = [], [profile]
	while frontier:
		frontier = frappe.get_all(PROFILE, filters={"merged_into": ("in", frontier)}, pluck="name")
		found += frontier
	return found


def personal_data(profiles: list[str]) -> PersonalData:
	"""Everything that identifies the person, from their profiles and the orders they placed."""
	first_channel = frappe.db.get_value(PROFILE, profiles[0], "first_channel")
	person = PersonalData(region=phone_region(first_channel), email_rules=email_rules())
	for row in frappe.get_all(
		PROFILE, filters={"name": ("in", profiles)}, fields=["full_name", "email", "phone", *PROFILE_CLEARED]
	):
		person.add_email(row.email)
		person.add_phone(row.phone)
		person.add_words(row.full_name, row.address_line1, row.address_line2, row.postcode)
	for row in frappe.get_all(
		"Customer Profile Email", filters={"parent": ("in", profiles)}, fields=["value", "normalised"]
	):
		person.add_email(row.value)
		person.add_email(row.normalised)
	for row in frappe.get_all(
		"Customer Profile Phone", filters={"parent": ("in", profiles)}, fields=["value", "normalised"]
	):
		person.add_phone(row.value)
		person.add_phone(row.normalised)
	for row in frappe.get_all(
		"Customer Channel Identity", filters={"parent": ("in", profiles)}, fields=["channel_customer_id"]
	):
		person.add_words(row.channel_customer_id)
	for row in frappe.get_all(
		"OMS Order",
		filters={"customer": ("in", profiles)},
		fields=[
			"sales_channel",
			"customer_name",
			"shipping_name",
			"shipping_address_line1",
			"shipping_address_line2",
			"shipping_postcode",
			"shipping_phone",
			"billing_address_line1",
		],
	):
		person.add_phone(row.shipping_phone, phone_region(row.sales_channel))
		person.add_words(
			row.customer_name,
			row.shipping_name,
			row.shipping_address_line1,
			row.shipping_address_line2,
			row.shipping_postcode,
			row.billing_address_line1,
		)
	person.words.discard(ANONYMISED_NAME)
	return person


def own_records(profiles: list[str]) -> dict[str, list[str]]:
	"""The person's records by DocType: whatever links to their profiles, and what hangs off
	their orders."""
	own: dict[str, set[str]] = {PROFILE: set(profiles)}
	for doctype, fieldname in customer_links():
		own.setdefault(doctype, set()).update(
			frappe.get_all(doctype, filters={fieldname: ("in", profiles)}, pluck="name")
		)
	orders = sorted(own.get("OMS Order", ()))
	if orders:
		for doctype in BY_ORDER:
			own.setdefault(doctype, set()).update(
				frappe.get_all(doctype, filters={"order": ("in", orders)}, pluck="name")
			)
	own.setdefault("Customer Merge Suggestion", set()).update(
		frappe.get_all(
			"Customer Merge Suggestion",
			or_filters={"profile": ("in", profiles), "other_profile": ("in", profiles)},
			pluck="name",
		)
	)
	return {doctype: sorted(names) for doctype, names in own.items() if names}


def redact_own_records(own: dict[str, list[str]], person: PersonalData) -> int:
	"""In the person's records and their child rows: every text field redacted (names and ids
	too), emails and phones emptied, coordinates of their address dropped."""
	changed = 0
	for doctype, names in own.items():
		changed += redact_records(doctype, names, person)
		for table in frappe.get_meta(doctype).get_table_fields():
			rows = frappe.get_all(
				table.options,
				filters={"parent": ("in", names), "parenttype": doctype, "parentfield": table.fieldname},
				pluck="name",
			)
			changed += redact_records(table.options, rows, person)
	shipments = own.get("OMS Shipment")
	if shipments:  # their address as a stop on a delivery route
		stops = frappe.get_all("Delivery Route Stop", filters={"shipment": ("in", shipments)}, pluck="name")
		changed += redact_records("Delivery Route Stop", stops, person)
	return changed


def redact_records(doctype: str, names: list[str], person: PersonalData) -> int:
	if not names:
		return 0
	meta = frappe.get_meta(doctype)
	text_fields = [df for df in meta.fields if df.fieldtype in TEXT_TYPES]
	contact_fields = {df.fieldname for df in text_fields if df.options in ("Email", "Phone")}
	coordinates = [
		df.fieldname for df in meta.fields if df.fieldtype == "Float" and df.fieldname.endswith(COORDINATES)
	]
	fields = [df.fieldname for df in text_fields]
	changed = 0
	for row in frappe.get_all(
		doctype, filters={"name": ("in", names)}, fields=["name", *fields, *coordinates]
	):
		changes = changed_values(row, fields, lambda value: redact_value(value, person))
		changes.update({f: None for f in contact_fields if row.get(f)})
		changes.update({f: None for f in coordinates if row.get(f)})
		if changes:
			frappe.db.set_value(doctype, row.name, changes, update_modified=False)
			changed += len(changes)
	return changed


def redact_value(value: str, person: PersonalData, own_record: bool = True) -> str:
	"""Text redacted; JSON (payloads, version data) redacted value by value, keeping its shape."""
	stripped = value.lstrip()
	if stripped[:1] in ("{", "["):
		try:
			parsed = json.loads(value)
		except ValueError:
			pass
		else:
			redacted = person.redact_json(parsed, own_record)
			return (
				value
				if redacted == parsed
				else json.dumps(redacted, indent=1, default=str, ensure_ascii=False)
			)
	return person.redact_text(value, own_record)


def redact_history(own: dict[str, list[str]], person: PersonalData) -> int:
	"""Versions and comments of the person's records: the values they held, redacted."""
	changed = 0
	for doctype, names in own.items():
		for history, ref_doctype, ref_name, field in (
			("Version", "ref_doctype", "docname", "data"),
			("Comment", "reference_doctype", "reference_name", "content"),
		):
			for start in range(0, len(names), 500):
				rows = frappe.get_all(
					history,
					filters={ref_doctype: doctype, ref_name: ("in", names[start : start + 500])},
					fields=["name", field],
				)
				for row in rows:
					new = redact_value(row[field] or "", person)
					if new != (row[field] or ""):
						frappe.db.set_value(history, row.name, field, new, update_modified=False)
						changed += 1
	return changed


def redact_everywhere(person: PersonalData) -> int:
	"""Every row of the site's database (logs, queues, rejected payloads, history of other
	documents) that holds the person's email or phone, however written, redacted like their own
	records; keys and user columns left alone."""
	terms = person.search_terms()
	if not terms:
		return 0
	changed = 0
	for table, (columns, has_name) in text_columns().items():
		patterns = [like_pattern(term) for term in terms]
		where = " OR ".join(f"`{column}` LIKE %s" for column in columns for _pattern in patterns)
		params = [pattern for _column in columns for pattern in patterns]
		if has_name:
			rows = frappe.db.sql(
				f"SELECT `name`, {', '.join(f'`{c}`' for c in columns)} FROM `{table}` WHERE {where}",
				params,
				as_dict=True,
			)
			for row in rows:
				# a record that holds their email or phone is about them: their name goes too
				changes = changed_values(row, columns, lambda value: redact_value(value, person))
				if changes:
					assignments = ", ".join(f"`{column}` = %s" for column in changes)
					frappe.db.sql(
						f"UPDATE `{table}` SET {assignments} WHERE `name` = %s",
						[*changes.values(), row["name"]],
					)
					changed += len(changes)
		else:  # keyless tables (singles, sessions): the spellings we know, replaced in place
			for column in columns:
				for term in terms:
					changed += (
						frappe.db.sql(
							f"UPDATE `{table}` SET `{column}` = REPLACE(`{column}`, %s, %s) WHERE `{column}` LIKE %s",
							[term, REDACTED, like_pattern(term)],
						)
						or 0
					)
	return changed


def text_columns() -> dict[str, tuple[list[str], bool]]:
	"""Every table of the site's database: its text columns (but keys and user columns), and
	whether rows have a `name` to be updated by."""
	tables: dict[str, tuple[list[str], bool]] = {}
	for table, column, data_type in frappe.db.sql(
		"""SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = %s ORDER BY table_name, ordinal_position""",
		frappe.conf.db_name,
	):
		if table in SKIPPED_TABLES:
			continue
		columns, has_name = tables.get(table, ([], False))
		if data_type in TEXT_COLUMN_TYPES and column not in STRUCTURAL_COLUMNS:
			columns.append(column)
		tables[table] = (columns, has_name or column == "name")
	return {table: entry for table, entry in tables.items() if entry[0]}


def clear_profiles(profiles: list[str]) -> int:
	"""The profiles keep their figures and preferences but nothing that names the person."""
	for profile in profiles:
		for table in PROFILE_TABLES:
			child = frappe.get_meta(PROFILE).get_field(table).options
			frappe.db.delete(child, {"parent": profile, "parenttype": PROFILE, "parentfield": table})
		frappe.db.set_value(
			PROFILE,
			profile,
			{
				"full_name": ANONYMISED_NAME,
				**{field: None for field in PROFILE_CLEARED},
				"status": "Anonymised",
				"erasure_status": "Anonymised",
				"anonymised_on": now_datetime(),
			},
			update_modified=False,
		)
		frappe.db.delete("__global_search", {"doctype": PROFILE, "name": profile})
	return len(profiles)


# Frappe's Personal Data Deletion Request


def profiles_with_email(email: str | None) -> list[str]:
	"""The surviving profiles (merged ones resolved) that hold this email, not yet anonymised."""
	person = PersonalData(email_rules=email_rules())
	person.add_email(email)
	if not person.emails:
		return []
	parents = set(
		frappe.get_all(
			"Customer Profile Email", filters={"normalised": ("in", list(person.emails))}, pluck="parent"
		)
	)
	parents.update(frappe.get_all(PROFILE, filters={"email": ("in", list(person.emails))}, pluck="name"))
	survivors = set()
	for name in parents:
		seen = set()
		while name and name not in seen:
			seen.add(name)
			target = frappe.db.get_value(PROFILE, name, "merged_into")
			if not target:
				break
			name = target
		if name and frappe.db.get_value(PROFILE, name, "erasure_status") != "Anonymised":
			survivors.add(name)
	return sorted(survivors)


def on_deletion_request_change(doc, method=None) -> None:
	"""A confirmed request marks the person's profiles for erasure; when a System Manager
	processes it (its deletion steps appear), they are anonymised before Frappe's own steps run."""
	if doc.status != "Pending Approval":
		return
	for profile in profiles_with_email(doc.email):
		if doc.get("deletion_steps"):
			anonymise_profile(profile)
			continue
		profile_doc = frappe.get_doc(PROFILE, profile)
		if profile_doc.erasure_status not in ("Requested", "Approved"):
			mark_requested(profile_doc, _("Personal Data Deletion Request {0}").format(doc.name))
