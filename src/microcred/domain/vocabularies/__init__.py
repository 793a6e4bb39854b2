"""Controlled vocabularies: EQF, ISCED-F, the ELM code lists, countries, languages, ESCO skills.

Values are stored as their EU URIs and shown with labels::

    >>> get_vocabulary("eqf").label("http://data.europa.eu/snb/eqf/6", "de")
    'Niveau 6'
    >>> normalise_country("EL")
    'http://publications.europa.eu/resource/authority/country/GRC'
"""

from microcred.domain.vocabularies.catalogue import (
    VOCABULARY_FOR_FIELD,
    UnknownVocabulary,
    choices,
    find_concept,
    get_vocabulary,
    label,
    vocabulary_names,
)
from microcred.domain.vocabularies.concepts import Concept, UnknownConcept, Vocabulary
from microcred.domain.vocabularies.countries import (
    COUNTRY_AUTHORITY,
    eu_country_code,
    normalise_country,
)
from microcred.domain.vocabularies.esco import ESCO_SKILL, is_esco_skill_uri, normalise_esco_skill
from microcred.domain.vocabularies.languages import (
    is_language_code,
    language_authority_uri,
    normalise_language,
)
from microcred.domain.vocabularies.normalise import (
    QF_EHEA_CYCLE_TO_EQF,
    eqf_number,
    normalise_concept,
    normalise_eqf,
    normalise_isced,
)

__all__ = [
    "COUNTRY_AUTHORITY",
    "ESCO_SKILL",
    "QF_EHEA_CYCLE_TO_EQF",
    "VOCABULARY_FOR_FIELD",
    "Concept",
    "UnknownConcept",
    "UnknownVocabulary",
    "Vocabulary",
    "choices",
    "eqf_number",
    "eu_country_code",
    "find_concept",
    "get_vocabulary",
    "is_esco_skill_uri",
    "is_language_code",
    "label",
    "language_authority_uri",
    "normalise_concept",
    "normalise_country",
    "normalise_eqf",
    "normalise_esco_skill",
    "normalise_isced",
    "normalise_language",
    "vocabulary_names",
]
