from frappe import _


def get_data():
	"""The profile's connections: every record that links it, across all channels."""
	return {
		"fieldname": "customer",
		"transactions": [
			{"label": _("Orders"), "items": ["OMS Order", "OMS Shipment"]},
			{"label": _("After Sales"), "items": ["Return Request", "Customer Feedback"]},
			{"label": _("Identity"), "items": ["Customer Merge Suggestion"]},
		],
		"non_standard_fieldnames": {"Customer Merge Suggestion": "profile"},
	}
