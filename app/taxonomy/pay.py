"""Pay amounts in fen, and how day and hour pay compare with monthly pay.

The factors are the statutory ones for converting wages (原劳动和社会保障部《关于职工全年月平均工作
时间和工资折算问题的通知》, 劳社部发〔2008〕3号): 21.75 paid working days a month and 8 hours a day,
so 174 hours a month. Piece pay has no fixed period and is never converted.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from app.taxonomy.enums import PayUnit

WORKING_DAYS_PER_MONTH = Decimal("21.75")
WORKING_HOURS_PER_MONTH = WORKING_DAYS_PER_MONTH * 8

_MONTHLY_FACTOR: dict[PayUnit, Decimal] = {
    PayUnit.MONTH: Decimal(1),
    PayUnit.DAY: WORKING_DAYS_PER_MONTH,
    PayUnit.HOUR: WORKING_HOURS_PER_MONTH,
}


def to_monthly_fen(amount_fen: int, unit: PayUnit) -> int | None:
    """The monthly equivalent of ``amount_fen`` per ``unit``; ``None`` for piece pay."""
    factor = _MONTHLY_FACTOR.get(unit)
    if factor is None:
        return None
    return int((Decimal(amount_fen) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_yuan(amount_fen: int) -> str:
    """``123450`` → ``"1234.5"``; whole yuan without decimals (``300000`` → ``"3000"``)."""
    yuan = Decimal(amount_fen) / 100
    text = f"{yuan:.2f}".rstrip("0").rstrip(".")
    return text


def format_amount(amount_fen: int) -> str:
    """An amount of money as a screen shows it: ``300000`` → ``"3,000元"``,
    ``123450`` → ``"1,234.50元"`` (thousands separated; fen only when there are any)."""
    yuan, fen = divmod(amount_fen, 100)
    return f"{yuan:,}元" if fen == 0 else f"{yuan:,}.{fen:02d}元"


def format_pay(min_fen: int | None, max_fen: int | None, unit: PayUnit) -> str:
    """A pay range as a poster or seeker reads it: ``"4000-6000元/月"``, ``"200元/天"``."""
    amounts = [a for a in (min_fen, max_fen) if a is not None]
    if not amounts:
        return "面议"
    low, high = min(amounts), max(amounts)
    if low == high:
        return f"{format_yuan(low)}{unit.label}"
    return f"{format_yuan(low)}-{format_yuan(high)}{unit.label}"
