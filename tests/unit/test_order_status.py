from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oms_omnichannel.core.errors import InvalidTransition
from oms_omnichannel.core.order_status import (
	ALLOWED_TRANSITIONS,
	INDICATOR_COLOURS,
	TERMINAL_STATUSES,
	ActionRefused,
	LineProgress,
	OrderAction,
	OrderStatus,
	allowed_actions,
	allowed_next,
	can,
	can_transition,
	check_action,
	fulfilment_status,
	statuses_allowing,
	steps_to,
	transition,
)

S = OrderStatus

HAPPY_PATH = [S.DRAFT, S.PENDING, S.PROCESSING, S.PARTIALLY_SHIPPED, S.SHIPPED, S.COMPLETED]


def test_happy_path_is_allowed_step_by_step():
	for current, target in pairwise(HAPPY_PATH):
		assert transition(current, target).to_status == target


@pytest.mark.parametrize("status", [S.PENDING, S.PROCESSING])
def test_hold_and_back_and_cancel(status):
	assert can_transition(status, S.ON_HOLD)
	assert can_transition(S.ON_HOLD, status)
	assert can_transition(status, S.CANCELLED)


def test_only_orders_not_yet_shipping_merge():
	assert can_transition(S.PENDING, S.MERGED)
	assert can_transition(S.PROCESSING, S.MERGED)
	assert not can_transition(S.PARTIALLY_SHIPPED, S.MERGED)


@pytest.mark.parametrize("status", [S.COMPLETED, S.CANCELLED, S.MERGED])
def test_terminal_statuses_go_nowhere(status):
	assert status in TERMINAL_STATUSES
	assert allowed_next(status) == frozenset()
	with pytest.raises(InvalidTransition):
		transition(status, S.PENDING)


def test_forbidden_transition_names_both_statuses():
	with pytest.raises(InvalidTransition) as raised:
		transition("Shipped", "Pending")
	message = str(raised.value)
	assert "from Shipped to Pending" in message
	assert "Completed" in message  # what would have been allowed
	assert raised.value.field == "status"


def test_unknown_status_is_refused_by_name():
	with pytest.raises(InvalidTransition, match="Unknown order status Teleported"):
		transition("Pending", "Teleported")


def test_cannot_cancel_after_shipping():
	for status in (S.PARTIALLY_SHIPPED, S.SHIPPED, S.COMPLETED):
		assert not can_transition(status, S.CANCELLED)


def test_every_status_has_a_colour_and_a_row():
	assert set(INDICATOR_COLOURS) == set(OrderStatus) == set(ALLOWED_TRANSITIONS)


@given(st.sampled_from(list(OrderStatus)), st.sampled_from(list(OrderStatus)))
def test_transition_agrees_with_table(current, target):
	if target in ALLOWED_TRANSITIONS[current]:
		assert transition(current, target).from_status == current
	else:
		with pytest.raises(InvalidTransition):
			transition(current, target)


def test_every_non_terminal_status_can_reach_a_terminal_one():
	for start in OrderStatus:
		seen, frontier = {start}, [start]
		while frontier:
			for nxt in ALLOWED_TRANSITIONS[frontier.pop()]:
				if nxt not in seen:
					seen.add(nxt)
					frontier.append(nxt)
		assert seen & TERMINAL_STATUSES, start


@pytest.mark.parametrize(
	"lines, expected",
	[
		([LineProgress(ordered=2)], S.PENDING),
		([LineProgress(ordered=2, reserved=1)], S.PENDING),
		([LineProgress(ordered=2, reserved=2)], S.PROCESSING),
		([LineProgress(ordered=2, reserved=1, shipped=1)], S.PARTIALLY_SHIPPED),
		([LineProgress(ordered=2, shipped=2), LineProgress(ordered=1, reserved=1)], S.PARTIALLY_SHIPPED),
		([LineProgress(ordered=2, shipped=2), LineProgress(ordered=1, shipped=1)], S.SHIPPED),
		([LineProgress(ordered=2, shipped=2, delivered=2)], S.COMPLETED),
		([LineProgress(ordered=2, shipped=1, delivered=1, cancelled=1)], S.COMPLETED),
		([LineProgress(ordered=2, cancelled=2), LineProgress(ordered=1, reserved=1)], S.PROCESSING),
		([], S.PENDING),
	],
)
def test_fulfilment_status_from_quantities(lines, expected):
	assert fulfilment_status(lines) == expected


@pytest.mark.parametrize(
	"current, target, expected",
	[
		(S.PROCESSING, S.PROCESSING, []),
		(S.PENDING, S.PROCESSING, [S.PROCESSING]),
		(S.PROCESSING, S.COMPLETED, [S.SHIPPED, S.COMPLETED]),
		(S.PENDING, S.COMPLETED, [S.PROCESSING, S.SHIPPED, S.COMPLETED]),
		(S.PARTIALLY_SHIPPED, S.COMPLETED, [S.SHIPPED, S.COMPLETED]),
		(S.PROCESSING, S.PENDING, [S.PENDING]),
	],
)
def test_steps_to_walks_the_shortest_allowed_chain(current, target, expected):
	assert steps_to(current, target) == expected


