from datetime import datetime, timedelta

import pytest

from oms_omnichannel.core import feedback as fb
from oms_omnichannel.core.errors import InvalidTransition, ValidationFailed

OPENED = datetime(2026, 11, 20, 9, 0)


@pytest.mark.parametrize(
	"value, feedback_type, expected",
	[(1, "Review", 1), (5, "Review", 5), ("4", "Suggestion", 4), (None, "Complaint", 0), (3, "Complaint", 3)],
)
def test_ratings_from_one_to_five(value, feedback_type, expected):
	assert fb.as_rating(value, feedback_type) == expected


@pytest.mark.parametrize(
	"value, feedback_type",
	[
		(7, "Review"),
		(0, "Review"),
		(None, "Suggestion"),
		(-1, "Complaint"),
		(4.5, "Review"),
		("x", "Review"),
		(True, "Review"),
	],
)
def test_bad_ratings_name_the_field(value, feedback_type):
	with pytest.raises(ValidationFailed) as error:
		fb.as_rating(value, feedback_type)
	assert error.value.field == "rating"
	assert error.value.message.startswith("rating:")


def test_complaints_need_a_category_and_only_complaints_have_one():
	assert fb.as_complaint_category("Damaged", "Complaint") == "Damaged"
	assert fb.as_complaint_category("", "Review") is None
	for value, feedback_type in (("", "Complaint"), ("Broken", "Complaint"), ("Damaged", "Review")):
		with pytest.raises(ValidationFailed) as error:
			fb.as_complaint_category(value, feedback_type)
		assert error.value.field == "complaint_category"


def test_unknown_feedback_type_is_refused():
	with pytest.raises(ValidationFailed) as error:
		fb.as_feedback_type("Praise")
	assert error.value.field == "feedback_type"


@pytest.mark.parametrize(
	"before, after",
	[
		(None, "Open"),
		("Open", "In Progress"),
		("Open", "Resolved"),
		("In Progress", "Resolved"),
		("In Progress", "Rejected"),
		("Resolved", "Resolved"),  # saving again without a change
	],
)
def test_allowed_moves(before, after):
	fb.check_status(before, after, "Refunded the shipping fee")


@pytest.mark.parametrize(
	"before, after",
	[("Resolved", "Open"), ("Rejected", "In Progress"), ("In Progress", "Open"), ("Resolved", "Rejected")],
)
def test_closed_feedback_stays_closed_and_nothing_goes_back(before, after):
	with pytest.raises(InvalidTransition) as error:
		fb.check_status(before, after, "done")
	assert error.value.field == "status"


@pytest.mark.parametrize("after", ["Resolved", "Rejected"])
def test_closing_needs_a_resolution(after):
	for resolution in (None, "", "   "):
		with pytest.raises(ValidationFailed) as error:
			fb.check_status("In Progress", after, resolution)
		assert error.value.field == "resolution"


def test_unknown_status_is_refused():
	with pytest.raises(ValidationFailed) as error:
		fb.check_status("Open", "Closed", "x")
	assert error.value.field == "status"


def test_next_statuses_follow_the_machine():
	assert fb.allowed_next("Open") == ["In Progress", "Resolved", "Rejected"]
	assert fb.allowed_next("In Progress") == ["Resolved", "Rejected"]
	assert fb.allowed_next("Resolved") == []


def test_only_complaints_are_due_and_overdue_while_open():
	due = fb.due_by(OPENED, "Complaint", 48)
	assert due == OPENED + timedelta(hours=48)
	assert fb.due_by(OPENED, "Review", 48) is None
	assert fb.due_by(OPENED, "Complaint", 0) is None
	assert not fb.is_overdue("Open", due, due)
	assert fb.is_overdue("In Progress", due, due + timedelta(minutes=1))
	assert not fb.is_overdue("Resolved", due, due + timedelta(days=3))
	assert not fb.is_overdue("Open", None, due + timedelta(days=3))


def test_time_to_resolve_in_hours():
	assert fb.hours_between(OPENED, OPENED + timedelta(hours=26, minutes=30)) == 26.5


def test_feedback_for_another_channels_order_names_the_order():
	fb.check_order_channel("ORD-1", "Web", "Web")
	fb.check_order_channel("ORD-1", "Web", None)
	with pytest.raises(ValidationFailed) as error:
		fb.check_order_channel("ORD-1", "Web", "Marketplace")
	assert error.value.field == "order"


def test_a_complaint_suggests_the_return_reason_and_condition():
	assert fb.return_reason("Damaged") == "Damaged in Transit"
	assert fb.return_reason("Service") == "Other"
	assert fb.returned_condition("Damaged") == "Damaged"
	assert fb.returned_condition("Wrong Item") == "Resellable"
