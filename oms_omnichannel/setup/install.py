"""Install, migrate and test-run hooks."""

import frappe

DEFAULT_SETTINGS = {
	"reservation_expiry_minutes": 60,
	"low_stock_check_interval": 60,
	"lock_retry_attempts": 3,
	"intake_batch_limit": 500,
	"intake_async_threshold": 50,
	"route_vehicle_speed_kmh": 30,
	"route_solver_seconds": 10,
	"allow_split_across_locations": 1,
	"hold_first_express_to_foreign_address": 1,
}


def after_install():
	setup_defaults()


def after_migrate():
	setup_defaults()


def before_tests():
	setup_defaults()


def setup_defaults():
	from oms_omnichannel.orders.holds import ensure_hold_types

	set_default_settings()
	ensure_hold_types()


def set_default_settings():
	"""Fill settings that are still empty; never overwrite what an administrator chose."""
	settings = frappe.get_single("OMS Settings")
	changed = False
	if not settings.default_currency:
		settings.default_currency = frappe.db.get_default("currency") or "USD"
		changed = True
	for fieldname, value in DEFAULT_SETTINGS.items():
		if settings.get(fieldname) in (None, ""):
			settings.set(fieldname, value)
			changed = True
	if changed:
		settings.flags.ignore_permissions = True
		settings.save()
