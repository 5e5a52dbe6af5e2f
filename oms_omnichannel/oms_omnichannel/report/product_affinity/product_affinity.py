# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Product Affinity: the association rules the customer analysis stored (items bought together),
strongest first."""

import frappe
from frappe import _
from frappe.utils import flt


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	params = {"min_lift": flt(filters.min_lift) or 0, "limit": 500}
	item_condition = ""
	if filters.item:
		item_condition = "and (a.item = %(item)s or a.other_item = %(item)s)"
		params["item"] = filters.item
	# safe-sql: item_condition is a constant clause with %(item)s; the item is a parameter
	data = frappe.db.sql(
		f"""select a.item, i.item_name, a.other_item, other.item_name as other_item_name,
			a.support * 100 as support, a.confidence * 100 as confidence, a.lift
		from `tabOMS Item Affinity` a
		left join `tabOMS Item` i on i.name = a.item
		left join `tabOMS Item` other on other.name = a.other_item
		where a.lift >= %(min_lift)s {item_condition}
		order by a.lift desc, a.confidence desc, a.item, a.other_item
		limit %(limit)s""",
		params,
		as_dict=True,
	)
	columns = [
		{"fieldname": "item", "label": _("Item"), "fieldtype": "Link", "options": "OMS Item", "width": 140},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 160},
		{
			"fieldname": "other_item",
			"label": _("Often Bought With"),
			"fieldtype": "Link",
			"options": "OMS Item",
			"width": 150,
		},
		{"fieldname": "other_item_name", "label": _("Its Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "support", "label": _("Support %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "confidence", "label": _("Confidence %"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "lift", "label": _("Lift"), "fieldtype": "Float", "precision": 2, "width": 90},
	]
	top = data[:10]
	chart = {
		"data": {
			"labels": [f"{row.item} + {row.other_item}" for row in top],
			"datasets": [{"name": _("Lift"), "values": [row.lift for row in top]}],
		},
		"type": "bar",
	}
	message = None if data else _("No rules yet: run the customer analysis (OMS Item Affinity list).")
	return columns, data, message, chart
