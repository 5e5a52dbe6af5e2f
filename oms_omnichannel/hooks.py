app_name = "oms_omnichannel"
app_title = "OMS Omnichannel"
app_publisher = "OMS Omnichannel contributors"
app_description = "Omnichannel order management: orders, inventory, logistics, channels, customers, analytics"
app_email = "dev@oms-omnichannel.example"
app_license = "mit"
required_apps = []

# Roles of DESIGN.md; shipped as fixtures and used by every DocType's permission rows.
OMS_ROLES = [
	"OMS Manager",
	"Order Processor",
	"Inventory Manager",
	"Logistics Coordinator",
	"Customer Service",
	"Channel Manager",
	"OMS Analyst",
	"OMS Integration",
	"Store Associate",
]

# Example outbound events per channel (disabled): copy one, set your URL and secret, enable it.
EXAMPLE_WEBHOOKS = [
	"OMS Order Events to Web Store (example)",
	"OMS Shipment Tracking to Web Store (example)",
	"Channel Stock to Web Store (example)",
]

# Low-code extension examples (disabled): copy one, adapt it, enable the copy.
EXAMPLE_SERVER_SCRIPTS = [
	"OMS Order: Tag Large Orders (example)",
	"OMS Order: Refuse a Channel's Orders to a Region (example)",
]
EXAMPLE_CLIENT_SCRIPTS = ["OMS Order: Warn About Large Orders (example)"]
# Workflows administrators may edit in the desk, the states they add to Frappe's own and the
# notifications that tell the role that must act. The states live in fixtures/workflow.json before
# the workflows that use them: Frappe imports fixture files in no set order, a file's records in order.
WORKFLOWS = ["Return Request Approval", "Customer Feedback Handling"]
WORKFLOW_STATES = ["Draft", "Open", "In Progress", "Resolved"]
WORKFLOW_ACTIONS = ["Start Work", "Resolve"]
NOTIFICATIONS = [
	"Return Awaiting Approval",
	"Order Put On Hold",
	"OMS Low Stock",
	"Shipment Delivery Overdue",
	"Customer Complaint Received",
]
# The boards of the role workspaces (orders by status: a view, a status moves only through the
# order's Actions, a dragged card is refused; complaints by status: the feedback machine decides)
# are made by setup.install.ensure_kanban_boards, not shipped as fixtures.

fixtures = [
	{"dt": "Role", "filters": [["role_name", "in", OMS_ROLES]]},
	{"dt": "Webhook", "filters": [["name", "in", EXAMPLE_WEBHOOKS]]},
	{"dt": "Server Script", "filters": [["name", "in", EXAMPLE_SERVER_SCRIPTS]]},
	{"dt": "Client Script", "filters": [["name", "in", EXAMPLE_CLIENT_SCRIPTS]]},
	{"dt": "Workflow State", "filters": [["name", "in", WORKFLOW_STATES]]},
	{"dt": "Workflow Action Master", "filters": [["name", "in", WORKFLOW_ACTIONS]]},
	{"dt": "Workflow", "filters": [["name", "in", WORKFLOWS]]},
	{"dt": "Notification", "filters": [["name", "in", NOTIFICATIONS]]},
]

# Apps screen
# ------------------
add_to_apps_screen = [
	{
		"name": "oms_omnichannel",
		"logo": "/assets/oms_omnichannel/images/oms-logo.svg",
		"title": "OMS",
		"route": "/app/oms",
	}
]

# Website
# -------
# The customer's tracking page: /track/<unguessable token of the shipment>
website_route_rules = [{"from_route": "/track/<token>", "to_route": "track"}]

# Requests
# --------
# The app's REST methods: no stack trace in a reply, 401 without credentials (api/__init__.py).
before_request = ["oms_omnichannel.api.before_request"]
after_request = ["oms_omnichannel.api.after_request"]

# Print formats
# -------------
# What OMS Packing Slip, OMS Pick List and OMS Return Label read beyond the printed document.
jinja = {
	"methods": [
		"oms_omnichannel.logistics.printing.oms_pick_list",
		"oms_omnichannel.logistics.printing.oms_shipment_lines",
		"oms_omnichannel.logistics.printing.oms_order_address",
		"oms_omnichannel.logistics.printing.oms_location_address",
	]
}

# Installation
# ------------
after_install = "oms_omnichannel.setup.install.after_install"
after_migrate = "oms_omnichannel.setup.install.after_migrate"

# Testing
# -------
before_tests = "oms_omnichannel.setup.install.before_tests"

# Generated controller type hints (`# begin: auto-generated types`)
export_python_type_annotations = True

# Includes in <head>
# ------------------
# app_include_css = "/assets/oms_omnichannel/css/oms_omnichannel.css"
# app_include_js = "/assets/oms_omnichannel/js/oms_omnichannel.js"

