"""Classifications: sub-championship views of a session (French championship, B, Rookies…)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType

from parcferme.model._dataclass import dataclass
from parcferme.model.entries import AttributeValue, Entry

OVERALL = "overall"


def _matches(actual: AttributeValue | None, wanted: AttributeValue) -> bool:
    """An attribute matches a wanted value when equal; a tuple attribute matches when it contains it."""
    if actual is None:
        return wanted is False
    if isinstance(wanted, tuple):
        return any(_matches(actual, w) for w in wanted)
    if isinstance(actual, tuple):
        return wanted in actual
    return actual == wanted


@dataclass(frozen=True, slots=True)
class Classification:
    """An eligibility rule over entry attributes: every `require` matches and no `exclude` does.

    A wanted value that is a tuple means "any of these". `names` maps a language code to a display name.
    """

    id: str
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    require: Mapping[str, AttributeValue] = field(default_factory=lambda: MappingProxyType({}))
    exclude: Mapping[str, AttributeValue] = field(default_factory=lambda: MappingProxyType({}))

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang) or self.names.get("en") or self.id

    def admits(self, entry: Entry) -> bool:
        attrs = entry.attributes
        if not all(_matches(attrs.get(k), v) for k, v in self.require.items()):
            return False
        return not any(_matches(attrs.get(k), v) for k, v in self.exclude.items())

    def __hash__(self) -> int:
        return hash(self.id)


OVERALL_CLASSIFICATION = Classification(
    id=OVERALL, names=MappingProxyType({"en": "Overall", "fr": "Classement général"})
)
