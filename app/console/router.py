"""Every console router, for ``app.main`` to include."""

from __future__ import annotations

from fastapi import APIRouter

from app.console import (
    admin,
    complaints,
    employers,
    events,
    ledger,
    pages,
    postings,
    shortage,
    stations,
    statistics,
    subsidies,
    training,
    vacancies,
)


def console_routers() -> list[APIRouter]:
    # subsidies before pages: /console/subsidies/awards is literal, /{id} a template
    return [
        pages.router,
        subsidies.router,
        stations.router,
        events.router,
        employers.router,
        postings.router,
        complaints.router,
        training.router,
        shortage.router,
        statistics.router,
        ledger.router,
        vacancies.router,
        admin.router,
    ]
