"""Learning outcomes are judged by their wording, in English and German."""

from __future__ import annotations

import pytest

from microcred.domain.compliance.outcome_wording import Wording, judge_wording


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Analyse administrative data with descriptive statistics", "en", Wording.outcome),
        ("Planning a survey and presenting its results", "en", Wording.outcome),
        ("Statistics basics", "en", Wording.topic),
        ("Introduction to data protection in public administration", "en", Wording.topic),
        ("Apply", "en", Wording.topic),
        ("Understand the principles of open data", "en", Wording.knowledge_only),
        ("Be aware of ethical issues in data use", "en", Wording.knowledge_only),
        ("Know how to apply the GDPR in daily work", "en", Wording.outcome),
        ("Use spreadsheets to clean a data set", "en", Wording.outcome),
        ("Design and test a survey", "en", Wording.outcome),
        ("Data use and project plan templates", "en", Wording.topic),
        ("Carry out a blower-door airtightness test", "en", Wording.outcome),
        ("Install and commission a heat pump", "en", Wording.outcome),
        ("Establish a monitoring plan for a retrofit", "en", Wording.outcome),
        ("Heat pump commission records", "en", Wording.topic),
        ("Verwaltungsdaten mit Methoden der Statistik analysieren", "de", Wording.outcome),
        ("Ergebnisse verständlich darzustellen", "de", Wording.outcome),
        ("Sie bewerten die Qualität öffentlicher Daten", "de", Wording.outcome),
        ("Grundlagen der Statistik", "de", Wording.topic),
        ("Die Grundsätze der DSGVO kennen", "de", Wording.knowledge_only),
        ("Datenschutzrecht verstehen", "de", Wording.knowledge_only),
    ],
)
def test_wording_of_learning_outcome(text: str, language: str, expected: Wording) -> None:
    assert judge_wording(text, language) == expected
