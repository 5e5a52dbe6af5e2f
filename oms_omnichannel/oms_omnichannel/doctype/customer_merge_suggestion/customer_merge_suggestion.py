# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class CustomerMergeSuggestion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		channel: DF.Link | None
		evidence: DF.SmallText | None
		order: DF.Link | None
		other_profile: DF.Link
		profile: DF.Link
		reason: DF.Data | None
		status: DF.Literal["Open", "Merged", "Dismissed"]

	# end: auto-generated types
	def validate(self):
		if self.profile and self.profile == self.other_profile:
			frappe.throw(
				_("other_profile: a profile cannot be suggested for merging with itself"),
				title=_("Invalid Suggestion"),
			)
