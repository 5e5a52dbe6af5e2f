"""Number Cards that a standard Document Type card cannot express."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import fmt_money, today

from oms_omnichannel.analytics.report_scope import channel_condition, end_of, permitted_channels
from oms_omnichannel.utils import check_arguments


@frappe.whitelist()
@check_arguments
@frappe.read_only()
def revenue_today(filters: str | dict | None = None) -> str:
	"""Today's revenue in the reporting currency (OMS Settings), of the channels the user may see.
	Orders in other currencies are not converted (no exchange rates are kept): they are left out."""
	frappe.has_permission("OMS Order", "read", throw=True)
	currency = frappe.db.get_single_value("OMS Settings", "default_currency")
	if not currency:
		return _("Set a Default Currency in OMS Settings")
	return fmt_money(revenue_on(today(), currency, permitted_channels()), currency=currency)


def revenue_on(day, currency: str, channels: list[str] | None) -> float:
	if channels == []:
		return 0.0
	params = {"from": day, "to": end_of(day), "currency": currency, "out": ("Cancelled", "Merged")}
	# safe-sql: channel_condition adds ' and <column> in %(channels)s' with a constant column; the channels are a parameter
	return float(
		frappe.db.sql(
			f"""select ifnull(sum(o.grand_total), 0) from `tabOMS Order` o
			where o.docstatus = 1 and o.status not in %(out)s and o.currency = %(currency)s
				and o.order_datetime >= %(from)s and o.order_datetime < %(to)s
				{channel_condition("o.sales_channel", channels, params)}""",
			params,
		)[0][0]
	)
