"""Names and display money beside codes: one rule for every response."""

from __future__ import annotations

from app.taxonomy.display import amount_text, area_name, benefit_names, education_name, salary_text


def test_money_and_names() -> None:
    assert salary_text(600_000, 800_000, "month") == "6000-8000元/月"
    assert salary_text(21_000, 21_000, "day") == "210元/天"
    assert salary_text(None, None, "month") == salary_text(None, None, None) == "面议"
    assert amount_text(300_000) == "3,000元"
    assert amount_text(123_450) == "1,234.50元"
    assert amount_text(5) == "0.05元"
    assert amount_text(None) is None
    assert area_name("jiaotong") == "交通街道" and area_name("nowhere") is None
    assert benefit_names(["social_insurance_fund", "retired_code"]) == ["五险一金"]
    assert education_name("associate") == "大专" and education_name(None) is None
