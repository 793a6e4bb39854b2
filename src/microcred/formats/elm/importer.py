"""ELM v3 (Europass EDC) credential -> Specification: where each Annex I element lives.

The mapping follows the table "Where each Annex I element lives in ELM v3" of the project's
EU reference. Only what describes the micro-credential is taken; what belongs to one learner
(name, date of birth, grade, dates of the activity) is not part of a Specification, except that
the *kinds* of learner data the credential carries declare how learners are identified.
"""

from __future__ import annotations

import json
from typing import Any

from microcred.domain.specification import Specification
from microcred.domain.vocabularies import (
    VOCABULARY_FOR_FIELD,
    UnknownConcept,
    get_vocabulary,
    normalise_language,
)
from microcred.formats.elm.reading import (
    ElmShapeError,
    concept_label,
    concept_uri,
    concept_uris,
    duration_hours,
    language_map,
    many,
    node,
    nodes,
    note_text,
    number,
    one,
    web_address,
)

ECTS_FRAMEWORK = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
ISCED_F_PREFIX = "http://data.europa.eu/snb/isced-f/"
ASSESSMENT_PREFIX = "http://data.europa.eu/snb/assessment/"

# The ELM supervision-verification scheme; only c598449d64 is in the shared reference, so the
# others are recognised by their label.
SUPERVISION_BY_URI = {
    "http://data.europa.eu/snb/supervision-verification/c598449d64": (
        "unsupervised_no_id_verification"
    ),
}

# Document-local identifiers ("urn:epass:org:1") only link nodes inside one file.
LOCAL_ID_PREFIX = "urn:epass:"


