"""Order intake from channels: validate, map SKUs, find the customer, create and submit the
order — once per channel order id, however often or concurrently it is sent.

Every order sent gets an Intake Log with its payload and outcome; failed ones can be replayed.

`request` holds the entry points (a request body, one payload, a replay); `orders` takes the
orders of a request together (validated in memory, written at once); `building` makes one OMS
Order from a parsed payload; `context` reads what a batch needs from the database once; `logs`
writes the Intake Logs and each order's answer; `batches` queues large batches for a background
job. Customer matching is `oms_omnichannel.customers.identity`.
"""

from oms_omnichannel.channels.intake.batches import (
	process_batch,
	queue_batch,
	resume_batch,
	resume_stalled_batches,
)
from oms_omnichannel.channels.intake.errors import IntakeRefused, OrderRefused
from oms_omnichannel.channels.intake.orders import process_orders
from oms_omnichannel.channels.intake.request import ingest, process_one, replay

__all__ = [
	"IntakeRefused",
	"OrderRefused",
	"ingest",
	"process_batch",
	"process_one",
	"process_orders",
	"queue_batch",
	"replay",
	"resume_batch",
	"resume_stalled_batches",
]
