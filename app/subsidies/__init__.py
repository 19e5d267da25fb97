"""Subsidy applications (一网可办): submission with the engine's decision, review, payout ledger.

- ``service``: submit and resubmit (applicants), reads; ``review``: staff actions;
- ``claims``: from a body to the engine's facts; ``ledger``: awards and the approval locks.
See ``docs/subsidies.md``.
"""
