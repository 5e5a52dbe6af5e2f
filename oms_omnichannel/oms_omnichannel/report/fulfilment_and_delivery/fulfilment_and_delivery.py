# Copyright (c) 2026, OMS Omnichannel contributors
# For license information, please see license.txt
"""Order-to-ship and ship-to-deliver times (average and median) and the on-time rate of the
shipments created in the period, per carrier, delivery method, location or channel; route
savings of the Delivery Routes planned in the period.

A shipment ships when it is submitted (its first tracking event: stock leaves then) and is
delivered at its first Delivered or Picked Up event. The promise is the shipment's Promised Date
(set on submission from the Delivery Method's transit days); on time means delivered that day
or earlier."""

import frappe
from frappe import _

from oms_omnichannel.analytics.report_scope import (
	channel_condition,
	choice,
	end_of,
	permitted_locations,
	report_channels,
	report_period,
	within,
)
from oms_omnichannel.core.analytics import rate

GROUPS = {
	"Carrier": ("s.carrier", "Carrier"),
	"Delivery Method": ("s.delivery_method", "Delivery Method"),
	"Location": ("s.source_location", "Stock Location"),
	"Sales Channel": ("s.sales_channel", "Sales Channel"),
}
DELIVERED = ("Delivered", "Picked Up")


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	from_date, to_date, _previous_from, _previous_to = report_period(filters)
	group_by = choice(filters.group_by, GROUPS, "Carrier")
	scope = {
		"s.sales_channel": report_channels(filters.sales_channel),
		"s.source_location": within(filters.location, permitted_locations()),
		"s.carrier": within(filters.carrier, None),
		"s.delivery_method": within(filters.delivery_method, None),
	}
	data = [with_rates(row) for row in delivery_times(from_date, to_date, scope, GROUPS[group_by][0])]
	routes = route_savings(from_date, to_date, scope)
	if group_by == "Location":
		for row in data:
			row.update(routes.get(row["name"], {}))
	return columns(group_by), data, None, chart(data), summary(data, routes)


def delivery_times(from_date, to_date, scope: dict, group: str) -> list[dict]:
	if any(values == [] for values in scope.values()):
		return []
	params = {"from": from_date, "to": end_of(to_date), "delivered": DELIVERED}
	conditions = "".join(
		channel_condition(column, values, params, key=f"scope{index}")
		for index, (column, values) in enumerate(scope.items())
	)
	# safe-sql: group is a constant column from GROUPS (chosen by choice()); conditions hold constant columns and parameters
	return frappe.db.sql(
		f"""
		select t.name, count(*) as shipments,
			avg(t.to_ship) / 3600 as order_to_ship_hours, max(t.p50_ship) / 3600 as order_to_ship_p50,
			count(t.delivered_at) as delivered,
			avg(t.to_deliver) / 3600 as ship_to_deliver_hours,
			max(t.p50_deliver) / 3600 as ship_to_deliver_p50,
			sum(t.delivered_at is not null and t.promised_date is not null) as promised,
			sum(date(t.delivered_at) <= t.promised_date) as on_time,
			sum(t.delivered_at is null and t.promised_date < curdate()) as late_open
		from (
			select y.*, median(y.to_ship) over (partition by y.name) as p50_ship,
				median(y.to_deliver) over (partition by y.name) as p50_deliver
			from (
				select x.name, x.promised_date, x.delivered_at,
					timestampdiff(second, x.order_datetime, x.shipped_at) as to_ship,
					timestampdiff(second, x.shipped_at, x.delivered_at) as to_deliver
				from (
					select {group} as name, s.promised_date, o.order_datetime,
						(select min(e.event_time) from `tabShipment Tracking Event` e
							where e.parent = s.name and e.parenttype = 'OMS Shipment') as shipped_at,
						(select min(e.event_time) from `tabShipment Tracking Event` e
							where e.parent = s.name and e.parenttype = 'OMS Shipment'
								and e.status in %(delivered)s) as delivered_at
					from `tabOMS Shipment` s
					join `tabOMS Order` o on o.name = s.`order`
					where s.docstatus = 1 and s.creation >= %(from)s and s.creation < %(to)s {conditions}
				) x
			) y
		) t
		group by t.name
		order by shipments desc
		""",
		params,
		as_dict=True,
	)


