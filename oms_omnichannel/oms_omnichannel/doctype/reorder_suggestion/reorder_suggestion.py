# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from oms_omnichannel.utils import check_arguments

OPEN = "Open"
FINAL_STATUSES = ("Ordered", "Dismissed", "Closed")


class ReorderSuggestion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		available_qty: DF.Float
		closed_at: DF.Datetime | None
		item: DF.Link
		item_name: DF.Data | None
		location: DF.Link
		notes: DF.SmallText | None
		raised_at: DF.Datetime | None
		reorder_level: DF.Float
		safety_stock: DF.Float
		status: DF.Literal["Open", "Ordered", "Dismissed", "Closed"]
		suggested_qty: DF.Float

	# end: auto-generated types
	def validate(self):
		self.validate_status_change()
		if self.status in FINAL_STATUSES and not self.closed_at:
			self.closed_at = now_datetime()

	def validate_status_change(self):
		before = self.get_doc_before_save()
		if before and before.status in FINAL_STATUSES and self.status != before.status:
			frappe.throw(
				_("A suggestion that is {0} cannot change to {1}").format(
					frappe.bold(before.status), frappe.bold(self.status)
				),
				title=_("Not Allowed"),
			)


def on_doctype_update():
	frappe.db.add_index("Reorder Suggestion", ["item", "location", "status"])


@frappe.whitelist(methods=["POST"])
@check_arguments
def set_status(names: list[str] | str, status: str) -> int:
	"""Bulk action of the list view: mark suggestions Ordered or Dismissed."""
	if status not in ("Ordered", "Dismissed"):
		frappe.throw(
			_("Status must be Ordered or Dismissed, not {0}").format(status), title=_("Invalid Status")
		)
	names = frappe.parse_json(names) if isinstance(names, str) else names
	for name in names:
		doc = frappe.get_doc("Reorder Suggestion", name)
		doc.check_permission("write")
		if doc.status == OPEN:
			doc.status = status
			doc.save()
	return len(names)
