# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

from frappe.model.document import Document


class OMSStockEntryItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		counted_qty: DF.Float
		current_qty: DF.Float
		item: DF.Link
		item_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		qty: DF.Float
		valuation_rate: DF.Currency
	# end: auto-generated types
	pass
