"""Is a learning outcome written as one? Warns on bare topics and on know/understand alone.

A learning outcome says what a learner can *do* after the learning, with an observable verb
("analyse", "bewerten"). A bare topic ("Statistics basics") or an outcome built only on
"know", "understand" or "be aware of" cannot be assessed against transparent criteria
(Annex II, principle 4). English and German texts are checked; other languages are not judged.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

from microcred.domain.compliance.report import Severity
from microcred.domain.compliance.rule import Finding
from microcred.domain.specification import LearningOutcome
from microcred.i18n import _

MIN_WORDS = 3

ENGLISH_ACTIVE = """
adapt advise analyse analyze apply argue assemble assess audit build calculate categorise
categorize choose classify collaborate collect combine communicate compare compile compose
conduct configure construct contrast coordinate create critique debate decide defend define
deliver demonstrate derive describe design detect determine develop diagnose differentiate
discuss distinguish document draft draw estimate evaluate examine execute explain facilitate
formulate handle identify illustrate implement integrate interpret investigate judge justify
lead list maintain manage map measure model monitor name negotiate operate organise organize
outline perform plan predict prepare present prioritise prioritize produce program propose
prove rank recognise recognize recommend reflect report research review select share simulate
sketch solve specify structure summarise summarize synthesise synthesize test translate
troubleshoot use validate visualise visualize write
administer advocate appraise assist calibrate carry commission compute conserve contribute
cooperate edit employ enforce ensure establish explore generate guide improve inform initiate
inspect install insulate locate mediate mentor mitigate modify moderate navigate observe
optimise optimize practise practice protect provide reconcile record repair resolve respond
restore retrofit revise schedule secure support sustain teach train transform treat upgrade
verify
"""
ENGLISH_WEAK = """
know understand aware awareness familiar familiarity appreciate learn knowledge comprehend
grasp realise realize acquainted insight
"""
# A "|" marks the prefix of a separable verb: "dar|stellen" also matches "darzustellen".
GERMAN_ACTIVE = """
ab|leiten analysieren an|leiten an|wenden aus|wählen aus|werten bearbeiten begründen
begutachten beraten berechnen berichten beschreiben bestimmen beurteilen bewerten dar|stellen
definieren diskutieren dokumentieren durch|führen ein|ordnen ein|schätzen ein|setzen
entscheiden entwerfen entwickeln erarbeiten erheben erklären erkennen erläutern erstellen
formulieren führen gestalten identifizieren implementieren interpretieren kommunizieren
konfigurieren konzipieren leiten lösen messen moderieren modellieren nennen nutzen
organisieren planen präsentieren programmieren prüfen recherchieren reflektieren schreiben
speichern steuern teilen testen um|setzen untersuchen unterscheiden validieren vergleichen
verhandeln verwenden visualisieren zusammen|fassen
"""
GERMAN_WEAK = """
kennen kennen|lernen wissen verstehen verständnis kenntnis kenntnisse bewusst vertraut
überblick
"""

# English words that are as often nouns ("data use", "a project plan"): they count as verbs only
# first in the outcome or after a word that introduces a verb.
ENGLISH_NOUN_OR_VERB = """
audit commission debate design document draft handle judge lead list map model name plan
practice present program rank record report research review schedule share sketch structure
support test train treat upgrade use
"""
_BEFORE_A_VERB = {"to", "and", "or", "can", "could", "will", "should", "must", "able", "then"}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class Wording(StrEnum):
    outcome = "outcome"
    topic = "topic"
    knowledge_only = "knowledge_only"


def _english_forms(base: str) -> set[str]:
    forms = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}  # plan -> planned, planning
    if base.endswith("e"):
        forms.add(base[:-1] + "ing")
    if base.endswith("y"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    return forms


def _german_forms(entry: str) -> set[str]:
    prefix, _bar, verb = entry.rpartition("|")
    stem = verb[:-2] if verb.endswith("en") else verb[:-1] if verb.endswith("n") else verb
    forms = {verb, stem + "t", stem + "et", stem + "e", stem + "st", stem + "est"}
    forms |= {"ge" + stem + "t", stem + "t"}
    if prefix:
        forms |= {prefix + verb, prefix + "zu" + verb, prefix + "ge" + stem + "t"}
    return forms


@cache
def _verbs(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return the (active, weak) word forms of ``language``."""
    if language == "de":
        active = {form for entry in GERMAN_ACTIVE.split() for form in _german_forms(entry)}
        weak = {form for entry in GERMAN_WEAK.split() for form in _german_forms(entry)}
        weak |= {"weiß", "weißt", "verstanden", "gekannt", "gewusst"}
    else:
        active = {form for base in ENGLISH_ACTIVE.split() for form in _english_forms(base)}
        weak = {form for base in ENGLISH_WEAK.split() for form in _english_forms(base)}
    return frozenset(active), frozenset(weak - active)


@cache
def _noun_or_verb() -> frozenset[str]:
    return frozenset(form for base in ENGLISH_NOUN_OR_VERB.split() for form in _english_forms(base))


def _is_active(words: list[str], index: int, active: frozenset[str], language: str) -> bool:
    word = words[index]
    if word not in active:
        return False
    if language == "en" and word in _noun_or_verb():
        return index == 0 or words[index - 1] in _BEFORE_A_VERB
    return True


def judge_wording(text: str, language: str) -> Wording:
    """Return whether ``text`` (in "en" or "de") reads as an outcome, a topic or knowledge only."""
    words = [word.casefold() for word in _WORD.findall(text)]
    active, weak = _verbs(language)
    if any(_is_active(words, index, active, language) for index in range(len(words))):
        return Wording.outcome if len(words) >= MIN_WORDS else Wording.topic
    if any(word in weak for word in words):
        return Wording.knowledge_only
    return Wording.topic


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wording_findings(outcomes: list[LearningOutcome]) -> list[Finding]:
    """Return a warning for each outcome whose English or German text is a topic or know-only."""
    findings: list[Finding] = []
    for index, outcome in enumerate(outcomes):
        for language in ("en", "de"):
            text = outcome.text.get(language, "").strip()
            if not text:
                continue
            wording = judge_wording(text, language)
            if wording == Wording.outcome:
                continue
            if wording == Wording.topic:
                message = _(
                    "Learning outcome {number} ('{text}') reads like a topic: say what the"
                    " learner can do, with an observable verb such as 'analyse', 'apply' or"
                    " 'evaluate'."
                )
            else:
                message = _(
                    "Learning outcome {number} ('{text}') only asks learners to know or"
                    " understand: say how they show it, e.g. 'explain', 'compare' or 'apply'."
                )
            findings.append(
                Finding(
                    message.format(number=index + 1, text=_excerpt(text)),
                    element=f"learning_outcomes[{index}].text.{language}",
                    severity=Severity.warning,
                )
            )
            break  # one warning per outcome is enough
    return findings
