"""The gold scorer implements the matching rules of docs/bi_contract.md (gold facts and scoring)."""

from dagster_project.evaluation.score import labels_match, score

GOLD = [
    {
        "document": "d.txt",
        "line": "10",
        "kpi_code": "budget_deviation_mnkr",
        "org_unit": "Ortopedi Ske",
        "period_end": "2022-12-31",
        "scenario": "actual",
        "breakdown": "total",
        "value": "-199",
        "snippet": "",
    },
    {
        "document": "d.txt",
        "line": "20",
        "kpi_code": "sick_leave_pct",
        "org_unit": "Region Västerbotten",
        "period_end": "2022-12-31",
        "scenario": "actual",
        "breakdown": "kvinnor",
        "value": "8.4",
        "snippet": "",
    },
]


def _row(**changes):
    row = {
        "document": "d.txt",
        "source_line": 12,
        "kpi_code": "budget_deviation_mnkr",
        "org_unit_name": "Ortopedi Skellefteå",
        "period_end": "2022-12-31",
        "scenario": "actual",
        "breakdown": "total",
        "value": -199.0,
        "extraction_method": "t",
    }
    row.update(changes)
    return row


def test_labels_match_by_normalisation_and_word_abbreviation():
    assert labels_match("Hand-och plastikkirurgi", "Hand- och plastikkirurgi")
    assert labels_match("Psykiatrisk klinik Sö Lappland", "Psykiatrisk klinik Södra Lappland")
    assert labels_match("Geriatrik Vb", "GERIATRIK VÄSTERBOTTEN")
    assert not labels_match("Region Västerbotten", "Västerbotten")
    assert not labels_match("Ortopedi Umeå", "Ortopedi Skellefteå")


def test_found_within_three_lines_and_strict_fields():
    result = score([_row()], GOLD)
    assert (result.value_found, result.strict_found) == (1, 1)
    assert result.precision == 1.0
    assert score([_row(source_line=14)], GOLD).value_found == 0


def test_a_wrong_field_counts_against_precision_not_value_recall():
    result = score([_row(scenario="forecast", source_line=10), _row(value=5.0, source_line=30)], GOLD)
    assert result.value_found == 1 and result.strict_found == 0
    assert (result.scoped_rows, result.scoped_correct) == (1, 0)
    assert result.strict_recall == 0.0


def test_precision_is_scoped_to_the_labelled_line_itself():
    neighbour = _row(source_line=11, org_unit_name="Ortopedi Umeå")  # next table row, same number
    result = score([_row(source_line=10), neighbour], GOLD)
    assert (result.scoped_rows, result.scoped_correct) == (1, 1)
    wrong_on_line = _row(source_line=10, kpi_code="result_mnkr")
    assert score([wrong_on_line], GOLD).precision == 0.0
