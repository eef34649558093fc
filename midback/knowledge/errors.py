"""The error raised when the knowledge base cannot be loaded."""

from __future__ import annotations


class KnowledgeError(Exception):
    """A problem in a knowledge-base file, naming the file, the entry and the field."""

    def __init__(
        self, file: str, problem: str, *, entry: str | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.entry = entry
        self.field = field
        self.problem = problem
        where = file
        if entry is not None:
            where += f", entry '{entry}'"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")
