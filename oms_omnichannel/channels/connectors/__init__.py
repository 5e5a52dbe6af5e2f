"""Shop platform connectors, the Frappe side: a channel's `platform` (Sales Channel) chooses one.

- `webhooks`: the platform's signed webhooks become our intake call (the REST API's), our
  cancellation or a Return Request; every one lands in the Intake Log.
- `stock`: available-to-promise changes (Channel Stock Update) are pushed to the platform.
- `fulfilment`: submitted or tracked shipments are reported to the platform.
- `client`: the HTTP calls, with retries and backoff; credentials never leave it.

The mapping itself is pure, in `oms_omnichannel.core.connectors`.
"""

from __future__ import annotations

from urllib.parse import quote

import frappe

from oms_omnichannel.core.connectors import GENERIC, SHOPIFY, WOOCOMMERCE, shopify, woocommerce

ADAPTERS = {SHOPIFY: shopify, WOOCOMMERCE: woocommerce}
ENDPOINTS = {SHOPIFY: "shopify", WOOCOMMERCE: "woocommerce"}


def platform_of(channel: str) -> str:
	return frappe.get_cached_value("Sales Channel", channel, "platform") or GENERIC


def is_connected(channel: str) -> bool:
	return platform_of(channel) in ADAPTERS


def webhook_path(platform: str, channel: str) -> str:
	return f"/api/method/oms_omnichannel.api.v1.webhooks.{ENDPOINTS[platform]}?channel={quote(channel)}"


def webhook_url(platform: str, channel: str) -> str | None:
	"""Where the platform's webhooks go for this channel (shown on the channel form)."""
	if platform not in ENDPOINTS:
		return None
	return frappe.utils.get_url(webhook_path(platform, channel))
