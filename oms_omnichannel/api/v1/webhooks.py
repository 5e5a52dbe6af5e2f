"""Webhooks of shop platforms (see api/openapi.json and channels/connectors/webhooks.py).

POST /api/method/oms_omnichannel.api.v1.webhooks.shopify?channel=<Sales Channel>
POST /api/method/oms_omnichannel.api.v1.webhooks.woocommerce?channel=<Sales Channel>

Guests may call them because the platform has no Frappe login: each verifies the body's
HMAC-SHA256 signature with the channel's webhook secret (`hmac.compare_digest`) before it reads
the payload, and refuses a missing or wrong one with 401. The channel comes from the query
string, never from the body (Frappe puts a JSON body's keys into the form arguments).
"""

from __future__ import annotations

import frappe

from oms_omnichannel.core.connectors import SHOPIFY, WOOCOMMERCE


@frappe.whitelist(allow_guest=True, methods=["POST"])
def shopify() -> dict:
	"""orders/create, orders/updated, orders/cancelled, refunds/create (X-Shopify-Topic)."""
	from oms_omnichannel.channels.connectors.webhooks import receive

	return receive(SHOPIFY)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def woocommerce() -> dict:
	"""order.created, order.updated (X-WC-Webhook-Topic)."""
	from oms_omnichannel.channels.connectors.webhooks import receive

	return receive(WOOCOMMERCE)
