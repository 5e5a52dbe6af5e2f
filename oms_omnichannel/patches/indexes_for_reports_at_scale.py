"""The indexes the reports use at 1,000,000 orders, on a site migrated from before them: a
DocType's on_doctype_update runs only when its JSON changes. Adding an index that exists is a
no-op."""

from oms_omnichannel.oms_omnichannel.doctype.oms_order import oms_order
from oms_omnichannel.oms_omnichannel.doctype.oms_order_item import oms_order_item
from oms_omnichannel.oms_omnichannel.doctype.oms_shipment import oms_shipment
from oms_omnichannel.oms_omnichannel.doctype.oms_stock_ledger_entry import oms_stock_ledger_entry
from oms_omnichannel.oms_omnichannel.doctype.shipment_tracking_event import shipment_tracking_event


def execute():
	for module in (oms_order, oms_order_item, oms_shipment, oms_stock_ledger_entry, shipment_tracking_event):
		module.on_doctype_update()
