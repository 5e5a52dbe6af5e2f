"""Names of orders and customer profiles numbered by a MariaDB sequence instead of a `tabSeries` row.

Frappe numbers a naming series (`ORD-.YYYY.-`, `CUST-.#####`) from a row of `tabSeries` that it
locks until the transaction commits: every request creating an order or a profile waited for
the previous one to commit, so intake ran one request at a time whatever the workers. A sequence
(as Frappe's autoincrement naming uses) hands out numbers without a lock held to the commit.
Names look as before (`ORD-2026-00042`, `CUST-00042`); a number taken by a transaction that rolls
back is not reused (a gap), and the order number does not restart each year.

Every way of creating these documents names them here: the controllers' `autoname` (desk, REST,
split and merge) and bulk inserts (`bulk.assign_names`, order intake). A site not migrated yet
(no sequence) gets Frappe's naming series.
"""

from __future__ import annotations

import frappe
from frappe.model.document import Document
from frappe.model.naming import NamingSeries, parse_naming_series, set_name_from_naming_options

# DocType -> (sequence, the `tabSeries` prefixes its names were numbered from before)
SEQUENCES = {
	"OMS Order": ("oms_order_name_seq", "ORD-%"),
	"Customer Profile": ("customer_profile_name_seq", "CUST-%"),
}


def is_sequence_named(doctype: str) -> bool:
	return doctype in SEQUENCES


def name_from_sequence(docs: list[Document]) -> None:
	"""Name new documents of one DocType: their naming series' format, numbered by its sequence."""
	if not docs:
		return
	numbers = next_numbers(docs[0].doctype, len(docs))
	if numbers is None:  # not migrated yet
		for doc in docs:
			set_name_from_naming_options(frappe.get_meta(doc.doctype).autoname, doc)
		return
	for doc, number in zip(docs, numbers, strict=True):
		doc.name = parse_naming_series(
			series_of(doc), doc=doc, number_generator=lambda _prefix, digits, n=number: f"{n:0{digits}d}"
		)


def series_of(doc: Document) -> str:
	"""The document's naming series, with Frappe's five digits when it gives none."""
	series = (frappe.get_meta(doc.doctype).autoname or "").strip()
	if series.startswith("naming_series:"):
		if not doc.get("naming_series"):
			doc.naming_series = (doc.meta.get_field("naming_series").options or "").split("\n")[0]
		series = doc.naming_series
	return NamingSeries(series).series  # `ORD-.YYYY.-` is `ORD-.YYYY.-.#####`


def next_numbers(doctype: str, count: int) -> list[int] | None:
	"""`count` numbers of the DocType's sequence in one query; None when it does not exist."""
	sequence = SEQUENCES[doctype][0]
	try:
		# safe-sql: the sequence name is a constant of SEQUENCES, the count an int
		rows = frappe.db.sql(f"SELECT nextval(`{sequence}`) FROM seq_1_to_{int(count)}")
	except Exception as error:
		if frappe.db.is_table_missing(error):
			return None
		raise
	return [int(row[0]) for row in rows]


def ensure_sequences() -> None:
	"""Create the sequences (migrate, install) and keep each ahead of every number the naming
	series gave out: documents named before the sequence existed keep their names."""
	for sequence, prefixes in SEQUENCES.values():
		taken = frappe.db.sql("SELECT MAX(`current`) FROM `tabSeries` WHERE `name` LIKE %s", (prefixes,))[0][
			0
		]
		# safe-sql: the sequence name is a constant of SEQUENCES (DDL: commits, as migrate does)
		frappe.db.sql_ddl(f"CREATE SEQUENCE IF NOT EXISTS `{sequence}` START WITH 1 NOCACHE")
		if taken:
			# safe-sql: as above; SETVAL never moves a sequence back
			frappe.db.sql(f"SELECT SETVAL(`{sequence}`, %s)", (int(taken),))
