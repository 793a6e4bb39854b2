"""What reading a catalogue table gives: programmes with their providers, and rows not read."""

from __future__ import annotations

from dataclasses import dataclass, field

from microcred.domain.specification import Specification


@dataclass(frozen=True)
class Provider:
    """The institution a programme belongs to, as a catalogue names it."""

    slug: str
    name: dict[str, str]
    country: str | None = None
    is_higher_education: bool | None = None


@dataclass(frozen=True)
class ImportedProgramme:
    """One programme read from a catalogue file: who offers it, what it is, where it came from."""

    provider: Provider
    specification: Specification
    source: str  # file name
    row: int | None = None  # row number in the file (1 = the header row of a table)

    @property
    def place(self) -> str:
        return f"{self.source}, row {self.row}" if self.row is not None else self.source


@dataclass(frozen=True)
class RowProblem:
    """A row (or file) that could not be read: where, and what to fix."""

    source: str
    row: int | None
    reason: str

    @property
    def place(self) -> str:
        return f"{self.source}, row {self.row}" if self.row is not None else self.source


@dataclass
class TableContent:
    programmes: list[ImportedProgramme] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class RowError(ValueError):
    """A cell that cannot be read; the message names the column and what to write instead."""