def test_steps_to_refuses_going_backwards_from_the_end():
	with pytest.raises(InvalidTransition, match="from Completed to Pending"):
		steps_to(S.COMPLETED, S.PENDING)


# The statuses each action allows, written out by hand: changing the machine in a way that lets
# an action through somewhere new (or stops it) must fail here, not pass silently.
ACTIONS_BY_STATUS = {
	S.DRAFT: set(),
	S.PENDING: {"hold", "modify", "cancel", "merge", "split"},
	S.PROCESSING: {"hold", "modify", "cancel", "merge", "split", "ship"},
	S.PARTIALLY_SHIPPED: {"hold", "ship"},
	S.SHIPPED: set(),
	S.COMPLETED: set(),
	S.ON_HOLD: {"hold", "release", "modify", "cancel", "merge", "split"},
	S.CANCELLED: set(),
	S.MERGED: set(),
}


@pytest.mark.parametrize("status", list(OrderStatus))
def test_actions_allowed_per_status_are_pinned(status):
	assert set(allowed_actions(status)) == ACTIONS_BY_STATUS[status]


@pytest.mark.parametrize("status", [S.PENDING, S.PROCESSING, S.ON_HOLD])
def test_nothing_that_has_shipped_is_cancelled_modified_split_or_merged(status):
	for action in ("cancel", "modify", "split", "merge"):
		assert not can(action, status, shipped=True)
	assert can("hold", status, shipped=True)


def test_statuses_allowing_is_the_union_of_can():
	assert statuses_allowing("hold") == {S.PENDING, S.PROCESSING, S.PARTIALLY_SHIPPED, S.ON_HOLD}
	assert statuses_allowing("ship") == {S.PROCESSING, S.PARTIALLY_SHIPPED}
	assert statuses_allowing(OrderAction.CANCEL) == {S.PENDING, S.PROCESSING, S.ON_HOLD}


def test_unknown_action_is_refused():
	with pytest.raises(ValueError):
		can("teleport", S.PENDING)


# The machine written out by hand (DESIGN.md's order status machine): any change to
# ALLOWED_TRANSITIONS, such as letting On Hold go straight to Shipped, must be made here too.
EXPECTED_TRANSITIONS = {
	"Draft": {"Pending"},
	"Pending": {"Processing", "On Hold", "Cancelled", "Merged"},
	"Processing": {"Pending", "Partially Shipped", "Shipped", "On Hold", "Cancelled", "Merged"},
	"Partially Shipped": {"Shipped", "On Hold", "Processing"},
	"Shipped": {"Completed", "Partially Shipped", "Processing"},
	"On Hold": {"Pending", "Processing", "Partially Shipped", "Cancelled"},
	"Completed": set(),
	"Cancelled": set(),
	"Merged": set(),
}


def test_transition_table_is_pinned():
	assert {s.value: {t.value for t in nxt} for s, nxt in ALLOWED_TRANSITIONS.items()} == EXPECTED_TRANSITIONS


@pytest.mark.parametrize(
	"source, target",
	[(s, t) for s in EXPECTED_TRANSITIONS for t in EXPECTED_TRANSITIONS if t not in EXPECTED_TRANSITIONS[s]],
)
def test_every_transition_outside_the_table_is_refused(source, target):
	if source == target:
		return  # staying put is not a transition
	with pytest.raises(InvalidTransition):
		transition(source, target)


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize("shipped", [False, True])
def test_check_action_refuses_exactly_what_can_refuses(status, shipped):
	for action in OrderAction:
		if can(action, status, shipped=shipped):
			check_action(action, status, "ORD-1", shipped=shipped)
		else:
			with pytest.raises(ActionRefused) as refusal:
				check_action(action, status, "ORD-1", shipped=shipped)
			assert refusal.value.field == "status"
			assert refusal.value.message.startswith(f"Cannot {action.value} ORD-1: it ")


@pytest.mark.parametrize(
	"action, status, shipped, message",
	[
		("hold", S.SHIPPED, False, "Cannot hold ORD-1: it is already Shipped"),
		("cancel", S.PARTIALLY_SHIPPED, True, "Cannot cancel ORD-1: it is already Partially Shipped"),
		("modify", S.ON_HOLD, True, "Cannot modify ORD-1: it is On Hold and part of it has already shipped"),
		("ship", S.PENDING, False, "Cannot ship ORD-1: it is Pending"),
		("ship", S.DRAFT, False, "Cannot ship ORD-1: it has not been submitted"),
	],
)
def test_check_action_names_the_status(action, status, shipped, message):
	with pytest.raises(ActionRefused, match=f"^{message}$"):
		check_action(action, status, "ORD-1", shipped=shipped)


def test_a_partially_shipped_order_can_be_held_and_released_back():
	assert can("hold", S.PARTIALLY_SHIPPED, shipped=True)
	assert can_transition(S.PARTIALLY_SHIPPED, S.ON_HOLD)
	assert can("release", S.ON_HOLD, shipped=True)
	assert can_transition(S.ON_HOLD, S.PARTIALLY_SHIPPED)
	assert not can("cancel", S.ON_HOLD, shipped=True)
