// Copyright (c) 2026, OMS Omnichannel contributors
// For license information, please see license.txt

const OMS_SHIPMENT_COLOURS = {
	Created: "orange",
	Picked: "orange",
	Packed: "orange",
	"In Transit": "blue",
	"Out for Delivery": "cyan",
	Delivered: "green",
	"Failed Attempt": "red",
	"Returned to Sender": "gray",
	"Ready for Pickup": "purple",
	"Picked Up": "green",
};

frappe.listview_settings["OMS Shipment"] = {
	add_fields: ["status", "docstatus"],
	get_indicator(doc) {
		if (doc.docstatus === 0) return [__("Draft"), "red", "docstatus,=,0"];
		if (doc.docstatus === 2) return [__("Cancelled"), "gray", "docstatus,=,2"];
		return [__(doc.status), OMS_SHIPMENT_COLOURS[doc.status] || "gray", "status,=," + doc.status];
	},
};
