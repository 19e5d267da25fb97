"""Money: integer fen, Decimal arithmetic, one explicit rounding rule.

Every arithmetic line a rule records (for example ``2270 × 70% × 3 个月 = 4767.00``) is computed
in ``Decimal`` from yuan values and rounded **once, at the end of that line, to the fen, with
ROUND_HALF_UP**. Sums of lines add already rounded fen, so a total always equals the sum of the
lines a reviewer sees. Floats never appear.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN_PER_YUAN = 100
_CENT = Decimal("0.01")


def to_fen(yuan: Decimal) -> int:
    """Yuan (any precision) to integer fen, rounded half up."""
    return int(yuan.quantize(_CENT, rounding=ROUND_HALF_UP) * FEN_PER_YUAN)


def fen_text(fen: int) -> str:
    """Integer fen as yuan with two decimals: 476700 -> '4767.00'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}.{cents:02d}"


def num_text(value: Decimal) -> str:
    """A parameter value without trailing zeros: Decimal('2270.00') -> '2270'."""
    text = format(value.normalize(), "f")
    return text


def pct_text(ratio: Decimal) -> str:
    """A ratio as a percentage: Decimal('0.70') -> '70%'."""
    return f"{num_text(ratio * 100)}%"


def multiply(*factors: Decimal) -> int:
    """The product of yuan-valued factors, rounded once to fen."""
    product = Decimal(1)
    for factor in factors:
        product *= factor
    return to_fen(product)


def sum_step(parts: list[int]) -> str:
    """'a + b + c = total' in yuan for a list of fen amounts (one part: just the amount)."""
    total = fen_text(sum(parts))
    if len(parts) == 1:
        return total
    return " + ".join(fen_text(part) for part in parts) + f" = {total}"
