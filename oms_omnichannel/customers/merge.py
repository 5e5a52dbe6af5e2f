"""Merging two Customer Profiles of one person, and undoing it.

Merging B into A moves to A everything that points at B: every Link to Customer Profile in other
DocTypes (orders, returns, shipments, feedback: read from the metadata, so a new DocType is
included without a change here), B's channel identities, emails and phones (a value A already
has stays on B), and B's default address when A has none. B keeps a pointer (`merged_into`,
status Merged) so old links resolve, and a `merge_log` row for every field of every record the
merge changed, with the value before; unmerge puts each of them back.
"""

from __future__ import annotations

import frappe
from frappe import _

PROFILE = "Customer Profile"
SUGGESTION = "Customer Merge Suggestion"
MERGE_ROLES = ("Customer Service", "OMS Manager", "System Manager")
CONTACT_TABLES = {  # table field -> (child DocType, the column that identifies a duplicate)
	"channel_identities": ("Customer Channel Identity", ("sales_channel", "channel_customer_id")),
	"emails": ("Customer Profile Email", ("normalised",)),
	"phones": ("Customer Profile Phone", ("normalised",)),
}
ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "postcode", "region", "country")
NOT_MOVED = (PROFILE, SUGGESTION)  # their links to a profile are history, not belongings


def merge_profiles(source: str, target: str) -> dict:
	"""Merge profile `source` into `target`; refused, with nothing written, when it is the same
	profile or either one is merged already."""
	refuse_merge(source, target)
	lock_profiles(source, target)
	log: list[dict] = []
	for doctype, fieldname in customer_links():
		names = frappe.get_all(doctype, filters={fieldname: source}, pluck="name", order_by="name")
		if names:
			set_values(doctype, names, fieldname, target)
			log += [change(doctype, name, fieldname, source, target) for name in names]
	log += move_contacts(source, target)
	log += copy_address(source, target)
	doc = frappe.get_doc(PROFILE, source)
	for field in ("email", "phone"):  # A has these now; B's unique email must not block them there
		if doc.get(field):
			log.append(change(PROFILE, source, field, doc.get(field), None))
			doc.set(field, None)
	doc.merged_into = target
	doc.set("merge_log", log)
	doc.flags.email_checked = True
	doc.flags.ignore_links = True  # the log names rows by their DocType
	doc.save(ignore_permissions=True)
	close_suggestions(source, target)
	doc.add_comment("Info", _("Merged into {0}").format(frappe.bold(target)))
	frappe.get_doc(PROFILE, target).add_comment(
		"Info", _("{0} merged into this profile").format(frappe.bold(source))
	)
	return {"profile": source, "merged_into": target, "changes": len(log)}


def unmerge_profile(source: str) -> dict:
	"""Undo the merge of `source`: every logged value back as it was before."""
	refuse_anonymised("profile", source)
	doc = frappe.get_doc(PROFILE, source)
	if not doc.merged_into:
		frappe.throw(
			_("merged_into: {0} was not merged, there is nothing to undo").format(frappe.bold(source)),
			title=_("Not Merged"),
		)
	target = doc.merged_into
	lock_profiles(source, target)
	own = {}
	for row in reversed(doc.merge_log):
		if row.ref_doctype == PROFILE and row.ref_name == source:
			own[row.ref_field] = row.old_value
		else:
			set_values(row.ref_doctype, [row.ref_name], row.ref_field, row.old_value)
	doc.reload()
	for field, value in own.items():
		doc.set(field, value)
	doc.merged_into = None
	doc.set("merge_log", [])
	doc.flags.email_checked = False
	doc.save(ignore_permissions=True)
	doc.add_comment("Info", _("Unmerged from {0}").format(frappe.bold(target)))
	return {"profile": source, "unmerged_from": target}


def refuse_merge(source: str, target: str) -> None:
	if not source or not target:
		frappe.throw(_("profile: give both profiles to merge"), title=_("Invalid Merge"))
	if source == target:
		frappe.throw(
			_("into: {0} cannot be merged into itself").format(frappe.bold(source)), title=_("Invalid Merge")
		)
	for field, name in (("profile", source), ("into", target)):
		refuse_anonymised(field, name)
		merged_into = frappe.db.get_value(PROFILE, name, "merged_into")
		if merged_into is None and not frappe.db.exists(PROFILE, name):
			frappe.throw(
				_("{0}: customer profile {1} does not exist").format(field, frappe.bold(name)),
				frappe.DoesNotExistError,
				title=_("Invalid Merge"),
			)
		if merged_into:
			frappe.throw(
				_("{0}: {1} is already merged into {2}").format(
					field, frappe.bold(name), frappe.bold(merged_into)
				),
				title=_("Already Merged"),
			)


def refuse_anonymised(field: str, name: str) -> None:
	if frappe.db.get_value(PROFILE, name, "erasure_status") == "Anonymised":
		frappe.throw(
			_("{0}: {1} is anonymised; its merges can no longer change").format(field, frappe.bold(name)),
			title=_("Anonymised Profile"),
		)


def lock_profiles(*names: str) -> None:
	"""Row locks on both profiles, in name order, so two merges of the same profiles queue."""
	for name in sorted(set(names)):
		frappe.db.get_value(PROFILE, name, "name", for_update=True)


