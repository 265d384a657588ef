"""Which KPI a table or slide chart holds, from its caption and column headers.

Small keyword tables, folded and matched against a block's caption, its column header or chart
title, and the text before it; never the document's name or line numbers. The table readers and
the chart reader both decide with these rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from .normalise import fold


@dataclass(frozen=True)
class KpiRule:
    kpi_code: str
    unit: str
    caption_any: tuple[str, ...]  # one of these in the caption (or chart title)
    subject_any: tuple[str, ...]  # one of these in the column header / title (empty: any)
    context_any: tuple[str, ...] = ()  # one of these in the text before the block (empty: any)


_FIRST_VISIT = ("förstabesök", "nybesök", "första besök")
_TREATMENT = ("åtgärd", "operation", "behandling")

TABLE_RULES = (
    KpiRule("waiting_over_90_days_first_visit_count", "count", ("längre än 90",), _FIRST_VISIT),
    KpiRule("waiting_over_90_days_treatment_count", "count", ("längre än 90",), _TREATMENT),
    KpiRule("care_guarantee_first_visit_pct", "percent", ("inom 90", "vårdgaranti"), _FIRST_VISIT),
    KpiRule("care_guarantee_treatment_pct", "percent", ("inom 90", "vårdgaranti"), _TREATMENT),
)

# Month tables: (share column KPI, count column KPI); the subject word goes to the breakdown.
MONTH_TABLE_RULES = (
    KpiRule("bup_first_visit_30_days_pct", "percent", ("inom 30",), _FIRST_VISIT, ("barn och ungdomspsykiatri", "bup")),
    KpiRule("bup_treatment_30_days_pct", "percent", ("inom 30",), _TREATMENT, ("barn och ungdomspsykiatri", "bup")),
)
MONTH_COUNT_RULES = (
    KpiRule(
        "bup_waiting_count", "count", ("totalt väntande", "antal väntande"), (), ("barn och ungdomspsykiatri", "bup")
    ),
)

CHART_RULES = (
    KpiRule("share_waiting_over_90_days_pct", "percent", ("längre än 90",), ("andel",)),
    KpiRule("care_guarantee_first_visit_pct", "percent", ("vårdgaranti", "inom 90"), _FIRST_VISIT),
    KpiRule("care_guarantee_treatment_pct", "percent", ("vårdgaranti", "inom 90"), _TREATMENT),
    KpiRule("medical_assessment_3_days_pct", "percent", ("medicinsk bedömning",), ()),
    KpiRule("phone_same_day_pct", "percent", ("samma dag",), ("telefon", "samtal")),
)


_UNIT_SUFFIXES = ("_count", "_pct", "_mnkr", "_days", "_index")


def measure_for(kpi_code: str) -> str:
    """The measure a table or chart column states: its KPI rule names exactly one, so the
    KPI code without its unit suffix ('waiting_over_90_days_first_visit')."""
    for suffix in _UNIT_SUFFIXES:
        if kpi_code.endswith(suffix):
            return kpi_code[: -len(suffix)]
    return kpi_code


def match_rule(rules, caption: str, subject: str, context: str = "") -> KpiRule | None:
    caption, subject, context = fold(caption), fold(subject), fold(context)
    for rule in rules:
        if not any(fold(word) in caption for word in rule.caption_any):
            continue
        if rule.subject_any and not any(fold(word) in subject for word in rule.subject_any):
            continue
        if rule.context_any and not any(fold(word) in context for word in rule.context_any):
            continue
        return rule
    return None


def subject_word(text: str) -> str | None:
    """'förstabesök' or 'behandling'/'åtgärd' as written in a caption, lower case."""
    folded = fold(text)
    for word in _FIRST_VISIT + _TREATMENT:
        if fold(word) in folded:
            return word
    return None


def is_upper_heading(text: str) -> bool:
    """A table title or chart title in capitals ('FÖRSTABESÖK - MÅLUPPFYLLELSE VÅRDGARANTI')."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
