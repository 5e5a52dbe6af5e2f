"""The reports that read the whole ledger or three years of orders run as prepared reports.

Frappe keeps a site's `prepared_report` setting when it re-imports a report's JSON (an
administrator's choice survives updates), so sites installed before the setting shipped get it
here, once."""

import frappe

HEAVY_REPORTS = ("Demand Forecast and Trends", "Inventory Turnover", "OMS Stock Ledger")


def execute():
	for name in HEAVY_REPORTS:
		if frappe.db.exists("Report", name):
			frappe.db.set_value("Report", name, "prepared_report", 1, update_modified=False)
