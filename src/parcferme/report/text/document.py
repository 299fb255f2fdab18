"""A written report as data — title, lead, sections of paragraphs — and its Markdown and HTML forms.

The writer composes a `Report`; rendering it is a separate, mechanical step, so Markdown and HTML always
say the same thing. Paragraphs are plain text (no markup): the HTML form escapes them and marks up French
ordinals (2e → 2<sup>e</sup>).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

__all__ = ["Figure", "Report", "Section", "to_html", "to_markdown"]


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart shown after a section: the file it is in (relative to the report) and its caption."""

    path: str
    caption: str


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]
    subsections: tuple[Section, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    lang: str
    title: str
    dateline: str  # "Spa-Francorchamps, 6 May 2017"
    lead: str
    sections: tuple[Section, ...]

    def paragraphs(self) -> list[str]:
        """Every paragraph, the lead first, in reading order."""
        out = [self.lead]

        def walk(section: Section) -> None:
            out.extend(section.paragraphs)
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        return out

    def text(self) -> str:
        """The whole report as plain text: what a reader reads, without markup."""
        return "\n\n".join([self.title, self.dateline, *self.paragraphs()])


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", f"*{report.dateline}*", "", f"**{report.lead}**", ""]

    def walk(section: Section, level: int) -> None:
        lines.extend([f"{'#' * level} {section.heading}", ""])
        for paragraph in section.paragraphs:
            lines.extend([paragraph, ""])
        for figure in section.figures:
            lines.extend([f"![{figure.caption}]({figure.path})", ""])
        for sub in section.subsections:
            walk(sub, level + 1)

    for section in report.sections:
        walk(section, 2)
    return "\n".join(lines).rstrip() + "\n"


_ORDINAL_FR = re.compile(r"\b(\d+)(er|re|e)\b")

_STYLE = """
body { font-family: "DejaVu Serif", Georgia, serif; max-width: 44em; margin: 2em auto; padding: 0 1em;
       color: #1a1a1a; line-height: 1.55; }
h1 { font-family: "DejaVu Sans", Helvetica, sans-serif; font-size: 1.9em; line-height: 1.2;
     margin-bottom: .2em; }
h2, h3 { font-family: "DejaVu Sans", Helvetica, sans-serif; margin-top: 1.6em; }
h2 { border-bottom: 2px solid #b3001b; padding-bottom: .15em; }
.dateline { color: #666; font-style: italic; margin-top: 0; }
.lead { font-weight: bold; font-size: 1.08em; }
figure { margin: 1.2em 0; }
figure img { width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { color: #555; font-size: .9em; }
"""


def _inline(text: str, lang: str) -> str:
    escaped = html.escape(text, quote=False)
    if lang == "fr":
        escaped = _ORDINAL_FR.sub(r"\1<sup>\2</sup>", escaped)
    return escaped


def to_html(report: Report) -> str:
    lang = report.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(report.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<article>",
        f"<h1>{_inline(report.title, lang)}</h1>",
        f'<p class="dateline">{_inline(report.dateline, lang)}</p>',
        f'<p class="lead">{_inline(report.lead, lang)}</p>',
    ]

    def walk(section: Section, level: int) -> None:
        parts.append(f"<h{level}>{_inline(section.heading, lang)}</h{level}>")
        parts.extend(f"<p>{_inline(p, lang)}</p>" for p in section.paragraphs)
        for figure in section.figures:
            caption = html.escape(figure.caption)
            parts.append(
                f'<figure><img src="{html.escape(figure.path)}" alt="{caption}">'
                f"<figcaption>{caption}</figcaption></figure>"
            )
        for sub in section.subsections:
            walk(sub, level + 1)

    for section in report.sections:
        walk(section, 2)
    parts += ["</article>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
