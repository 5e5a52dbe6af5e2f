from datetime import datetime, timedelta

import pytest

from oms_omnichannel.core.errors import ValidationFailed
from oms_omnichannel.core.shipment_status import applies

NOW = datetime(2026, 11, 25, 12, 0)


@pytest.mark.parametrize(
	"current, reported, expected",
	[
		("Created", "In Transit", True),
		("In Transit", "Out for Delivery", True),
		("Out for Delivery", "Failed Attempt", True),
		("Failed Attempt", "Out for Delivery", True),
		("Out for Delivery", "Delivered", True),
		("In Transit", "Packed", False),  # backwards
		("Delivered", "In Transit", False),  # final
		("In Transit", "In Transit", False),  # no change
		("In Transit", "Picked Up", False),  # only from the store shelf
		("Ready for Pickup", "Picked Up", True),
	],
)
def test_forward_moves_only(current, reported, expected):
	assert applies(current, reported, NOW, NOW - timedelta(minutes=1)) is expected


def test_an_older_report_never_moves_the_status():
	assert not applies("In Transit", "Delivered", NOW - timedelta(hours=1), NOW)


def test_unknown_status_is_refused_naming_it():
	with pytest.raises(ValidationFailed, match="Unknown shipment status Lost") as raised:
		applies("Created", "Lost", NOW, None)
	assert raised.value.field == "status"
