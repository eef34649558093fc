"""Reading knowledge-base files: YAML, shape validation with pydantic, and errors that name
the file, the entry and the field."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from midback import __version__
from midback.knowledge import model
from midback.knowledge.errors import KnowledgeError

M = TypeVar("M", bound=BaseModel)


def read_yaml(root: Path, path: Path) -> Any:
    name = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(name, "the file is missing") from None
    except IsADirectoryError:
        raise KnowledgeError(name, "this is a folder, not a YAML file") from None
    except UnicodeDecodeError:
        raise KnowledgeError(name, "the file is not UTF-8 text") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise KnowledgeError(name, f"this is not valid YAML{where}: {error}") from None


def field_path(location: Iterable[int | str]) -> str:
    parts: list[str] = []
    for part in location:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif part in {
            "str",
            "AdviceRef",
            "AdviceItem",
            "RuleCondition",
            "function-before[_bare_word_is_estimate(), LikelihoodEntry]",
        }:
            continue
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(entry)"


def parse(kind: type[M], data: Any, file: str, entry: str | None) -> M:
    try:
        return kind.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise KnowledgeError(
            file,
            first["msg"]
            + (f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""),
            entry=entry,
            field=field_path(first["loc"]),
        ) from None


def entry_id(data: Any, key: str, index: int) -> str:
    if isinstance(data, dict) and isinstance(data.get(key), str):
        return str(data[key])
    return f"#{index + 1}"


class Reader:
    """Reads the files of one knowledge-base folder and remembers which sources were cited."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.used_sources: set[str] = set()

    # -- files --------------------------------------------------------------------------------

    def _files(self, pattern: str) -> list[Path]:
        files = sorted(self.root.glob(pattern))
        if not files:
            raise KnowledgeError(pattern, "no such file in the knowledge base")
        return files

    def _name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _list_entries(self, path: Path, kind: type[M], key: str) -> Iterator[tuple[str, M]]:
        data = read_yaml(self.root, path)
        name = self._name(path)
        if not isinstance(data, list):
            raise KnowledgeError(name, "the file must hold a list of entries")
        for index, item in enumerate(data):
            entry = entry_id(item, key, index)
            yield entry, parse(kind, item, name, entry)

    def _mapping(self, path: Path, kind: type[M]) -> M:
        data = read_yaml(self.root, path)
        name = self._name(path)
        if not isinstance(data, dict):
            raise KnowledgeError(name, "the file must hold a mapping")
        return parse(kind, data, name, None)

    def version(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.root.rglob("*.yaml")):
            digest.update(self._name(path).encode())
            digest.update(path.read_bytes())
        return f"{__version__}+kb.{digest.hexdigest()[:10]}"

    # -- the whole load ------------------------------------------------------------------------

    def _check_sources(
        self,
        ids: Iterable[str],
        sources: dict[str, model.Source],
        file: str,
        entry: str,
        field: str,
    ) -> tuple[str, ...]:
        ids = tuple(ids)
        for source_id in ids:
            if source_id not in sources:
                raise KnowledgeError(
                    file,
                    f"unknown source '{source_id}' (add it to sources/*.yaml)",
                    entry=entry,
                    field=field,
                )
            self.used_sources.add(source_id)
        return ids
