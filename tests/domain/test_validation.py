"""parse_specification: convenience inputs become URIs; bad input never becomes a Specification."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spec_changes import COUNTRY, SNB, example_data, set_path

from microcred.domain.validation import SpecificationInvalid, parse_specification
from property_profiles import examples
from support.examples import example_specification


def problems(changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Return (rule, element, message) of each problem after changing the example."""
    data = example_data()
    for path, value in changes.items():
        set_path(data, path, value)
    with pytest.raises(SpecificationInvalid) as raised:
        parse_specification(data)
    return [(issue.rule, issue.element, issue.message) for issue in raised.value.issues]


def test_compliant_example_parses_to_an_equal_specification() -> None:
    assert parse_specification(example_data()) == example_specification()


def test_convenience_inputs_are_normalised_to_uris() -> None:
    data = example_data()
    data["issuer_countries"] = ["EL", "de"]
    data["awarding_bodies"][0]["country"] = "DEU"
    data["level"]["eqf"] = 6
    data["isced_f"] = "0613"
    data["participation"]["modes"] = ["Online", "Präsenz"]
    data["participation"]["schedule"] = "Part time light"
    data["languages_of_instruction"] = ["EN", "deu"]
    data["learning_outcomes"][0]["esco_skills"] = ["2B92A5B2-6758-4EE3-9FB4-B6387A55CC8F"]
    spec = parse_specification(data)
    assert spec.issuer_countries == [f"{COUNTRY}/GRC", f"{COUNTRY}/DEU"]
    assert spec.awarding_bodies[0].country == f"{COUNTRY}/DEU"
    assert spec.level.eqf == f"{SNB}/eqf/6"
    assert spec.isced_f == [f"{SNB}/isced-f/0613"]
    assert spec.participation.modes == [
        f"{SNB}/learning-assessment/920fbb3cbe",
        f"{SNB}/learning-assessment/9191af2ed9",
    ]
    assert spec.participation.schedule == f"{SNB}/learning-schedule/67395e6b5a"
    assert spec.languages_of_instruction == ["en", "de"]
    assert spec.learning_outcomes[0].esco_skills == [
        "http://data.europa.eu/esco/skill/2b92a5b2-6758-4ee3-9fb4-b6387a55cc8f"
    ]


def test_parsing_never_changes_the_input() -> None:
    data = example_data()
    data["issuer_countries"] = ["EL"]
    data["level"]["eqf"] = 9
    before = copy.deepcopy(data)
    with pytest.raises(SpecificationInvalid):
        parse_specification(data)
    assert data == before


def test_unknown_eqf_level_fails_mc_m08_naming_the_scheme_and_allowed_values() -> None:
    [(rule, element, message)] = problems({"level.eqf": f"{SNB}/eqf/9"})
    assert (rule, element) == ("MC-M08", "level.eqf")
    assert message == (
        "'http://data.europa.eu/snb/eqf/9' is not in EQF (http://data.europa.eu/snb/eqf/25831c2);"
        " use http://data.europa.eu/snb/eqf/1 ... /8"
    )


def test_ects_that_is_not_a_number_fails_mc_m07() -> None:
    assert problems({"workload.ects": "five"}) == [
        ("MC-M07", "workload.ects", "ECTS must be a number, got 'five'")
    ]


def test_negative_hours_fail_mc_m07() -> None:
    [(rule, element, message)] = problems({"workload.hours": -3})
    assert (rule, element) == ("MC-M07", "workload.hours")
    assert "0 or more" in message


def test_unknown_country_fails_mc_m03_with_an_example() -> None:
    [(rule, element, message)] = problems({"issuer_countries": ["DE", "Atlantis"]})
    assert (rule, element) == ("MC-M03", "issuer_countries[1]")
    assert "'Atlantis' is not in countries" in message
    assert "'DE'" in message


def test_unknown_awarding_body_country_fails_mc_m04() -> None:
    [(rule, element, _message)] = problems({"awarding_bodies.0.country": "ZZ"})
    assert (rule, element) == ("MC-M04", "awarding_bodies[0].country")


def test_unknown_learning_mode_fails_mc_m10_naming_learning_modes() -> None:
    [(rule, element, message)] = problems({"participation.modes": ["Online", "telepathy"]})
    assert (rule, element) == ("MC-M10", "participation.modes[1]")
    assert "learning modes (http://data.europa.eu/snb/learning-assessment/25831c2)" in message


def test_unknown_language_fails_mc_x03() -> None:
    [(rule, element, message)] = problems({"languages_of_instruction": ["en", "klingon"]})
    assert (rule, element) == ("MC-X03", "languages_of_instruction[1]")
    assert "ISO 639-1" in message


