"""一网可查: the policy catalogue (政策清单) and the subsidy calculator."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Path, Query, Request

from app.core.clock import ClockDep, local_date
from app.core.db import SessionDep
from app.core.pagination import Page
from app.core.routing import APIRouter
from app.identity.dependencies import OptionalUser
from app.policies import service
from app.policies.catalogue import Audience, load_catalogue
from app.policies.ports import LedgerReader
from app.policies.schemas import (
    EVALUATE_EXAMPLES,
    EvaluateRequest,
    EvaluationRead,
    PolicyListItem,
    PolicyRead,
    PolicySource,
    policy_list_item,
)
from app.policies.summary import Detail, EvaluationSummary, summarise

router = APIRouter(prefix="/api/v1/policies", tags=["policies"])


def _ledger_reader(request: Request) -> LedgerReader:
    """The subsidies domain's award ledger, wired by ``app.main`` (policies may not import it)."""
    reader: LedgerReader = request.app.state.ledger_reader
    return reader


CodePath = Annotated[
    str,
    Path(max_length=60, pattern=r"^[a-z0-9-]+$", description="政策代码", examples=["internship"]),
]


@router.get("", response_model=Page[PolicyListItem], summary="政策清单")
async def list_policies(
    keyword: Annotated[
        str | None, Query(max_length=50, description="中文关键词，如 见习、毕业生 补贴")
    ] = None,
    audience: Annotated[
        Audience | None, Query(description="适用对象，如 graduate 高校毕业生、hr_agency")
    ] = None,
    computable: Annotated[
        bool | None, Query(description="true：只看可测算、可在线申请的补贴")
    ] = None,
    include_general: Annotated[
        bool, Query(description="按对象筛选时是否包含面向所有人的政策")
    ] = True,
) -> Page[PolicyListItem]:
    """Every policy of the district plan (about 50), in the plan's order: computable subsidies
    first, then informational policies (tax and rent reductions, guaranteed loans, …).

    `keyword` matches Chinese text as a substring or by words (jieba: `毕业生 补贴` finds policies
    that mention both). `audience` keeps policies for that group plus those open to everyone
    (unless `include_general=false`). The list is small, so it comes whole: `next_cursor` is
    always null. No login needed.
    """
    found = service.search(
        keyword=keyword, audience=audience, computable=computable, include_general=include_general
    )
    return Page(items=[policy_list_item(p) for p in found], next_cursor=None)


@router.get("/{code}", response_model=PolicyRead, summary="政策详情")
async def get_policy(code: CodePath) -> PolicyRead:
    """One policy: conditions, amount, materials, how to apply, the clause's own words, and the
    就高不重复 group it belongs to. Unknown code → 404 `policy.not_found`."""
    policy = service.get_policy(code)
    group = load_catalogue().group(policy.exclusion_group)
    return PolicyRead(
        **policy_list_item(policy).model_dump(),
        conditions=list(policy.conditions),
        materials=list(policy.materials),
        how_to_apply=policy.how_to_apply,
        valid_from=policy.valid_from,
        source=PolicySource(**policy.source.model_dump()),
        exclusion_group=policy.exclusion_group,
        exclusion_group_title=group.title if group else None,
        exclusion_group_policies=list(group.policy_codes) if group else [],
        once_per_beneficiary=policy.once_per_beneficiary,
    )


@router.post("/evaluate", response_model=EvaluationSummary | EvaluationRead, summary="补贴计算器")
async def evaluate_policies(
    body: Annotated[EvaluateRequest, Body(openapi_examples=EVALUATE_EXAMPLES)],
    user: OptionalUser,
    session: SessionDep,
    clock: ClockDep,
    load_ledger: Annotated[LedgerReader, Depends(_ledger_reader)],
    detail: Annotated[
        Detail, Query(description="summary：每项政策一句话（默认）；full：含完整测算过程")
    ] = "summary",
) -> EvaluationSummary | EvaluationRead:
    """Which subsidies can this person or organisation get, how much, and why — for every
    computable policy (or only `policy_codes`). No login needed for a hypothetical check.

    Send `person` and/or `organisation` facts (see the examples: a graduate, an HR agency).
    Unknown facts may be left out: the policy then answers `needs_review` and lists what is
    `missing`, never `ineligible`. Outcomes come fastest first to read: `eligible` (highest
    `amount_fen` first), then `needs_review`, then `ineligible` with every unmet condition in
    `reasons`. `superseded_by` and `exclusions` show 就高不重复 (only the highest of similar
    policies is paid).

    By default (`detail=summary`, a few KB) each outcome is one line: amount, one Chinese sentence
    (`explanation`), what is `missing`, `notes`. With `detail=full` each outcome also carries its
    `record` (every check, parameter and arithmetic step), with `exclusions` and the `facts` used:
    ask for it only when the user opens "how was this computed". The two answers differ in
    `detail`.

    Logged in, the service fills in what it already knows and lists it in `known_facts` with the
    source: birth date and sex from your real-name ID, hires recorded through this service, your
    resume's education; with `employer_id` (a unit you are a member of) its kind, SME status and
    interns. Your (or your unit's) earlier approved awards are then compared too (once-only
    rules, yearly caps).
    """
    today = local_date(clock())
    full = await service.calculate(session, user, body, today, load_ledger)
    return full if detail == "full" else summarise(full)
