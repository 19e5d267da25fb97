"""The ledger of earlier approved awards, passed in as data (the engine reads no database).

The caller passes every approved award that can matter to one evaluation: the subject's own
awards (for caps and once-only rules) and, for awards about people (a referred worker, an intern,
a trainee), the awards about those people from other recipients (so nobody is paid twice).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class LedgerEntry(BaseModel):
    """One approved award."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    policy_code: str = Field(examples=["hr-agency-referral"])
    recipient_key: str = Field(description="key of who was paid (organisation or person)")
    person_key: str | None = Field(
        default=None,
        description="the person the award is about (referred worker, intern, trainee, the "
        "recipient person); None for awards about an organisation as such",
    )
    item_key: str | None = Field(
        default=None, description="what was awarded for, e.g. a competition or course key"
    )
    amount_fen: int = Field(ge=0)
    year: int = Field(description="the year the award counts toward for yearly caps")
    awarded_on: date = Field(description="approval date")
    quantity: int = Field(default=1, ge=0, description="months for monthly awards, else 1")


class Ledger(BaseModel):
    """Earlier approved awards."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entries: tuple[LedgerEntry, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def for_recipient(self, recipient_key: str | None, codes: Collection[str]) -> list[LedgerEntry]:
        """Awards of `codes` paid to `recipient_key`."""
        return [
            e for e in self.entries if e.recipient_key == recipient_key and e.policy_code in codes
        ]

    def about_person(self, person_key: str, codes: Collection[str]) -> list[LedgerEntry]:
        """Awards of `codes` about `person_key`, whoever was paid."""
        return [e for e in self.entries if e.person_key == person_key and e.policy_code in codes]

    def paid_in_year(self, recipient_key: str | None, codes: Collection[str], year: int) -> int:
        """Total fen of `codes` paid to `recipient_key` counting toward `year`."""
        return sum(e.amount_fen for e in self.for_recipient(recipient_key, codes) if e.year == year)


EMPTY_LEDGER = Ledger()