# Document Events
# ---------------
doc_events = {
	# a confirmed request marks the person's Customer Profiles for erasure; processing it anonymises them
	"Personal Data Deletion Request": {
		"on_change": "oms_omnichannel.customers.erasure.on_deletion_request_change",
	},
	# Shop platform connectors (Sales Channel platform Shopify or WooCommerce): stock and fulfilments
	# go back to the platform in background jobs.
	"Channel Stock Update": {
		"after_insert": "oms_omnichannel.channels.connectors.stock.on_channel_stock_update",
	},
	"OMS Shipment": {
		"on_submit": "oms_omnichannel.channels.connectors.fulfilment.on_shipment_submit",
		"on_update_after_submit": "oms_omnichannel.channels.connectors.fulfilment.on_shipment_update",
	},
}

# Personal data (Frappe's Personal Data Download and Deletion Requests): a person's Customer
# Profile, found by email. Deletion anonymises the person everywhere (customers/erasure.py) before
# Frappe's own steps run; these entries let the download include the profile.
user_data_fields = [
	{
		"doctype": "Customer Profile",
		"filter_by": "email",
		"redact_fields": ["full_name", "phone", "address_line1", "address_line2", "postcode"],
	},
]

# Scheduled Tasks
# ---------------
scheduler_events = {
	# open complaints past their SLA (OMS Settings: complaint SLA hours) are flagged overdue
	"hourly": ["oms_omnichannel.customers.feedback.update_overdue_flags"],
	# RFM segments, lifetime value, churn risk on Customer Profile; OMS Item Affinity rules
	"daily_long": ["oms_omnichannel.customers.analysis.scheduled_analysis"],
	"cron": {
		# unpaid orders' reservations expire (OMS Settings: reservation expiry minutes)
		"*/5 * * * *": [
			"oms_omnichannel.inventory.expiry.release_expired_reservations",
			"oms_omnichannel.orders.holds.scheduled_automatic_holds",
			"oms_omnichannel.orders.backorders.retry_backorders",  # safety net; stock changes retry at once
			"oms_omnichannel.channels.connectors.fulfilment.retry_pending_fulfilments",  # failed reports
			"oms_omnichannel.channels.intake.resume_stalled_batches",  # batches whose worker died
		],
		# low stock / reorder suggestions (OMS Settings: low-stock check interval)
		"*/15 * * * *": ["oms_omnichannel.inventory.reorder.scheduled_check"],
		# connector channels: failed stock pushes when due again (backoff)
		"* * * * *": ["oms_omnichannel.channels.connectors.stock.retry_due_pushes"],
	},
	# demand forecasts per item and channel, stored for reports and days of cover
	"weekly": ["oms_omnichannel.analytics.forecasting.scheduled_forecasts"],
}

# Stock events
# ------------
# Called inside the stock transaction with the (item, location, status) keys that changed,
# while their balance rows are locked.
oms_after_stock_change = ["oms_omnichannel.inventory.reorder.check_after_stock_change"]
# Called with the same keys, to queue work for after the commit (Redis, background jobs): these
# need no lock, so a change planned to be made last in its transaction (order intake) calls them
# before it locks the balances, and the locks are not held for their round trips to Redis.
oms_queue_after_stock_change = [
	"oms_omnichannel.channels.stock_events.queue_atp_update",
	"oms_omnichannel.orders.backorders.queue_backorder_retry",
]
# Sourcing rules the order sourcing considers (Sourcing Rule records): called without arguments
# once per sourcing run (one or many orders); returns every rule that may apply.
oms_sourcing_rules = ["oms_omnichannel.logistics.rules.get_sourcing_rules"]
# Called with (voucher_type, voucher_no, released_qty) when a voucher's reservations expire.
oms_on_reservations_expired = ["oms_omnichannel.orders.fulfilment.on_reservations_expired"]

# Permissions
# -----------
# Row-level access (channel users see their channels' rows, store staff their store's): every rule
# lives in oms_omnichannel/permissions.py, whose `RULES` table lists these DocTypes.
ROW_LEVEL_DOCTYPES = [
	"Sales Channel",
	"OMS Order",
	"Channel Listing",
	"Channel Stock Update",
	"Intake Log",
	"Customer Profile",
	"OMS Stock Balance",
	"OMS Shipment",
	"Return Request",
]
permission_query_conditions = {
	doctype: "oms_omnichannel.permissions.query_conditions" for doctype in ROW_LEVEL_DOCTYPES
}
has_permission = {doctype: "oms_omnichannel.permissions.has_permission" for doctype in ROW_LEVEL_DOCTYPES}
# Prepared results of OMS reports: only the user who queued one reads it (its rows are in their scope).
permission_query_conditions["Prepared Report"] = "oms_omnichannel.permissions.prepared_report_query"
has_permission["Prepared Report"] = "oms_omnichannel.permissions.prepared_report_permission"

# Demo data
# ---------
# Each module adds its own step (called with a seeded random.Random) to
# `bench execute oms_omnichannel.setup.demo.create_demo_data`.
oms_demo_data_steps = [
	"oms_omnichannel.inventory.demo.create_opening_stock",
	"oms_omnichannel.orders.demo.create_demo_orders",
]
