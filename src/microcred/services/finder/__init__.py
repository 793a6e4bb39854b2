"""The learners' course finder: search, guidance, saved courses, notifications and the feed."""

from microcred.services.finder.finder import CourseNotFound, Finder, Match, Results
from microcred.services.finder.guidance import PROFILE_NAMES, Answers, Profile
from microcred.services.finder.query import FinderQuery
from microcred.services.finder.reasons import Reason

__all__ = [
    "PROFILE_NAMES",
    "Answers",
    "CourseNotFound",
    "Finder",
    "FinderQuery",
    "Match",
    "Profile",
    "Reason",
    "Results",
]
