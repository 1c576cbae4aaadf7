"""What cmhcost computes: each service against its baseline (compare), the text's claims,
unit costs from budgets, a planner's pilot, and the audit of the data against itself.

Typed results out, for `report` to render; no I/O and no command-line vocabulary.
"""