def test_language_map_keyed_by_a_name_fails_mc_x03() -> None:
    [(rule, element, message)] = problems({"title": {"english": "Data literacy"}})
    assert (rule, element) == ("MC-X03", "title")
    assert "'english' is not a language tag" in message


def test_unknown_isced_code_fails_mc_x04() -> None:
    [(rule, element, message)] = problems({"isced_f": ["0613", "9876"]})
    assert (rule, element) == ("MC-X04", "isced_f[1]")
    assert "ISCED-F 2013" in message


def test_esco_label_instead_of_uri_fails_mc_x05() -> None:
    [(rule, element, message)] = problems(
        {"learning_outcomes.1.esco_skills": ["perform data analysis"]}
    )
    assert (rule, element) == ("MC-X05", "learning_outcomes[1].esco_skills[0]")
    assert "http://data.europa.eu/esco/skill/{uuid}" in message


def test_unknown_supervision_fails_mc_o02_listing_the_annex_i_options() -> None:
    [(rule, element, message)] = problems({"supervision": "proctored"})
    assert (rule, element) == ("MC-O02", "supervision")
    assert "'supervised_online_with_id_verification'" in message


def test_misspelt_element_is_named_with_a_suggestion() -> None:
    data = example_data()
    data["titel"] = data.pop("title")
    with pytest.raises(SpecificationInvalid) as raised:
        parse_specification(data)
    [issue] = raised.value.issues
    assert (issue.rule, issue.element) == ("MC-INPUT", "titel")
    assert issue.message == "unknown element 'titel'; did you mean 'title'?"


def test_misspelt_nested_element_carries_its_elements_rule() -> None:
    [(rule, element, message)] = problems({"quality_assurance.agencyurl": "https://x.example"})
    assert (rule, element) == ("MC-M11", "quality_assurance.agencyurl")
    assert "did you mean 'agency_url'?" in message


def test_bad_duration_and_currency_say_what_to_write() -> None:
    found = problems({"duration": "10 weeks", "price.currency": "euro"})
    messages = {element: message for _rule, element, message in found}
    assert "'P10W'" in messages["duration"]
    assert "'EUR'" in messages["price.currency"]


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        {"workload.ects": "five", "level.eqf": 9, "review_date": "next year", "assessment": "exam"}
    )
    assert [(rule, element) for rule, element, _ in found] == [
        ("MC-M08", "level.eqf"),
        ("MC-M07", "workload.ects"),
        ("MC-M09", "assessment"),
        ("MC-P03", "review_date"),
    ]


def test_input_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(SpecificationInvalid) as raised:
        parse_specification(["title", "Data literacy"])  # type: ignore[arg-type]
    [issue] = raised.value.issues
    assert issue.rule == "MC-INPUT"
    assert "got list" in issue.message


def test_issues_carry_the_source_of_their_rule() -> None:
    data = example_data()
    data["workload"]["ects"] = "five"
    with pytest.raises(SpecificationInvalid) as raised:
        parse_specification(data)
    assert raised.value.issues[0].source == "Annex I, mandatory element 7"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
ELEMENTS = sorted(example_data())


@settings(max_examples=examples(150), deadline=None)
@given(element=st.sampled_from(ELEMENTS), value=json_values)
def test_arbitrary_values_either_parse_or_fail_with_named_issues(element: str, value: Any) -> None:
    data = example_data()
    data[element] = value
    try:
        spec = parse_specification(data)
    except SpecificationInvalid as invalid:
        assert invalid.issues
        assert all(issue.rule and issue.message for issue in invalid.issues)
        assert all(issue.element.split("[")[0].split(".")[0] == element for issue in invalid.issues)
    else:
        assert spec.model_dump(mode="json")[element] is not None or value is None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("homepage", "javascript:alert(1)"),
        ("further_information_url", "data:text/html;base64,PHNjcmlwdD4="),
        ("quality_assurance.link", "\tjava\nscript:alert(1)"),
        ("quality_assurance.agency_url", "www.agency.example"),
        ("awarding_bodies.0.homepage", "ftp://th-lahntal.example"),
        ("guidance_contact", "mailto:weiterbildung@th-lahntal.example"),
        ("guidance_contact", "javascript:alert(1)//@th-lahntal.example"),
    ],
)
def test_a_link_that_is_not_an_http_url_is_refused_naming_its_element(
    path: str, value: str
) -> None:
    [(_rule, element, message)] = problems({path: value})
    assert element == path.replace(".0.", "[0].")
    assert "web address" in message


@pytest.mark.parametrize("contact", ["info@th-lahntal.example", "https://x.example", "Room 1.02"])
def test_a_guidance_contact_without_a_scheme_is_left_to_the_compliance_report(
    contact: str,
) -> None:
    data = example_data()
    data["guidance_contact"] = contact
    assert parse_specification(data).guidance_contact == contact
