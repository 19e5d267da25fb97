"""Policies (政策清单 and the calculator): the catalogue of the district plan and its rules engine.

- ``app.policies.catalogue``: every policy of the plan as typed data, with filters.
- ``app.policies.engine``: the pure rules engine (``evaluate``); see its docstring.
"""
