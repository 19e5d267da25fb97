"""Months, quarters and years on the Beijing calendar, and the instants that bound them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from app.core.clock import local_date, local_midnight
from app.core.errors import ValidationFailed

MONTH_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"
QUARTER_PATTERN = r"^20\d{2}-Q[1-4]$"


class PeriodInvalid(ValidationFailed):
    code = "bureau.period_invalid"
    message = "月份应为 YYYY-MM，季度应为 YYYY-Qn"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        if not re.match(MONTH_PATTERN, text):
            raise PeriodInvalid(details={"value": text})
        return cls(int(text[:4]), int(text[5:]))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def containing(cls, at: datetime) -> Month:
        return cls.of(local_date(at))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def end_day(self) -> date:
        """The first day after the month."""
        return self.shift(1).first_day

    @property
    def start(self) -> datetime:
        return local_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        return local_midnight(self.end_day)


@dataclass(frozen=True)
class Period:
    """A run of whole months [first, last] (a month, a quarter, a year to date)."""

    first: Month
    last: Month
    label: str = ""

    @classmethod
    def quarter(cls, text: str) -> Period:
        if not re.match(QUARTER_PATTERN, text):
            raise PeriodInvalid(details={"value": text})
        year, q = int(text[:4]), int(text[-1])
        return cls(Month(year, 3 * q - 2), Month(year, 3 * q), text)

    @classmethod
    def quarter_of(cls, month: Month) -> Period:
        """The quarter ``month`` falls in."""
        return cls.quarter(f"{month.year}-Q{(month.month - 1) // 3 + 1}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(Month(year, 1), Month(year, 12), str(year))

    @property
    def months(self) -> list[Month]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [self.first.shift(i) for i in range(count + 1)]

    @property
    def start(self) -> datetime:
        return self.first.start

    @property
    def end(self) -> datetime:
        return self.last.end

    @property
    def first_day(self) -> date:
        return self.first.first_day

    @property
    def end_day(self) -> date:
        return self.last.end_day
