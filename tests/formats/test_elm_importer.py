"""The Commission's sample micro-credential, read into a Specification element by element."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from microcred.domain.specification import Specification, Supervision
from microcred.formats.elm.importer import (
    ElmImportError,
    is_elm_credential,
    specification_data_from_elm,
    specification_from_elm,
)
from microcred.formats.elm.sample import commission_sample

IRELAND = "http://publications.europa.eu/resource/authority/country/IRL"
ESCO = "http://data.europa.eu/esco/skill/"


@pytest.fixture(scope="module")
def sample() -> Specification:
    return specification_from_elm(commission_sample())


def claim_spec(document: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = document["credentialSubject"]["hasClaim"]["specifiedBy"]
    return spec


def test_sample_title_is_the_qualification_title(sample: Specification) -> None:
    assert sample.title == {"en": "Digital micro-credential creation"}


def test_sample_awarding_body_is_university_of_zed_in_ireland(sample: Specification) -> None:
    [body] = sample.awarding_bodies
    assert body.name == {"en": "University of Zed"}
    assert body.country == IRELAND
    assert body.legal_identifier == "0000"  # the registration, ELM's legal identifier
    assert body.homepage == "https://uniz.edu"
    assert body.id is None  # urn:epass:org:1 only links nodes inside the file


def test_sample_issuer_country_is_ireland(sample: Specification) -> None:
    assert sample.issuer_countries == [IRELAND]


def test_sample_learning_outcomes_keep_titles_translations_and_esco_skills(
    sample: Specification,
) -> None:
    first, second = sample.learning_outcomes
    assert first.text == {"en": "Communication, collaboration and creativity"}
    assert first.esco_skills == [
        ESCO + "ccdf3597-5c80-410f-896d-e1bdfa223de9",
        ESCO + "80f308e6-0e09-404a-80cd-ec5f50f6f304",
        ESCO + "326809fc-238d-40c2-881e-40042f7f2f0d",
    ]
    assert second.text == {"en": "Developing digital content", "es": "Contento digital"}
    assert second.esco_skills == [ESCO + "5fd5c985-eaaa-47aa-8314-62359c54505a"]


def test_sample_workload_is_2_ects_and_60_hours(sample: Specification) -> None:
    assert sample.workload.ects == 2
    assert sample.workload.hours == 60


def test_sample_level_is_eqf_6_with_its_national_level(sample: Specification) -> None:
    assert sample.level.eqf == "http://data.europa.eu/snb/eqf/6"
    assert sample.level.nqf == "http://data.europa.eu/snb/qdr/c_c392e7a2"


def test_sample_local_artefact_assessment_maps_to_the_elm_concept(sample: Specification) -> None:
    assert sample.assessment.types == ["http://data.europa.eu/snb/assessment/de4d165a6c"]
    assert sample.assessment.description == {"en": "Digital artefact assessment"}


def test_sample_participation_is_blended_non_formal_learning(sample: Specification) -> None:
    assert sample.participation.modes == [
        "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
    ]
    assert (
        sample.participation.learning_setting
        == "http://data.europa.eu/snb/learning-setting/e207a81fc7"
    )
    assert sample.participation.description == {"en": "EDC building training course"}


def test_sample_carries_no_quality_assurance(sample: Specification) -> None:
    assert sample.quality_assurance.types == []
    assert sample.quality_assurance.agency is None


def test_sample_optional_elements_are_mapped(sample: Specification) -> None:
    assert sample.prerequisites["en"].startswith("The learner needs to have an EDC Online")
    assert sample.supervision == Supervision.unsupervised_no_id_verification
    assert sample.grading_scheme is not None
    assert sample.grading_scheme.title == {"en": "Standard grading"}
    assert "un-signed sample credential" in sample.grading_scheme.description["en"]
    assert sample.stackability.kind == "standalone"  # isPartialQualification: false


def test_sample_description_field_language_duration_and_label_are_mapped(
    sample: Specification,
) -> None:
    assert sample.description["en"].startswith("This online course allows the learner")
    assert sample.isced_f == [
        "http://data.europa.eu/snb/isced-f/003",
        "http://data.europa.eu/snb/isced-f/0688",
    ]
    assert sample.languages_of_instruction == ["en"]
    assert sample.duration == "P1M"
    assert sample.local_label == "Short learning programme"


def test_sample_learner_identification_declares_what_the_credential_carries(
    sample: Specification,
) -> None:
    assert [kind.value for kind in sample.learner_identification.required] == [
        "full_name",
        "date_of_birth",
        "national_id",
        "email",
    ]


def test_learner_specific_data_is_not_copied_into_the_specification(
    sample: Specification,
) -> None:
    text = sample.model_dump_json()
    for learner_value in ("Andromeda", "1999-10-01", "LA-234218", "ana.andromeda", "Pass"):
        assert learner_value not in text


def test_sample_is_recognised_as_an_elm_credential() -> None:
    assert is_elm_credential(commission_sample())
    assert not is_elm_credential({"title": {"en": "A plain specification"}})


def test_a_sealed_edc_envelope_is_unwrapped() -> None:
    sealed = {"payload": json.dumps(commission_sample()), "signatures": [{"signature": "..."}]}
    assert is_elm_credential(sealed)
    assert specification_from_elm(sealed).title == {"en": "Digital micro-credential creation"}


def test_a_single_learning_outcome_object_reads_like_a_list_of_one() -> None:
    document = commission_sample()
    spec = claim_spec(document)
    spec["learningOutcome"] = spec["learningOutcome"][1]
    outcomes = specification_from_elm(document).learning_outcomes
    assert [o.text["en"] for o in outcomes] == ["Developing digital content"]


def test_a_plain_string_title_takes_the_primary_language() -> None:
    document = commission_sample()
    claim_spec(document)["title"] = "Digitale Nachweise erstellen"
    document["displayParameter"]["primaryLanguage"] = {
        "id": "http://publications.europa.eu/resource/authority/language/DEU"
    }
    assert specification_from_elm(document).title == {"de": "Digitale Nachweise erstellen"}


def test_credit_points_written_as_a_list_and_a_number_are_read() -> None:
    document = commission_sample()
    spec = claim_spec(document)
    credit = copy.deepcopy(spec["creditPoint"])
    credit["point"] = 4.5
    spec["creditPoint"] = [credit]
    assert specification_from_elm(document).workload.ects == 4.5


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (
            lambda d: claim_spec(d)["creditPoint"].update(point="two"),
            "credentialSubject.hasClaim.specifiedBy.creditPoint.point",
            "expected a number",
        ),
        (
            lambda d: claim_spec(d).update(volumeOfLearning="P2M"),
            "credentialSubject.hasClaim.specifiedBy.volumeOfLearning",
            "no hour count",
        ),
        (
            lambda d: claim_spec(d).update(title=42),
            "credentialSubject.hasClaim.specifiedBy.title",
            "expected a language map",
        ),
        (
            lambda d: claim_spec(d).update(eqfLevel={"prefLabel": {"en": "Level 6"}}),
            "credentialSubject.hasClaim.specifiedBy.eqfLevel",
            "'id' URI",
        ),
        (
            lambda d: claim_spec(d).update(learningOutcome=["Communication"]),
            "credentialSubject.hasClaim.specifiedBy.learningOutcome[0]",
            "expected an object",
        ),
        (
            lambda d: d.pop("credentialSubject"),
            "credentialSubject",
            "needs a credentialSubject",
        ),
        (
            lambda d: d["credentialSubject"].update(hasClaim=[]),
            "credentialSubject.hasClaim",
            "found 0",
        ),
    ],
    ids=[
        "ects-not-a-number",
        "volume-in-months",
        "title-number",
        "concept-without-id",
        "outcome-as-text",
        "no-subject",
        "no-claim",
    ],
)
def test_an_unreadable_shape_is_an_error_naming_its_path(
    mutate: Any, path: str, words: str
) -> None:
    document = commission_sample()
    mutate(document)
    with pytest.raises(ElmImportError) as raised:
        specification_data_from_elm(document)
    assert raised.value.path == path
    assert words in raised.value.message


def test_a_document_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ElmImportError) as raised:
        specification_data_from_elm(["not", "a", "credential"])  # type: ignore[arg-type]
    assert raised.value.path == "$"


def test_an_accreditation_becomes_the_quality_assurance_element() -> None:
    document = commission_sample()
    claim_spec(document)["accreditation"] = {
        "id": "urn:epass:accreditation:1",
        "type": "Accreditation",
        "dcType": {"id": "http://data.europa.eu/snb/accreditation/bb4618238e", "type": "Concept"},
        "title": {"en": "Institutional review 2022"},
        "accreditingAgent": {
            "id": "urn:epass:org:9",
            "type": "Organisation",
            "legalName": {"en": "Quality and Qualifications Ireland"},
            "homepage": {"contentURL": "https://www.qqi.ie/"},
        },
        "landingPage": {"contentURL": "https://www.qqi.ie/reviews/uniz"},
    }
    quality = specification_from_elm(document).quality_assurance
    assert quality.types == ["http://data.europa.eu/snb/accreditation/bb4618238e"]
    assert quality.agency == "Quality and Qualifications Ireland"
    assert quality.agency_url == "https://www.qqi.ie/"
    assert quality.link == "https://www.qqi.ie/reviews/uniz"
    assert quality.external is True
    assert quality.description == {"en": "Institutional review 2022"}


def test_a_larger_qualification_it_is_part_of_makes_it_stackable() -> None:
    document = commission_sample()
    spec = claim_spec(document)
    spec["isPartialQualification"] = True
    spec["isPartOf"] = {
        "id": "https://uniz.edu/programmes/msc-digital-education",
        "type": "Qualification",
        "title": {"en": "MSc Digital Education"},
    }
    stackability = specification_from_elm(document).stackability
    assert stackability.kind == "integrated_stackable"
    [target] = stackability.targets
    assert target.title == {"en": "MSc Digital Education"}
    assert target.id == "https://uniz.edu/programmes/msc-digital-education"


def test_an_unknown_supervision_concept_is_an_error_naming_its_path() -> None:
    document = commission_sample()
    document["credentialSubject"]["hasClaim"]["provenBy"]["idVerification"] = {
        "id": "http://data.europa.eu/snb/supervision-verification/0000000000"
    }
    with pytest.raises(ElmImportError) as raised:
        specification_data_from_elm(document)
    assert raised.value.path == "credentialSubject.hasClaim.provenBy.idVerification"
