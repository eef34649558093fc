"""Static HTML export of the guides (`midback guides export DIR`), from the same templates."""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from midback.knowledge.model import KnowledgeBase
from midback.web.guides import LEVEL_WORDS, guide_view, index_view
from midback.web.pages import EVIDENCE_WORDS

WEB = Path(__file__).parent


def export_guides(kb: KnowledgeBase, target: Path) -> list[Path]:
    """Write index.html, guides/<id>.html and static/midback.css under `target`."""
    environment = Environment(
        loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape(["html"])
    )
    common = {
        "kb_version": kb.version,
        "disclaimer": kb.policy.disclaimer,
        "evidence_words": EVIDENCE_WORDS,
        "level_words": LEVEL_WORDS,
        "sources": kb.sources,
        "static": True,
    }
    (target / "guides").mkdir(parents=True, exist_ok=True)
    (target / "static").mkdir(exist_ok=True)
    shutil.copy(WEB / "static" / "midback.css", target / "static" / "midback.css")
    written = [target / "index.html"]
    written[0].write_text(
        environment.get_template("guides.html").render(
            **common, **index_view(kb), asset_prefix="static/", home_url="index.html"
        ),
        encoding="utf-8",
    )
    for condition in kb.conditions:
        path = target / "guides" / f"{condition.id}.html"
        path.write_text(
            environment.get_template("guide.html").render(
                **common,
                guide=guide_view(kb, condition.id),
                replies=[],
                form={},
                errors={},
                token="",
                asset_prefix="../static/",
                home_url="../index.html",
            ),
            encoding="utf-8",
        )
        written.append(path)
    return written
