"""Sourcing: which stock location ships which order line, and why.

A plan is chosen by comparing candidate plans on, in this order:

1. units left unfilled (fewer first: shipping the order beats any saving),
2. shipments (locations used; fewer first: each one is a parcel, a label and a pick),
3. shipments from locations no sourcing rule prefers,
4. shipments from locations without coordinates (their distance is unknown),
5. total haversine distance in km from the shipping locations to the destination,
6. sum of location priorities (lower numbers are preferred, as on Stock Location),
7. location names, so that the same input always gives the same plan.

Search: when at most EXACT_LIMIT locations are eligible (can ship, or are the pickup location;
allowed by the rules; hold stock of an ordered item), every subset is tried in order of size
and the search stops at the first size that reaches the least unfilled quantity. That is exact
and cheap (2**12 = 4096 subsets at most). Beyond that, a greedy set cover adds one location at a
time, the one giving the best plan, then drops locations that turned out redundant. Within a set
of locations each line takes stock from its best-ranked location first (already shipping this
order, preferred, nearest, priority); never-split lines go first, largest first, each whole to
one location.

Sourcing rules: a rule applies to the order when every condition it sets holds (channel,
postcode prefix, region, order value range) and to the lines of its item category (all lines
when it names none). The allowed lists of the rules applying to a line intersect; their
preferred lists add up; one never-split rule is enough. Self Pickup uses the pickup location
only: what it cannot fill is reported, never shipped from elsewhere.

Explanations are English text, written for the people who check or override the decision.
"""

from oms_omnichannel.core.sourcing.model import (
	EXACT_LIMIT,
	CandidateLocation,
	Delivery,
	DeliveryType,
	OrderLine,
	RejectionReason,
	Resourcing,
	Shipment,
	SourcingPlan,
	SourcingRule,
)
from oms_omnichannel.core.sourcing.rejection import resource_after_rejection
from oms_omnichannel.core.sourcing.search import source

__all__ = [
	"EXACT_LIMIT",
	"CandidateLocation",
	"Delivery",
	"DeliveryType",
	"OrderLine",
	"RejectionReason",
	"Resourcing",
	"Shipment",
	"SourcingPlan",
	"SourcingRule",
	"resource_after_rejection",
	"source",
]
