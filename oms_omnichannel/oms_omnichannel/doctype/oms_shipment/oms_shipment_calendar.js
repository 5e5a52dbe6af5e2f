// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

// Deliveries and pickups by the date promised to the customer (List → Calendar). Shipments are
// submitted, so the calendar shows them without letting them be dragged (docstatus is fetched
// for that); a promised date is kept as a date, never shifted by time zone.
const OMS_CALENDAR_CLASSES = {
	Delivered: "success",
	"Picked Up": "success",
	"Failed Attempt": "danger",
	"Returned to Sender": "danger",
	"Ready for Pickup": "warning",
};

frappe.views.calendar["OMS Shipment"] = {
	field_map: {
		id: "name",
		start: "promised_date",
		end: "promised_date",
		title: "customer_name",
		allDay: 1,
		convertToUserTz: "convert_to_user_tz",
	},
	fields: ["name", "promised_date", "customer_name", "status", "docstatus", "delivery_type"],
	get_css_class(data) {
		if (OMS_CALENDAR_CLASSES[data.status]) return OMS_CALENDAR_CLASSES[data.status];
		if (data.promised_date && data.promised_date < frappe.datetime.get_today()) return "danger";
		return "default";
	},
};
