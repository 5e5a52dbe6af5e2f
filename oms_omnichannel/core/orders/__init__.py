"""Order planning: line totals, merge and split plans, return quantities and refunds, hold rules.

Every function here decides; none writes. The Frappe side loads the orders (under row locks),
calls one `plan_*` function, and applies the plan it gets back in one transaction, so a refusal
leaves nothing half-written.

`money` (numbers and rounding), `lines` (lines, orders, totals, validation), `merge`, `split`,
`returns` (returns and refunds) and `holds` (automatic hold rules); import from the submodule.
"""
