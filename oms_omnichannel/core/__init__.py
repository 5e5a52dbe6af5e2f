"""Pure domain logic of OMS Omnichannel.

Nothing in this package imports frappe: plain data in, decisions out. The Frappe side
(controllers, services, API) gathers data, calls in here and persists the result, so every
business rule lives in exactly one place and is tested by plain pytest (tier 1).
"""
