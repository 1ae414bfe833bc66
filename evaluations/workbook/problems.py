"""What is wrong with a workbook: each problem names its sheet, row and code, translated."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook: where (sheet, row, code) and what, translated."""

    sheet: str
    row: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.code:
            where.append(self.code)
        return f"{', '.join(where)}: {self.message}" if where else str(self.message)


class WorkbookInvalid(Exception):
    """The workbook cannot be imported; `problems` lists every reason found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def refuse(message) -> WorkbookInvalid:
    """Return the error for a file refused as a whole (no sheet or row to name)."""
    return WorkbookInvalid([Problem("", None, "", message)])


def damaged() -> WorkbookInvalid:
    return refuse(_("The file is damaged: it cannot be opened as an Excel workbook."))


def not_a_workbook() -> WorkbookInvalid:
    return refuse(_("The file is not an Excel workbook (.xlsx)."))
