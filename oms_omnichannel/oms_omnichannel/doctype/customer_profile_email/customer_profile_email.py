# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CustomerProfileEmail(Document):
	pass
