"""What every sales report shares: the period and the one before it, the channels the user may
see, and money kept per currency (never added across currencies)."""

from __future__ import annotations

from collections.abc import Iterable

import frappe
from frappe import _
from frappe.utils import add_days, date_diff, getdate, today

from oms_omnichannel import permissions

UNRESTRICTED = None


def permitted(doctype: str, user: str | None = None) -> list[str] | None:
	"""Records of `doctype` a user is limited to by User Permissions; None when not limited."""
	user = user or frappe.session.user
	if user == "Administrator":
		return UNRESTRICTED
	rows = frappe.permissions.get_user_permissions(user).get(doctype)
	if not rows:
		return UNRESTRICTED
	return sorted({row.get("doc") for row in rows if row.get("doc")})


def permitted_channels(user: str | None = None) -> list[str] | None:
	"""Sales Channels a user's reports are limited to; None for every channel. A channel user
	(`permissions.channel_scope`) sees only their channels, none without any (fail closed, as in
	lists); any other user with User Permissions on Sales Channel only those (Frappe's own rule)."""
	user = user or frappe.session.user
	scope = permissions.channel_scope(user)
	if scope is not None:
		return list(scope.channels)
	return permitted("Sales Channel", user)


def permitted_locations(user: str | None = None) -> list[str] | None:
	"""Stock Locations a user's reports are limited to; None for every location. Store staff
	(`permissions.store_scope`) see only their stores, none without any (fail closed, as in lists);
	any other user with User Permissions on Stock Location only those (Frappe's own rule)."""
	user = user or frappe.session.user
	scope = permissions.store_scope(user)
	if scope is not None:
		return list(scope.stores)
	return permitted("Stock Location", user)


def within(value: str | None, allowed: list[str] | None) -> list[str] | None:
	"""A Link filter's value within what the user may see: None for all, [] for nothing."""
	if value:
		return [value] if allowed is None or value in allowed else []
	return allowed


def report_channels(sales_channel: str | None = None) -> list[str] | None:
	"""The channels a report may read: the filter's, within the user's; None for all, [] for none."""
	return within(sales_channel, permitted_channels())


def channel_condition(column: str, channels: list[str] | None, params: dict, key: str = "channels") -> str:
	"""` and <column> in %(channels)s` (a parameter, never text in the SQL), or nothing."""
	if channels is None:
		return ""
	params[key] = tuple(channels) or ("",)
	return f" and {column} in %({key})s"


def report_period(filters, default_days: int = 30):
	"""(from, to, previous from, previous to): the filter's dates and as many days right before."""
	to_date = getdate(filters.get("to_date") or today())
	from_date = getdate(filters.get("from_date") or add_days(to_date, -(default_days - 1)))
	if from_date > to_date:
		frappe.throw(_("From Date must be on or before To Date"), title=_("Invalid Period"))
	days = date_diff(to_date, from_date) + 1
	return from_date, to_date, add_days(from_date, -days), add_days(from_date, -1)


def end_of(day) -> object:
	"""The exclusive upper bound of a date range on a Datetime column."""
	return add_days(getdate(day), 1)


def by_currency(rows: Iterable[dict], money_fields: Iterable[str], count_fields: Iterable[str] = ()):
	"""{currency: summed fields} over rows; every sum stays within its own currency."""
	totals: dict[str, dict] = {}
	fields = [*money_fields, *count_fields]
	for row in rows:
		total = totals.setdefault(row.get("currency") or "", dict.fromkeys(fields, 0))
		for field in fields:
			total[field] += row.get(field) or 0
	return dict(sorted(totals.items()))


def money_summary(label: str, totals: dict[str, dict], field: str, indicator: str = "green") -> list[dict]:
	"""One report summary item per currency, each shown with its own symbol."""
	return [
		{
			"value": values[field],
			"label": _("{0} ({1})").format(label, currency) if currency else label,
			"datatype": "Currency",
			"currency": currency,
			"indicator": indicator,
		}
		for currency, values in totals.items()
	]


# The first day of the day, week (Monday) or month an order falls in, per `period` filter value.
PERIOD_BUCKETS = {
	"Day": "date({0})",
	"Week": "date_sub(date({0}), interval weekday({0}) day)",
	"Month": "date_sub(date({0}), interval dayofmonth({0}) - 1 day)",
}


def period_bucket(period: str | None, column: str) -> str:
	"""SQL of the bucket a datetime column falls in; an unknown period value counts as Day."""
	return PERIOD_BUCKETS.get(period or "", PERIOD_BUCKETS["Day"]).format(column)


def choice(value: str | None, allowed, default: str) -> str:
	"""A Select filter's value, or the default when it is not one of the choices."""
	return value if value in allowed else default
