# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class OMSItemAffinity(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		computed_at: DF.Datetime | None
		confidence: DF.Float
		item: DF.Link
		lift: DF.Float
		other_item: DF.Link
		support: DF.Float

	# end: auto-generated types


def on_doctype_update():
	frappe.db.add_unique("OMS Item Affinity", ["item", "other_item"], constraint_name="unique_item_pair")
	frappe.db.add_index("OMS Item Affinity", ["item", "lift"])