def customer_links() -> list[tuple[str, str]]:
	"""(DocType, field) of every Link to Customer Profile, standard or custom, but the profile's
	own and the merge suggestions'."""
	links = set()
	for source in ("DocField", "Custom Field"):
		for row in frappe.get_all(
			source,
			filters={"fieldtype": "Link", "options": PROFILE},
			fields=["parent" if source == "DocField" else "dt as parent", "fieldname"],
		):
			if row.parent in NOT_MOVED or (
				source == "DocField" and not frappe.db.exists("DocType", row.parent)
			):
				continue
			meta = frappe.get_meta(row.parent)
			if not (meta.issingle or meta.is_virtual):
				links.add((row.parent, row.fieldname))
	return sorted(links)


def move_contacts(source: str, target: str) -> list[dict]:
	"""B's identities, emails and phones to A, after A's rows and not primary there; a value A
	already has stays on B."""
	log = []
	for table, (doctype, keys) in CONTACT_TABLES.items():
		fields = ["name", "idx", *keys] + ([] if table == "channel_identities" else ["is_primary"])
		theirs = frappe.get_all(
			doctype,
			filters={"parent": source, "parenttype": PROFILE, "parentfield": table},
			fields=fields,
			order_by="idx",
		)
		ours = frappe.get_all(
			doctype,
			filters={"parent": target, "parenttype": PROFILE, "parentfield": table},
			fields=["idx", *keys],
		)
		have = {tuple(row[k] for k in keys) for row in ours}
		idx = max((row.idx for row in ours), default=0)
		for row in theirs:
			if tuple(row[k] for k in keys) in have:
				continue
			idx += 1
			set_values(doctype, [row.name], "parent", target)
			log.append(change(doctype, row.name, "parent", source, target))
			set_values(doctype, [row.name], "idx", idx)
			log.append(change(doctype, row.name, "idx", row.idx, idx))
			if row.get("is_primary"):
				set_values(doctype, [row.name], "is_primary", 0)
				log.append(change(doctype, row.name, "is_primary", 1, 0))
	return log


def copy_address(source: str, target: str) -> list[dict]:
	"""B's default address to A, when A has none."""
	theirs = frappe.db.get_value(PROFILE, source, ADDRESS_FIELDS, as_dict=True)
	ours = frappe.db.get_value(PROFILE, target, ADDRESS_FIELDS, as_dict=True)
	if ours.address_line1 or not theirs.address_line1:
		return []
	log = []
	for field in ADDRESS_FIELDS:
		if theirs[field] != ours[field]:
			set_values(PROFILE, [target], field, theirs[field])
			log.append(change(PROFILE, target, field, ours[field], theirs[field]))
	return log


def set_values(doctype: str, names: list[str], field: str, value) -> None:
	"""One UPDATE for many records; the field comes from the metadata or a merge log the merge wrote."""
	table = frappe.qb.DocType(doctype)
	frappe.qb.update(table).set(table[field], value).where(table.name.isin(names)).run()


def change(doctype: str, name: str, field: str, old, new) -> dict:
	return {
		"ref_doctype": doctype,
		"ref_name": name,
		"ref_field": field,
		"old_value": None if old is None else str(old),
		"new_value": None if new is None else str(new),
	}


# Suggestions


def close_suggestions(source: str, target: str) -> None:
	"""Open suggestions to merge these two profiles are settled by the merge."""
	suggestion = frappe.qb.DocType(SUGGESTION)
	pair = [source, target]
	frappe.qb.update(suggestion).set(suggestion.status, "Merged").where(
		(suggestion.status == "Open") & suggestion.profile.isin(pair) & suggestion.other_profile.isin(pair)
	).run()


def accept_suggestion(name: str) -> dict:
	"""Merge the suggestion's other profile into its profile, and close it as Merged."""
	suggestion = open_suggestion(name)
	return merge_profiles(suggestion.other_profile, suggestion.profile)


def dismiss_suggestion(name: str) -> None:
	open_suggestion(name).db_set("status", "Dismissed")


def open_suggestion(name: str):
	suggestion = frappe.get_doc(SUGGESTION, name, for_update=True)
	if suggestion.status != "Open":
		frappe.throw(
			_("status: suggestion {0} is {1} already").format(frappe.bold(name), _(suggestion.status)),
			title=_("Suggestion Closed"),
		)
	return suggestion


# Desk and REST


@frappe.whitelist(methods=["POST"])
def merge(profile: str, into: str) -> dict:
	"""Merge `profile` into `into` (Customer Service, OMS Manager)."""
	frappe.only_for(MERGE_ROLES)
	for name in (profile, into):
		if frappe.db.exists(PROFILE, name):
			frappe.get_doc(PROFILE, name).check_permission("write")
	return merge_profiles(profile, into)


@frappe.whitelist(methods=["POST"])
def unmerge(profile: str) -> dict:
	frappe.only_for(MERGE_ROLES)
	frappe.get_doc(PROFILE, profile).check_permission("write")
	return unmerge_profile(profile)


@frappe.whitelist(methods=["POST"])
def accept(suggestion: str) -> dict:
	frappe.only_for(MERGE_ROLES)
	frappe.get_doc(SUGGESTION, suggestion).check_permission("write")
	return accept_suggestion(suggestion)


@frappe.whitelist(methods=["POST"])
def dismiss(suggestion: str) -> None:
	frappe.only_for(MERGE_ROLES)
	frappe.get_doc(SUGGESTION, suggestion).check_permission("write")
	dismiss_suggestion(suggestion)
