# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class CustomerMergeSuggestion(Document):
	def validate(self):
		if self.profile and self.profile == self.other_profile:
			frappe.throw(
				_("other_profile: a profile cannot be suggested for merging with itself"),
				title=_("Invalid Suggestion"),
			)
