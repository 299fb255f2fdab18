"""The exceptions parcferme raises on purpose: one tree under ParcFermeError.

Anything else escaping the package is a bug. Readers translate low-level errors (KeyError, ValueError,
UnicodeDecodeError…) into an InputError that names the source, the line or record, and what was expected.
"""

from __future__ import annotations


class ParcFermeError(Exception):
    """Root of every error parcferme raises on purpose."""


class LocatedError(ParcFermeError):
    """An error that says where: the source (file or feed), the line or record, and the field."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.field is not None:
            where += f" [{self.field}]" if where else f"[{self.field}]"
        return f"{where}: {self.message}" if where else self.message


class InputError(LocatedError):
    """Bad input: names the source (file), the line or record, the field, and what was expected."""


class FeedError(LocatedError):
    """A live feed or capture line that cannot be read (or a dropped connection): where, and what.

    Raised for a bad line, and also kept as a value in issue lists: a feed reports its bad lines and goes
    on with the good ones around them. `text` keeps the offending line.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
        text: str | None = None,
    ) -> None:
        self.text = text
        super().__init__(message, source=source, line=line, field=field)

    def located(self, source: str | None, line: int | None) -> FeedError:
        """The same error, placed at a source and line (parse_record does not know where it is)."""
        return FeedError(self.message, source=source, line=line, field=self.field, text=self.text)


class RuleError(ParcFermeError):
    """A rule set is invalid, or a rule cannot be applied to the data it was given."""


class NotBuiltError(ParcFermeError):
    """A capability that parcferme does not provide yet."""
