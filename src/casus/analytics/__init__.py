"""Analytics over event dicts: :mod:`.series` (counts over time), :mod:`.escalation` (index and alerts),
:mod:`.report` (the situation report; charts in :mod:`.charts`), :mod:`.load` (reading them from the store).

Submodules are imported on use: the report pulls in matplotlib, which the series and alerts do not need.
"""
