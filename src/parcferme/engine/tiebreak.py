"""Tie-breaks between competitors level on points: sort keys for a chain of rules, and the words for them.

F1 (Art 7.2, RULES.md §1.7): most wins, then most second places, and so on; if still tied, the FIA decides,
which the engine shows as a shared position. Other series add "the better last result" (RULES.md §4.5):
the better result in the most recent race, then in the race before, and so on — race by race, so that the
second race of a weekend decides before the first.

A countback is kept as one integer: the count of each place in its own 10-bit digit, first place most
significant, so that comparing two competitors' records is one integer comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from parcferme.model.points import TieBreak
from parcferme.model.standings import TieNote

__all__ = ["MISSING", "Countback", "explain_tie", "ordinal"]

MISSING = 10**6  # a race without a classified result, for the last-result rule
_BITS = 10  # counts up to 1023 of one place in a season
_MASK = (1 << _BITS) - 1
_SHARED = "not separated by the tie-break rules: position shared"


class Countback:
    """Place counts packed in an int: `weight(p)` is what one finish in place p adds (1 ≤ p ≤ width)."""

    def __init__(self, width: int) -> None:
        self.width = max(width, 1)
        self.weights = [0] + [1 << (_BITS * (self.width - p)) for p in range(1, self.width + 1)]

    def weight(self, place: int) -> int:
        return self.weights[place] if 0 < place <= self.width else 0

    def counts(self, packed: int) -> list[int]:
        """The count of each place, first place first."""
        return [self.count(packed, p) for p in range(1, self.width + 1)]

    def count(self, packed: int, place: int) -> int:
        return (packed >> (_BITS * (self.width - place))) & ((1 << _BITS) - 1)

    def first_difference(self, a: int, b: int) -> int:
        """The best place whose count differs between two packed records (they must differ)."""
        return self.difference(a, b)[0]

    def difference(self, a: int, b: int) -> tuple[int, int, int]:
        """(place, count in a, count in b) at the best place whose count differs (the records must differ)."""
        shift = ((a ^ b).bit_length() - 1) // _BITS * _BITS
        while (a >> shift) & _MASK == (b >> shift) & _MASK:  # a borrow can reach into the digit below
            shift -= _BITS
        return self.width - shift // _BITS, (a >> shift) & _MASK, (b >> shift) & _MASK


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_SUFFIXES.get(n % 10, 'th')}"


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def _places(count: int, position: int) -> str:
    if position == 1:
        return f"{count} win" + ("" if count == 1 else "s")
    return f"{count} {ordinal(position)} place" + ("" if count == 1 else "s")


def explain_tie(
    above: str,
    above_parts: Sequence[object],
    below_parts: Sequence[object],
    chain: Sequence[TieBreak],
    points: Fraction,
    decoders: Mapping[TieBreak, Countback],
    races: Sequence[str],
) -> TieNote:
    """Why the competitor with `below_parts` is behind `above` although level on `points` (or level with it).

    The parts are the sort-key parts of the chain: a negated packed countback for COUNTBACK and
    FINISHING_ORDER, a tuple of best places newest race first for LAST_RESULT; `races` names those races
    ("round 2", "round 1 R2"), newest first.
    """
    for rule, a, b in zip(chain, above_parts, below_parts, strict=True):
        if a == b:
            continue
        if rule is TieBreak.LAST_RESULT:
            assert isinstance(a, tuple) and isinstance(b, tuple)
            index = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
            shown = ["no result" if v == MISSING else ordinal(v) for v in (a[index], b[index])]
            detail = f"better result in {races[index]}: {shown[0]} to {shown[1]}"
        else:
            assert isinstance(a, int) and isinstance(b, int)
            place, mine, theirs = decoders[rule].difference(-a, -b)
            detail = f"{_places(mine, place)} to {theirs}"
            if rule is TieBreak.FINISHING_ORDER:
                detail += " (finishing order, classified or not)"
        return TieNote(above, points, rule, detail)
    return TieNote(above, points, None, _SHARED)
