"""The model's quick `@dataclass(frozen=True, slots=True)` (model/_dataclass.py) behaves as the standard one.

Each sample class is made twice from the same body, by the quick decorator and by `dataclasses.dataclass`,
and every behaviour a caller can see is compared: construction and its errors, fields, defaults and
factories, repr (recursive too), equality, hash, `replace`, `asdict`, pickle and copy, assignment and
deletion errors, slots, `__match_args__`, the parameters and the signature. Then every model class is
checked to be a frozen slotted dataclass.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import sys
from collections.abc import Callable, Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any

import pytest

import parcferme.model as model
from parcferme.model import _dataclass
from parcferme.model.championship import __name__ as _championship  # noqa: F401 - loads the module
from parcferme.model.incidents import Incident
from parcferme.model.points import __name__ as _points  # noqa: F401
from parcferme.model.standings import __name__ as _standings  # noqa: F401

QUICK = _dataclass.dataclass(frozen=True, slots=True)
STANDARD = dataclasses.dataclass(frozen=True, slots=True)


def _bodies() -> dict[str, Callable[[], type]]:
    """Class bodies, each made anew per call (a decorator with slots replaces the class it is given)."""

    def plain() -> type:
        class Plain:
            """A docstring."""

            car: str
            lap: int
            time: int | None = None
            note: str = ""

            @property
            def label(self) -> str:
                return f"{self.car}/{self.lap}"

            def later(self, laps: int) -> int:
                return self.lap + laps

        return Plain

    def factory() -> type:
        class Factory:
            """With default factories."""

            number: str
            names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
            cars: tuple[str, ...] = ()
            extra: list[int] = field(default_factory=list)

        return Factory

    def hashed() -> type:
        class Hashed:
            """Its own hash (as Entry and Classification)."""

            id: str
            names: tuple[str, ...] = ()

            def __hash__(self) -> int:
                return hash(self.id)

        return Hashed

    def single() -> type:
        class Single:
            """One field."""

            value: float

        return Single

    def empty() -> type:
        class Empty:
            """No field at all."""

        return Empty

    def undocumented() -> type:
        class Undocumented:
            name: str
            length_m: int = 0

        return Undocumented

    def nested() -> type:
        class Nested:
            """Holds anything, itself included."""

            inner: Any = None
            items: list[Any] = field(default_factory=list)

        return Nested

    return {
        "plain": plain,
        "factory": factory,
        "hashed": hashed,
        "single": single,
        "empty": empty,
        "undocumented": undocumented,
        "nested": nested,
    }


BODIES = _bodies()
ARGS: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "plain": [(("7", 3), {}), (("7", 3, 90_000_000, "x"), {}), ((), {"car": "8", "lap": 1, "note": "n"})],
    "factory": [(("7",), {}), (("7", MappingProxyType({"en": "Seven"}), ("a",), [1, 2]), {})],
    "hashed": [(("lmp2",), {}), (("lmp2", ("LMP2",)), {})],
    "single": [((1.5,), {}), ((float("nan"),), {})],
    "empty": [((), {})],
    "undocumented": [(("Spa",), {}), (("Spa", 7004), {})],
    "nested": [((), {}), ((1, [2]), {})],
}
BAD_ARGS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), {}),
    (("7", 3, None, "", "too many"), {}),
    (("7",), {"car": "8"}),
    (("7", 3), {"unknown": 1}),
]


def twins(kind: str) -> tuple[Any, Any]:
    quick: Any = QUICK(BODIES[kind]())
    standard: Any = STANDARD(BODIES[kind]())
    return quick, standard


def outcome(action: Callable[[], Any]) -> tuple[str, Any]:
    """What an action gives or raises, comparable between the twins (type names, not classes)."""
    try:
        value = action()
    except Exception as exc:
        return "raises", (type(exc).__name__, str(exc))
    return "gives", value


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_the_class_is_made_as_the_standard_decorator_makes_it(kind: str) -> None:
    quick, standard = twins(kind)
    assert quick.__slots__ == standard.__slots__
    assert quick.__match_args__ == standard.__match_args__
    assert quick.__doc__ == standard.__doc__
    assert str(inspect.signature(quick)) == str(inspect.signature(standard))
    assert repr(quick.__dataclass_params__) == repr(standard.__dataclass_params__)
    assert [
        (f.name, f.type, f.default, f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(quick)
    ] == [
        (f.name, f.type, f.default, f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(standard)
    ]
    assert quick.__qualname__ == standard.__qualname__ and quick.__module__ == standard.__module__
    for name in ("__init__", "__repr__", "__eq__", "__setattr__", "__delattr__"):
        assert getattr(quick, name).__qualname__.split(".")[-1] == name
    assert (quick.__hash__ is None) == (standard.__hash__ is None)
    assert not hasattr(quick(*ARGS[kind][0][0], **ARGS[kind][0][1]), "__dict__")
    assert dataclasses.is_dataclass(quick) and dataclasses.is_dataclass(standard)


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_instances_behave_as_the_standard_ones(kind: str) -> None:
    quick, standard = twins(kind)
    for args, kwargs in ARGS[kind]:
        a, b = quick(*args, **kwargs), standard(*args, **kwargs)
        c = quick(*args, **kwargs)
        assert repr(a) == repr(b).replace(standard.__qualname__, quick.__qualname__)
        assert outcome(lambda: dataclasses.asdict(a)) == outcome(lambda: dataclasses.asdict(b))  # noqa: B023
        assert outcome(lambda: dataclasses.astuple(a)) == outcome(lambda: dataclasses.astuple(b))  # noqa: B023
        assert (a == c) == (b == standard(*args, **kwargs))
        assert (a != c) == (b != standard(*args, **kwargs))
        assert a != b and a.__eq__(b) is NotImplemented  # another class, even with the same fields
        assert outcome(lambda: hash(a)) == outcome(lambda: hash(b))  # noqa: B023
        for name in [f.name for f in dataclasses.fields(quick)] + ["other"]:
            assert outcome(lambda: setattr(a, name, 1)) == outcome(lambda: setattr(b, name, 1))  # noqa: B023
            assert outcome(lambda: delattr(a, name)) == outcome(lambda: delattr(b, name))  # noqa: B023
        for how in (copy.copy, copy.deepcopy):
            copied, expected = outcome(lambda: how(a)), outcome(lambda: how(b))  # noqa: B023
            assert copied[0] == expected[0]
            if copied[0] == "gives":
                assert type(copied[1]) is quick and copied[1].__getstate__() == a.__getstate__()
        assert a.__getstate__() == b.__getstate__()
        if dataclasses.fields(quick):
            first = dataclasses.fields(quick)[0].name
            changed = dataclasses.replace(a, **{first: "changed"})
            assert getattr(changed, first) == "changed"
            assert repr(changed) == repr(dataclasses.replace(b, **{first: "changed"})).replace(
                standard.__qualname__, quick.__qualname__
            )
    for args, kwargs in BAD_ARGS:  # the same errors (or the same values, for classes that take these)
        made = outcome(lambda: repr(quick(*args, **kwargs)))  # noqa: B023
        assert made == outcome(lambda: repr(standard(*args, **kwargs)))  # noqa: B023


@_dataclass.dataclass(frozen=True, slots=True)
class Pickled:
    """At module level, so that pickle finds it."""

    car: str
    laps: tuple[int, ...] = ()


def test_pickle_round_trip() -> None:
    value = Pickled("7", (1, 2))
    back = pickle.loads(pickle.dumps(value))
    assert back == value and type(back) is Pickled
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.car = "8"  # type: ignore[misc]


def test_default_factories_give_a_new_value_each_time() -> None:
    quick, _ = twins("factory")
    first, second = quick("1"), quick("2")
    assert first.extra == [] and first.extra is not second.extra
    assert first.names == {}


def test_recursive_repr_is_cut_as_the_standard_one() -> None:
    quick, standard = twins("nested")
    a, b = quick(), standard()
    a.items.append(a)
    b.items.append(b)
    assert repr(a) == repr(b).replace(standard.__qualname__, quick.__qualname__)
    assert repr(a).endswith("Nested(inner=None, items=[...])")


def test_equality_compares_fields_as_tuples() -> None:
    quick, standard = twins("single")
    nan = float("nan")
    assert (quick(nan) == quick(nan)) == (standard(nan) == standard(nan))
    assert quick(nan) == quick(nan)  # the same nan object: equal as in a tuple


def test_classes_with_more_than_plain_fields_go_to_the_standard_decorator() -> None:
    class WithPostInit:
        """Checks after init."""

        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    made: Any = QUICK(WithPostInit)
    with pytest.raises(ValueError, match="negative"):
        made(-1)
    assert made(1).value == 1


def model_classes() -> list[type]:
    found: list[type] = []
    for name, module in sorted(sys.modules.items()):
        if name.startswith("parcferme.model."):
            found.extend(
                value
                for value in vars(module).values()
                if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == name
            )
    return found


def test_every_model_class_is_a_frozen_slotted_dataclass() -> None:
    classes = model_classes()
    assert model.Entry in classes and Incident in classes and len(classes) >= 40
    for cls in classes:
        params = vars(cls)["__dataclass_params__"]
        assert params.frozen and params.eq and params.init and params.repr, cls
        assert "__slots__" in cls.__dict__, cls
        assert cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("), f"{cls.__name__}: no docstring"