class ElmImportError(ValueError):
    """The document is not an ELM credential the importer can read; `path` names where."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def specification_from_elm(document: dict[str, Any]) -> Specification:
    """Return the Specification described by an ELM v3 credential (validated and normalised).

    Raises `ElmImportError` for a document whose shape cannot be read, and
    `microcred.domain.validation.SpecificationInvalid` when the values read are not valid.
    """
    from microcred.domain.validation import parse_specification

    return parse_specification(specification_data_from_elm(document))


def specification_data_from_elm(document: dict[str, Any]) -> dict[str, Any]:
    """Return the Specification fields (plain data, not yet validated) an ELM credential carries."""
    try:
        return _Reader(_unwrap(document)).specification()
    except ElmShapeError as error:
        raise ElmImportError(error.path, error.message) from error


def is_elm_credential(document: Any) -> bool:
    """True when a parsed JSON document looks like an ELM/EDC credential, sealed or not."""
    if not isinstance(document, dict):
        return False
    if isinstance(document.get("payload"), str) and "signatures" in document:
        return True
    types = many(document.get("type"))
    contexts = [c for c in many(document.get("@context")) if isinstance(c, str)]
    return "EuropeanDigitalCredential" in types or any("snb/model/context" in c for c in contexts)


def _unwrap(document: dict[str, Any]) -> dict[str, Any]:
    """Return the credential inside a JAdES-sealed EDC file, or the document itself."""
    if not isinstance(document, dict):
        raise ElmShapeError("$", "expected a JSON object")
    payload = document.get("payload")
    if isinstance(payload, str) and "signatures" in document:
        try:
            inner = json.loads(payload)
        except json.JSONDecodeError as error:
            raise ElmShapeError("payload", f"the sealed payload is not JSON ({error})") from error
        if not isinstance(inner, dict):
            raise ElmShapeError("payload", "the sealed payload is not a JSON object")
        return inner
    return document


class _Reader:
    """Reads one credential; paths in errors are relative to the credential's root."""

    def __init__(self, credential: dict[str, Any]) -> None:
        self.credential = credential
        self.language = self._primary_language()
        self.subject_path = "credentialSubject"
        self.subject = node(credential.get("credentialSubject"), self.subject_path)
        if not self.subject:
            raise ElmShapeError(self.subject_path, "an ELM credential needs a credentialSubject")
        claims = many(self.subject.get("hasClaim"))
        self.claim_path = f"{self.subject_path}.hasClaim"
        if len(claims) != 1:
            raise ElmShapeError(
                self.claim_path,
                f"expected one claim (the micro-credential), found {len(claims)};"
                " import one micro-credential per file",
            )
        self.claim = node(claims, self.claim_path)
        self.spec_path = f"{self.claim_path}.specifiedBy"
        self.spec = node(self.claim.get("specifiedBy"), self.spec_path)

    def text(self, value: Any, path: str) -> dict[str, str]:
        return language_map(value, path, self.language)

    def specification(self) -> dict[str, Any]:
        spec, path = self.spec, self.spec_path
        bodies = self.awarding_bodies()
        data: dict[str, Any] = {
            "learner_identification": {"required": self.learner_identifiers()},
            "title": self.text(spec.get("title"), f"{path}.title")
            or self.text(self.claim.get("title"), f"{self.claim_path}.title"),
            "issuer_countries": self.issuer_countries(bodies),
            "awarding_bodies": bodies,
            "learning_outcomes": self.learning_outcomes(),
            "workload": {
                "ects": self.ects(),
                "hours": duration_hours(spec.get("volumeOfLearning"), f"{path}.volumeOfLearning"),
            },
            "level": {
                "eqf": concept_uri(spec.get("eqfLevel"), f"{path}.eqfLevel"),
                "nqf": next(iter(concept_uris(spec.get("nqfLevel"), f"{path}.nqfLevel")), None),
            },
            "assessment": self.assessment(),
            "participation": self.participation(),
            "quality_assurance": self.quality_assurance(),
            "prerequisites": note_text(
                spec.get("entryRequirement"), f"{path}.entryRequirement", self.language
            ),
            "supervision": self.supervision(),
            "grading_scheme": self.grading_scheme(),
            "stackability": self.stackability(),
            "further_information": note_text(
                spec.get("additionalNote"), f"{path}.additionalNote", self.language
            ),
            "further_information_url": self.further_information_url(),
            "description": self.description(),
            "isced_f": self.isced_f(),
            "languages_of_instruction": self.languages(spec.get("language"), f"{path}.language"),
            "duration": one(spec.get("maximumDuration"), f"{path}.maximumDuration"),
            "target_groups": concept_uris(spec.get("targetGroup"), f"{path}.targetGroup"),
            "homepage": web_address(spec.get("homepage"), f"{path}.homepage"),
            "local_label": concept_label(spec.get("dcType"), f"{path}.dcType", self.language),
        }
        return _without_empty(data)

    # --- element 1: which learner data the credential carries ---
    def learner_identifiers(self) -> list[str]:
        subject = self.subject
        carried = {
            "full_name": any(subject.get(k) for k in ("fullName", "givenName", "familyName")),
            "date_of_birth": bool(subject.get("dateOfBirth")),
            "national_id": bool(subject.get("nationalID")),
            "email": any(
                point.get("emailAddress")
                for _, point in nodes(
                    subject.get("contactPoint"), f"{self.subject_path}.contactPoint"
                )
            ),
            "did": str(subject.get("id", "")).startswith("did:"),
            "institutional_id": bool(subject.get("identifier")),
        }
        return [kind for kind, present in carried.items() if present]

    # --- elements 3 and 4: awarding bodies and the issuer's country ---
    def awarding_body_nodes(self) -> list[tuple[str, dict[str, Any]]]:
        awarded_path = f"{self.claim_path}.awardedBy"
        awarded = node(self.claim.get("awardedBy"), awarded_path)
        return nodes(awarded.get("awardingBody"), f"{awarded_path}.awardingBody")

    def awarding_bodies(self) -> list[dict[str, Any]]:
        return [self.organisation(body, path) for path, body in self.awarding_body_nodes()]

    def organisation(self, body: dict[str, Any], path: str) -> dict[str, Any]:
        name = (
            self.text(body.get("legalName"), f"{path}.legalName")
            or self.text(body.get("prefLabel"), f"{path}.prefLabel")
            or self.text(body.get("altLabel"), f"{path}.altLabel")
        )
        identifier = body.get("id")
        legal = None
        for key in ("eIDASIdentifier", "registration", "vatIdentifier", "taxIdentifier"):
            found = node(body.get(key), f"{path}.{key}")
            if found.get("notation"):
                legal = str(found["notation"])
                break
        return {
            "name": name,
            "id": identifier
            if isinstance(identifier, str) and not identifier.startswith(LOCAL_ID_PREFIX)
            else None,
            "legal_identifier": legal,
            "country": self.organisation_country(body, path),
            "homepage": web_address(body.get("homepage"), f"{path}.homepage"),
        }

    def organisation_country(self, body: dict[str, Any], path: str) -> str | None:
        for location_path, location in nodes(body.get("location"), f"{path}.location"):
            address_path = f"{location_path}.address"
            for address_path_i, address in nodes(location.get("address"), address_path):
                country = concept_uri(address.get("countryCode"), f"{address_path_i}.countryCode")
                if country:
                    return country
        registration = node(body.get("registration"), f"{path}.registration")
        return concept_uri(registration.get("spatial"), f"{path}.registration.spatial")

    def issuer_countries(self, bodies: list[dict[str, Any]]) -> list[str]:
        countries = [body["country"] for body in bodies if body.get("country")]
        issuer = self.credential.get("issuer")
        if isinstance(issuer, dict):
            countries.append(self.organisation_country(issuer, "issuer"))
        return list(dict.fromkeys(c for c in countries if c))

    # --- element 6: learning outcomes ---
    def learning_outcomes(self) -> list[dict[str, Any]]:
        path = f"{self.spec_path}.learningOutcome"
        outcomes = [
            {
                "text": self.text(outcome.get("title"), f"{outcome_path}.title"),
                "esco_skills": concept_uris(
                    outcome.get("relatedESCOSkill"), f"{outcome_path}.relatedESCOSkill"
                ),
            }
            for outcome_path, outcome in nodes(self.spec.get("learningOutcome"), path)
        ]
        if not outcomes:
            summary_path = f"{self.spec_path}.learningOutcomeSummary"
            summary = note_text(self.spec.get("learningOutcomeSummary"), summary_path)
            if summary:
                outcomes.append({"text": summary})
        return outcomes

    # --- element 7: workload ---
    def ects(self, specification: dict[str, Any] | None = None, where: str = "") -> float | None:
        """Return the ECTS credits of the claim's specification (or of another one)."""
        specification = self.spec if specification is None else specification
        path = f"{where or self.spec_path}.creditPoint"
        for point_path, credit in nodes(specification.get("creditPoint"), path):
            framework = concept_uri(credit.get("framework"), f"{point_path}.framework")
            if framework == ECTS_FRAMEWORK:
                return number(credit.get("point"), f"{point_path}.point")
        return None

    # --- element 9 and optional elements 2 and 3: assessment, supervision, grading ---
    def assessments(self) -> list[tuple[str, dict[str, Any]]]:
        return nodes(self.claim.get("provenBy"), f"{self.claim_path}.provenBy")

    def assessment(self) -> dict[str, Any]:
        types: list[str] = []
        descriptions: list[dict[str, str]] = []
        titles: list[dict[str, str]] = []
        criteria: dict[str, str] = {}
        for path, proven in self.assessments():
            specified_path = f"{path}.specifiedBy"
            specified = node(proven.get("specifiedBy"), specified_path)
            for uri in concept_uris(specified.get("dcType"), f"{specified_path}.dcType"):
                label = concept_label(specified.get("dcType"), f"{specified_path}.dcType")
                types.append(_assessment_uri(uri, label))
            descriptions.append(
                self.text(specified.get("description"), f"{specified_path}.description")
            )
            titles.append(self.text(specified.get("title") or proven.get("title"), f"{path}.title"))
            criteria.update(
                note_text(
                    specified.get("additionalNote"),
                    f"{specified_path}.additionalNote",
                    self.language,
                )
            )
        # Titles stand in for a description only when no assessment describes itself.
        texts = [text for text in descriptions if text] or titles
        description: dict[str, str] = {}
        for text_map in texts:
            for tag, text in text_map.items():
                description[tag] = f"{description[tag]}; {text}" if tag in description else text
        return {
            "types": list(dict.fromkeys(types)),
            "description": description,
            "criteria": criteria,
        }

    def supervision(self) -> str | None:
        for path, proven in self.assessments():
            uri = concept_uri(proven.get("idVerification"), f"{path}.idVerification")
            if uri:
                label = concept_label(proven.get("idVerification"), f"{path}.idVerification")
                return _supervision(uri, label, f"{path}.idVerification")
        return None

    def grading_scheme(self) -> dict[str, Any] | None:
        candidates = [(f"{self.spec_path}.gradingScheme", self.spec.get("gradingScheme"))]
        for path, proven in self.assessments():
            specified = node(proven.get("specifiedBy"), f"{path}.specifiedBy")
            candidates.append((f"{path}.specifiedBy.gradingScheme", specified.get("gradingScheme")))
        for path, value in candidates:
            scheme = node(value, path)
            if scheme:
                return {
                    "title": self.text(scheme.get("title"), f"{path}.title"),
                    "description": self.text(scheme.get("description"), f"{path}.description"),
                }
        return None

    # --- element 10: form of participation ---
    def participation(self) -> dict[str, Any]:
        path = self.spec_path
        modes = concept_uris(self.spec.get("mode"), f"{path}.mode")
        activity_path = f"{self.claim_path}.influencedBy"
        titles: dict[str, str] = {}
        for each_path, activity in nodes(self.claim.get("influencedBy"), activity_path):
            specified = node(activity.get("specifiedBy"), f"{each_path}.specifiedBy")
            for mode in concept_uris(specified.get("mode"), f"{each_path}.specifiedBy.mode"):
                if mode not in modes:
                    modes.append(mode)
            for tag, text in self.text(activity.get("title"), f"{each_path}.title").items():
                titles[tag] = f"{titles[tag]}; {text}" if tag in titles else text
        return {
            "modes": modes,
            "learning_setting": concept_uri(
                self.spec.get("learningSetting"), f"{path}.learningSetting"
            ),
            "schedule": concept_uri(self.spec.get("learningSchedule"), f"{path}.learningSchedule"),
            "description": titles,
        }

    # --- element 11: quality assurance ---
    def quality_assurance(self) -> dict[str, Any]:
        path = f"{self.spec_path}.accreditation"
        types: list[str] = []
        description: dict[str, str] = {}
        agency = agency_url = link = None
        internal = None
        body_ids = {body.get("id") for _, body in self.awarding_body_nodes()}
        for each_path, accreditation in nodes(self.spec.get("accreditation"), path):
            types += concept_uris(accreditation.get("dcType"), f"{each_path}.dcType")
            description.update(
                self.text(accreditation.get("description"), f"{each_path}.description")
                or self.text(accreditation.get("title"), f"{each_path}.title")
            )
            agent_path = f"{each_path}.accreditingAgent"
            agent = node(accreditation.get("accreditingAgent"), agent_path)
            if agent and agent.get("id") in body_ids:
                internal = True  # the awarding body assures its own quality
            elif agent:
                names = self.text(agent.get("legalName"), f"{agent_path}.legalName")
                agency = agency or names.get(self.language) or next(iter(names.values()), None)
                agency_url = agency_url or web_address(
                    agent.get("homepage"), f"{agent_path}.homepage"
                )
            link = link or web_address(accreditation.get("landingPage"), f"{each_path}.landingPage")
            link = link or web_address(accreditation.get("report"), f"{each_path}.report")
        return {
            "types": list(dict.fromkeys(types)),
            "internal": internal,
            "external": True if agency else None,
            "agency": agency,
            "agency_url": agency_url,
            "link": link,
            "description": description,
        }

    # --- optional element 4: stackability ---
    def stackability(self) -> dict[str, Any]:
        path = self.spec_path
        partial_path = f"{path}.isPartialQualification"
        partial = one(self.spec.get("isPartialQualification"), partial_path)
        if partial is not None and not isinstance(partial, bool):
            raise ElmShapeError(partial_path, f"expected true or false, got {partial!r}")
        targets = [
            {
                "title": self.text(whole.get("title"), f"{whole_path}.title"),
                "id": whole.get("id")
                if not str(whole.get("id", "")).startswith(LOCAL_ID_PREFIX)
                else None,
                "ects_recognised": self.ects(whole, whole_path),
            }
            for whole_path, whole in nodes(self.spec.get("isPartOf"), f"{path}.isPartOf")
        ]
        kind = None
        if targets or partial:
            kind = "integrated_stackable"
        elif partial is False:
            kind = "standalone"
        return {"kind": kind, "targets": targets}

    # --- optional element 5 and description ---
    def further_information_url(self) -> str | None:
        path = f"{self.spec_path}.supplementaryDocument"
        for each_path, document in nodes(self.spec.get("supplementaryDocument"), path):
            address = web_address(document, each_path)
            if address:
                return address
        return None

    def description(self) -> dict[str, str]:
        own = self.text(self.spec.get("description"), f"{self.spec_path}.description")
        if own:
            return own
        path = f"{self.claim_path}.influencedBy"
        for each_path, activity in nodes(self.claim.get("influencedBy"), path):
            text = self.text(activity.get("description"), f"{each_path}.description")
            if text:
                return text
        return self.text(self.claim.get("description"), f"{self.claim_path}.description")

    def isced_f(self) -> list[str]:
        path = self.spec_path
        codes = concept_uris(self.spec.get("ISCEDFCode"), f"{path}.ISCEDFCode")
        areas = concept_uris(self.spec.get("thematicArea"), f"{path}.thematicArea")
        return list(dict.fromkeys(codes + [a for a in areas if a.startswith(ISCED_F_PREFIX)]))

    def languages(self, value: Any, path: str) -> list[str]:
        return list(dict.fromkeys(_language_code(uri, path) for uri in concept_uris(value, path)))

    def _primary_language(self) -> str:
        display = self.credential.get("displayParameter")
        if isinstance(display, dict):
            uris = concept_uris(display.get("primaryLanguage"), "displayParameter.primaryLanguage")
            if uris:
                return _language_code(uris[0], "displayParameter.primaryLanguage")
        return "en"


