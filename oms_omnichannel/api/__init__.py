"""The app's REST API: `v1/` (described in `openapi.json`)."""

import frappe
from frappe import _


def before_request() -> None:
	"""before_request (hooks.py), for calls of the app's whitelisted methods:

	- no reply carries a stack trace, whatever System Settings (Show Full Error) say: channels and
	  carriers get the message naming the field; a server error is in the Error Log;
	- a call without credentials (no session, no Authorization header) is 401, not Frappe's 403:
	  the caller is not authenticated, rather than not permitted. Guest methods are left alone;
	- a guest method (a platform's webhook) called with another HTTP method than it takes is 405,
	  not Frappe's 403: no permission is involved, the method is wrong."""
	request = frappe.request
	if request is None or "/method/oms_omnichannel." not in request.path:
		return
	frappe.local.flags.disable_traceback = True
	dotted = request.path.split("/method/", 1)[1]
	method = resolved(dotted)
	if method is not None and method in frappe.guest_methods:
		refuse_other_http_methods(method, dotted)
		return
	if frappe.session.user != "Guest" or frappe.get_request_header("Authorization"):
		return
	frappe.throw(
		_("Log in, or send an API key: Authorization: token <api_key>:<api_secret>"),
		frappe.AuthenticationError,
		title=_("Not Authenticated"),
	)


class MethodNotAllowed(frappe.ValidationError):
	http_status_code = 405


def refuse_other_http_methods(method, dotted: str) -> None:
	allowed = frappe.allowed_http_methods_for_whitelisted_func.get(method, [])
	if allowed and frappe.request.method not in allowed:
		frappe.local.oms_allowed_http_methods = ", ".join(allowed)  # the Allow header (after_request)
		frappe.throw(
			_("{0} takes {1}, not {2}").format(
				dotted.rsplit(".", 1)[-1], ", ".join(allowed), frappe.request.method
			),
			MethodNotAllowed,
			title=_("Method Not Allowed"),
		)


def after_request(response, request) -> None:
	"""after_request (hooks.py): a 405 says which methods the operation takes (RFC 9110 `Allow`)."""
	allowed = getattr(frappe.local, "oms_allowed_http_methods", None)
	if allowed and response is not None and response.status_code == 405:
		response.headers["Allow"] = allowed


def resolved(dotted: str):
	"""The function a request names, or None (Frappe answers an unknown method itself)."""
	try:
		return frappe.get_attr(dotted)
	except Exception:
		return None