def with_rates(row) -> dict:
	hours = ("order_to_ship_hours", "order_to_ship_p50", "ship_to_deliver_hours", "ship_to_deliver_p50")
	return {
		**row,
		**{field: round(float(row[field]), 1) if row[field] is not None else None for field in hours},
		"shipments": int(row.shipments),
		"delivered": int(row.delivered),
		"on_time_rate": rate(row.on_time or 0, row.promised or 0) if row.promised else None,
		"late_open": int(row.late_open or 0),
	}


def route_savings(from_date, to_date, scope: dict) -> dict[str, dict]:
	"""{location: route km, baseline km, saving %} of the routes planned in the period. Routes
	belong to no channel: a user limited to some channels does not see them."""
	if scope["s.sales_channel"] is not None or scope["s.source_location"] == []:
		return {}
	params = {"from": from_date, "to": to_date}
	# safe-sql: channel_condition adds ' and r.location in %(locations)s'; the locations are a parameter
	rows = frappe.db.sql(
		f"""select r.location, count(*) as routes, sum(r.total_distance_km) as route_km,
			sum(r.unoptimised_distance_km) as baseline_km
		from `tabDelivery Route` r
		where r.status = 'Planned' and r.route_date >= %(from)s and r.route_date <= %(to)s
			{channel_condition("r.location", scope["s.source_location"], params, key="locations")}
		group by r.location""",
		params,
		as_dict=True,
	)
	return {
		row.location: {
			"routes": int(row.routes),
			"route_km": float(row.route_km or 0),
			"baseline_km": float(row.baseline_km or 0),
			"route_saving": rate((row.baseline_km or 0) - (row.route_km or 0), row.baseline_km or 0),
		}
		for row in rows
	}


def columns(group_by: str):
	hours = {"fieldtype": "Float", "precision": 1, "width": 120}
	cols = [
		{
			"fieldname": "name",
			"label": _(group_by),
			"fieldtype": "Link",
			"options": GROUPS[group_by][1],
			"width": 180,
		},
		{"fieldname": "shipments", "label": _("Shipments"), "fieldtype": "Int", "width": 90},
		{"fieldname": "order_to_ship_hours", "label": _("Order to Ship, avg (h)"), **hours},
		{"fieldname": "order_to_ship_p50", "label": _("Order to Ship, median (h)"), **hours},
		{"fieldname": "delivered", "label": _("Delivered"), "fieldtype": "Int", "width": 90},
		{"fieldname": "ship_to_deliver_hours", "label": _("Ship to Deliver, avg (h)"), **hours},
		{"fieldname": "ship_to_deliver_p50", "label": _("Ship to Deliver, median (h)"), **hours},
		{"fieldname": "on_time_rate", "label": _("On Time %"), "fieldtype": "Percent", "width": 90},
		{"fieldname": "late_open", "label": _("Late, not delivered"), "fieldtype": "Int", "width": 110},
	]
	if group_by == "Location":
		cols += [
			{"fieldname": "routes", "label": _("Routes"), "fieldtype": "Int", "width": 80},
			{"fieldname": "route_km", "label": _("Route km"), "fieldtype": "Float", "precision": 1},
			{"fieldname": "baseline_km", "label": _("Unoptimised km"), "fieldtype": "Float", "precision": 1},
			{"fieldname": "route_saving", "label": _("Route Saving %"), "fieldtype": "Percent"},
		]
	return cols


def chart(data):
	if not data:
		return None
	return {
		"data": {
			"labels": [row["name"] or _("Not Set") for row in data],
			"datasets": [
				{"name": _("Order to Ship (h)"), "values": [row["order_to_ship_hours"] or 0 for row in data]},
				{
					"name": _("Ship to Deliver (h)"),
					"values": [row["ship_to_deliver_hours"] or 0 for row in data],
				},
			],
		},
		"type": "bar",
	}


def summary(data, routes):
	promised = sum(row["promised"] or 0 for row in data)
	items = [
		{"value": sum(row["shipments"] for row in data), "label": _("Shipments"), "datatype": "Int"},
		{
			"value": rate(sum(row["on_time"] or 0 for row in data), promised),
			"label": _("On Time %"),
			"datatype": "Percent",
			"indicator": "green",
		},
		{
			"value": sum(row["late_open"] for row in data),
			"label": _("Late, not delivered"),
			"datatype": "Int",
			"indicator": "red",
		},
	]
	if routes:
		baseline = sum(r["baseline_km"] for r in routes.values())
		route_km = sum(r["route_km"] for r in routes.values())
		items.append(
			{
				"value": rate(baseline - route_km, baseline),
				"label": _("Route Saving %"),
				"datatype": "Percent",
			}
		)
	return items