def _language_code(uri: str, path: str) -> str:
    """Return the ISO 639-1 code for an EU language authority URI ('.../language/ENG' -> 'en')."""
    try:
        return normalise_language(uri)
    except UnknownConcept as error:
        raise ElmShapeError(path, error.message) from error


def _assessment_uri(uri: str, label: str | None) -> str:
    """Return the ELM assessment-type URI for a concept, matching a local concept by its label.

    Sample documents use document-local concepts (``urn:epass:concept:...``) whose label is an
    ELM assessment type ("artefact assessment"); those are mapped to the EU URI so the value is
    comparable. A concept with no match is kept as written and the compliance report names it.
    """
    if uri.startswith(ASSESSMENT_PREFIX) or not label:
        return uri
    vocabulary = get_vocabulary(VOCABULARY_FOR_FIELD["assessment.types"])
    return vocabulary.by_label(label) or uri


def _supervision(uri: str, label: str | None, path: str) -> str:
    """Return the Annex I supervision value for an ELM supervision-verification concept."""
    if uri in SUPERVISION_BY_URI:
        return SUPERVISION_BY_URI[uri]
    words = (label or "").casefold()
    if not words:
        raise ElmShapeError(path, f"unknown supervision and identity verification {uri!r}")
    if "unsupervised" in words:
        return "unsupervised_no_id_verification"
    if "without" in words or "no id" in words:
        return "supervised_no_id_verification"
    if "online" in words:
        return "supervised_online_with_id_verification"
    if "onsite" in words or "on-site" in words or "on site" in words:
        return "supervised_onsite_with_id_verification"
    raise ElmShapeError(path, f"unknown supervision and identity verification {label!r} ({uri})")


def _without_empty(value: Any) -> Any:
    """Return the data with None, empty maps and empty lists dropped, so defaults apply."""
    if isinstance(value, dict):
        cleaned = {key: _without_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, {}, [])}
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value
