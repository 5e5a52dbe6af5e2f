"""The app's REST API: `v1/` (described in `openapi.json`)."""

import frappe
from frappe import _


def before_request() -> None:
	"""before_request (hooks.py), for calls of the app's whitelisted methods:

	- no reply carries a stack trace, whatever System Settings (Show Full Error) say: channels and
	  carriers get the message naming the field; a server error is in the Error Log;
	- a call without credentials (no session, no Authorization header) is 401, not Frappe's 403:
	  the caller is not authenticated, rather than not permitted. Guest methods are left alone."""
	request = frappe.request
	if request is None or "/method/oms_omnichannel." not in request.path:
		return
	frappe.local.flags.disable_traceback = True
	if frappe.session.user != "Guest" or frappe.get_request_header("Authorization"):
		return
	if not is_guest_method(request.path.split("/method/", 1)[1]):
		frappe.throw(
			_("Log in, or send an API key: Authorization: token <api_key>:<api_secret>"),
			frappe.AuthenticationError,
			title=_("Not Authenticated"),
		)


def is_guest_method(dotted: str) -> bool:
	try:
		method = frappe.get_attr(dotted)
	except Exception:
		return False  # Frappe answers an unknown method itself
	return method in frappe.guest_methods
