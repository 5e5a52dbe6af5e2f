# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class OMSDemandForecast(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		baseline_mase: DF.Float
		computed_at: DF.Datetime | None
		forecast_qty: DF.Float
		history_weeks: DF.Int
		item: DF.Link
		lower: DF.Float
		mase: DF.Float
		method: DF.Data | None
		sales_channel: DF.Link | None
		upper: DF.Float
		week_start: DF.Date
	# end: auto-generated types
	"""Written by the forecast job (`oms_omnichannel.analytics.forecasting`), which replaces an
	item's rows each time it runs."""


def on_doctype_update():
	frappe.db.add_index("OMS Demand Forecast", ["item", "week_start"])
