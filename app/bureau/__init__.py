"""The bureau's own work: the plan's targets and measures, 月调度/季通报 reports, supply–demand
analysis with the shortage-occupation catalogue, the vacancy list (岗位清单) and list exports."""
