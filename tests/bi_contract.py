"""The BI view's contract as the tests check it."""

# docs/bi_contract.md, "The BI view": these columns first, in this order
CONTRACT_COLUMNS = [
    "document",
    "kpi_code",
    "kpi_name_sv",
    "org_unit_code",
    "org_unit_name",
    "region_code",
    "period_start",
    "period_end",
    "period_type",
    "scenario",
    "breakdown",
    "value",
    "unit",
    "is_approximate",
    "source_line",
    "source_text",
    "extraction_method",
]
