"""The model's quick `@dataclass(frozen=True, slots=True)` (model/_dataclass.py) behaves as the standard one.

Each sample class is made twice from the same body, by the quick decorator and by `dataclasses.dataclass`,
and every behaviour a caller can see is compared: construction and its errors, fields, defaults and
factories, repr (recursive too), equality, hash, `replace`, `asdict`, pickle and copy, assignment and
deletion errors, slots, `__match_args__`, the parameters and the signature, the `Field` objects, the
class's attributes in their order, `__init__` down to its code, match statements. Classes the quick
decorator does not make itself are checked to go to the standard one (and to fail as it fails). Then every
model class is checked to be a frozen slotted dataclass.
"""

from __future__ import annotations

import abc
import copy
import dataclasses
import dis
import functools
import importlib
import inspect
import pickle
import pkgutil
import sys
import typing
import weakref
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, InitVar, field
from types import MappingProxyType
from typing import Any, ClassVar
from typing import ClassVar as Constant  # noqa: F401 - read by a string annotation below

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

    def methods() -> type:
        class Methods:
            """Methods of every kind, and class constants without annotations."""

            LIMIT = 3
            NAMES = ("a", "b")
            car: str
            laps: int = 0

            @property
            def label(self) -> str:
                return f"{self.car}:{self.laps}"

            @classmethod
            def of(cls, car: str) -> Any:
                return cls(car, cls.LIMIT)  # type: ignore[call-arg]

            @staticmethod
            def double(value: int) -> int:
                return 2 * value

            def over(self) -> bool:
                return self.laps > self.LIMIT

        return Methods

    def flags() -> type:
        class Flags:
            """Fields left out of the repr or of comparisons, and metadata."""

            id: str
            source: Any = field(default=None, repr=False, compare=False)
            note: str = field(default="", metadata={"unit": "s"})
            cache: tuple[int, ...] = field(default=(), compare=False, kw_only=False)

        return Flags

    def selfish() -> type:
        class Selfish:
            """A field named self."""

            self: str
            other: int = 0

        return Selfish

    def own() -> type:
        class Own:
            """Its own repr and equality (so no hash of its own), and its own match arguments."""

            __match_args__ = ("b",)
            a: int
            b: int = 0

            def __repr__(self) -> str:
                return f"Own<{self.a}>"

            def __eq__(self, other: object) -> bool:
                if type(other) is not type(self):
                    return NotImplemented
                return bool(self.a == other.a)

        return Own

    def real() -> type:
        """Annotations as objects, not strings (this module's are strings), and a string among them."""
        namespace: dict[str, Any] = {
            "__module__": __name__,
            "__qualname__": "Real",
            "__doc__": "Annotations as objects.",
            "__annotations__": {"a": int, "b": list[int], "c": "str", "d": int | None},
            "b": field(default_factory=list),
            "c": "x",
            "d": None,
        }
        return type("Real", (), namespace)

    return {
        "plain": plain,
        "factory": factory,
        "hashed": hashed,
        "single": single,
        "empty": empty,
        "undocumented": undocumented,
        "nested": nested,
        "methods": methods,
        "flags": flags,
        "selfish": selfish,
        "own": own,
        "real": real,
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
    "methods": [(("7",), {}), (("7", 5), {})],
    "flags": [(("a",), {}), (("a", "src", "n", (1,)), {}), (("a",), {"source": [1], "cache": (2,)})],
    "selfish": [(("me",), {}), ((), {"self": "me", "other": 2})],
    "own": [((1,), {}), ((1, 2), {})],
    "real": [((1,), {}), ((1, [2], "y", 3), {})],
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
    if sys.version_info < (3, 13):  # 3.13 compares the fields one by one (nan then differs from itself)
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


FIELD_ATTRIBUTES = ("name", "type", "default", "init", "repr", "hash", "compare", "kw_only", "_field_type")
QUICK_MADE = _dataclass._PARAMS is not None  # on a Python the quick path reproduces (else: all standard)


def field_view(cls: type) -> list[tuple[Any, ...]]:
    """Every attribute of every `Field`; a factory by its code (a lambda is made anew per class body)."""
    return [
        (
            *(getattr(f, name) for name in FIELD_ATTRIBUTES),
            dict(f.metadata),
            type(f.metadata),
            getattr(f.default_factory, "__code__", f.default_factory),
        )
        for f in dataclasses.fields(cls)
    ]


def init_view(cls: Any) -> tuple[Any, ...]:
    """`__init__` as far as a caller (or a traceback, or a debugger) can see it."""
    init = cls.__init__
    code = init.__code__
    return (
        init.__name__,
        init.__qualname__,
        init.__module__,
        init.__doc__,
        init.__defaults__,
        init.__kwdefaults__,
        init.__annotations__,
        init.__globals__ is vars(sys.modules[cls.__module__]),
        typing.get_type_hints(init),
        inspect.signature(init),
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
        code.co_varnames,
        code.co_filename,
        code.co_name,
        code.co_qualname,
        code.co_firstlineno,
        [line for _, _, line in code.co_lines()],
        code.co_names,
        # the closure's names are not the standard ones (`_dflt_x`): the same number, the same operations
        len(code.co_freevars),
        [(i.opname, None if i.opname == "LOAD_DEREF" else i.argval) for i in dis.get_instructions(init)],
    )


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_the_quick_decorator_makes_these_classes_itself(kind: str) -> None:
    assert (_dataclass._quick(BODIES[kind]()) is not None) == QUICK_MADE  # else the tests compare nothing


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_fields_params_and_attributes_are_the_standard_ones(kind: str) -> None:
    quick, standard = twins(kind)
    assert field_view(quick) == field_view(standard)
    assert list(quick.__dataclass_fields__) == list(standard.__dataclass_fields__)
    params, expected = quick.__dataclass_params__, standard.__dataclass_params__
    assert type(params) is type(expected) and params is not expected
    assert [getattr(params, name) for name in type(params).__slots__] == [
        getattr(expected, name) for name in type(expected).__slots__
    ]
    assert list(vars(quick)) == list(vars(standard))  # the same attributes, in the same order
    for name in ("__getstate__", "__setstate__"):
        assert vars(quick).get(name) is vars(standard).get(name)
    assert inspect.signature(quick) == inspect.signature(standard)
    assert typing.get_type_hints(quick) == typing.get_type_hints(standard)
    again: Any = QUICK(BODIES[kind]())
    assert quick.__dataclass_params__ is not again.__dataclass_params__  # one per class, as the standard's
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        mine, theirs = vars(quick).get(name), vars(standard).get(name)
        assert (mine is None) == (theirs is None), name
        if mine is not None:
            assert (mine.__qualname__, mine.__module__) == (theirs.__qualname__, theirs.__module__), name
    if "__repr__" not in vars(BODIES[kind]()):  # the standard one is wrapped against recursion
        mine, theirs = inspect.unwrap(quick.__repr__), inspect.unwrap(standard.__repr__)
        assert (mine.__qualname__, mine.__module__) == (theirs.__qualname__, theirs.__module__)


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_init_is_the_standard_one_down_to_its_code(kind: str) -> None:
    quick, standard = twins(kind)
    assert init_view(quick) == init_view(standard)


@pytest.mark.parametrize("kind", sorted(BODIES))
def test_replace_copy_pickle_state_and_weak_references(kind: str) -> None:
    quick, standard = twins(kind)
    names = [f.name for f in dataclasses.fields(quick)]
    for args, kwargs in ARGS[kind]:
        a, b = quick(*args, **kwargs), standard(*args, **kwargs)

        def same(action: Callable[[Any], Any]) -> None:
            mine, theirs = outcome(lambda: action(a)), outcome(lambda: action(b))  # noqa: B023
            if mine[0] == "gives" and type(mine[1]) is quick:  # an instance: compared by its state
                assert type(theirs[1]) is standard
                mine, theirs = ("gives", mine[1].__getstate__()), ("gives", theirs[1].__getstate__())
            assert mine == theirs

        same(lambda obj: dataclasses.replace(obj))
        same(lambda obj: dataclasses.replace(obj, unknown=1))
        for name in names:
            same(lambda obj: dataclasses.replace(obj, **{name: "changed"}))  # noqa: B023
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            same(lambda obj: obj.__reduce_ex__(protocol)[2:])  # noqa: B023 - the state, past the class
        same(lambda obj: weakref.ref(obj))
        same(lambda obj: obj.__getstate__())
        restored = quick.__new__(quick)
        restored.__setstate__(a.__getstate__())
        assert restored.__getstate__() == a.__getstate__()


def test_replace_calls_no_factory_and_keeps_defaults() -> None:
    quick, standard = twins("factory")
    for cls in (quick, standard):
        value = cls("7")
        kept = dataclasses.replace(value, number="8")
        assert kept.extra is value.extra and kept.names is value.names and kept.cars == ()
        assert dataclasses.replace(value, extra=[1]).extra == [1]
        assert cls("1").extra is not cls("1").extra


@_dataclass.dataclass(frozen=True, slots=True)
class QuickPickled:
    """At module level for pickle; its twin's name has as many letters (the same bytes)."""

    car: str
    laps: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)
    extra: Any = field(default=None, compare=False)


@dataclasses.dataclass(frozen=True, slots=True)
class StockPickled:
    """At module level for pickle; its twin's name has as many letters (the same bytes)."""

    car: str
    laps: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)
    extra: Any = field(default=None, compare=False)


def test_pickle_and_copy_as_the_standard_ones_for_every_protocol() -> None:
    quick, standard = QuickPickled("7", (1, 2), ["n"], 4), StockPickled("7", (1, 2), ["n"], 4)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back, expected = (
            pickle.loads(pickle.dumps(quick, protocol)),
            pickle.loads(pickle.dumps(standard, protocol)),
        )
        assert type(back) is QuickPickled and back == quick and back.__getstate__() == expected.__getstate__()
        assert pickle.dumps(quick, protocol).replace(b"QuickPickled", b"StockPickled") == pickle.dumps(
            standard, protocol
        )
    for how in (copy.copy, copy.deepcopy):
        assert how(quick) == quick and how(quick).__getstate__() == how(standard).__getstate__()
    assert copy.deepcopy(quick).notes is not quick.notes and copy.copy(quick).notes is quick.notes
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'car'"):
        back.car = "8"


def matched(value: Any, cls: Any) -> Any:
    """What match statements take from an instance, by position and by keyword."""
    match value:
        case cls(first, second, third, fourth):
            return ("four", first, second, third, fourth)
        case cls(first, second):
            return ("two", first, second)
        case cls(first):
            return ("one", first)
        case cls(car=car):
            return ("keyword", car)
        case _:
            return None


@pytest.mark.parametrize("kind", ["plain", "factory", "hashed", "single", "own", "selfish"])
def test_match_statements_see_the_same_positions(kind: str) -> None:
    quick, standard = twins(kind)
    for args, kwargs in ARGS[kind]:
        a, b = quick(*args, **kwargs), standard(*args, **kwargs)
        assert outcome(lambda: matched(a, quick)) == outcome(lambda: matched(b, standard))  # noqa: B023
        # too many positions: the same TypeError (the twins have the same name)
        assert outcome(lambda: too_many(a, quick)) == outcome(lambda: too_many(b, standard))  # noqa: B023


def too_many(value: Any, cls: Any) -> bool:
    match value:
        case cls(_, _, _, _, _, _):
            return True
    return False


def test_methods_properties_and_constants_are_kept() -> None:
    quick, standard = twins("methods")
    for cls in (quick, standard):
        value = cls("7", 5)
        assert value.label == "7:5" and value.over() and cls.double(4) == 8
        assert cls.of("8") == cls("8", 3) and type(cls.of("8")) is cls
        assert (cls.LIMIT, cls.NAMES, value.LIMIT) == (3, ("a", "b"), 3)
    a, b = quick("7"), standard("7")
    for name in ("LIMIT", "label", "over", "other"):
        assert outcome(lambda: setattr(a, name, 1)) == outcome(lambda: setattr(b, name, 1))  # noqa: B023
        assert outcome(lambda: delattr(a, name)) == outcome(lambda: delattr(b, name))  # noqa: B023
    assert type(vars(quick)["of"]) is classmethod and type(vars(quick)["double"]) is staticmethod


def test_fields_out_of_repr_and_comparisons() -> None:
    quick, standard = twins("flags")
    a, b = quick("x", "one", "n", (1,)), quick("x", "two", "n", (2,))
    assert a == b and hash(a) == hash(b) and repr(a).endswith(".Flags(id='x', note='n', cache=(1,))")
    assert (a == b, hash(a) == hash(b)) == (
        standard("x", "one", "n", (1,)) == standard("x", "two", "n", (2,)),
        hash(standard("x", "one", "n", (1,))) == hash(standard("x", "two", "n", (2,))),
    )
    assert dataclasses.fields(quick)[2].metadata == {"unit": "s"}


def bodies_for_the_standard_decorator() -> dict[str, Callable[[], type]]:
    """Classes the quick decorator leaves to the standard one, each made anew per call (and one it makes:
    `super(type(self), self)` in a method needs no class cell)."""

    class Base:
        """A base class."""

        a: int = 0

    class Descriptor:
        def __set_name__(self, owner: type, name: str) -> None:
            self.owner = owner

        def __eq__(self, other: object) -> bool:  # any two alike, for comparing the twins' defaults
            return type(other) is type(self)

        def __hash__(self) -> int:
            return 0

        def __repr__(self) -> str:
            return "Descriptor()"

    def body(namespace: dict[str, Any], bases: tuple[type, ...] = (), **keywords: Any) -> Callable[[], type]:
        def make() -> type:
            values = {k: (v() if callable(v) and k.startswith("make_") else v) for k, v in namespace.items()}
            values = {k.removeprefix("make_"): v for k, v in values.items()}
            values.setdefault("__doc__", "A class.")
            values.setdefault("__module__", __name__)
            values.setdefault("__qualname__", "Odd")
            metaclass: type = keywords.get("metaclass", type)
            made: type = metaclass("Odd", bases, values)
            return made

        return make

    def annotated(annotations: dict[str, Any], **values: Any) -> Callable[[], type]:
        return body({"__annotations__": annotations, **values})

    def with_method(name: str, function: Callable[..., Any]) -> Callable[[], type]:
        return body({"__annotations__": {"a": "int"}, name: function})

    one_field = field(default=0)

    def shared() -> Any:  # the same field() for two names
        return one_field

    def uses_super(self: Any) -> str:
        return str(super(type(self), self).__str__())

    def uses_class_cell() -> type:
        class UsesClassCell:
            """`super()`: its methods see the class as given."""

            a: int

            def __str__(self) -> str:
                return super().__str__()

        return UsesClassCell

    def wraps_class_cell() -> type:
        def logged(function: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(function)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                return function(*args, **kwargs)

            return wrapper

        class WrapsClassCell:
            """`super()` in a decorated method."""

            a: int

            @logged
            def __str__(self) -> str:
                return super().__str__()

        return WrapsClassCell

    return {
        "classvar": annotated({"a": "int", "b": "ClassVar[int]"}, b=1),
        "classvar_alias": annotated({"a": "int", "b": "Constant[int]"}, b=1),
        "classvar_module": annotated({"a": "int", "b": "typing.ClassVar[int]"}, b=1),
        "classvar_object": annotated({"a": int, "b": ClassVar[int]}, b=1),
        "initvar": annotated({"a": "int", "b": "InitVar[int]"}),
        "initvar_object": annotated({"a": int, "b": InitVar[int]}),
        "kw_only_marker": annotated({"a": "int", "_": "KW_ONLY", "b": "int"}),
        "kw_only_object": annotated({"a": int, "_": KW_ONLY, "b": int}),
        "kw_only_field": annotated({"a": "int", "b": "int"}, make_b=lambda: field(kw_only=True)),
        "not_in_init": annotated({"a": "int", "b": "int"}, make_b=lambda: field(default=0, init=False)),
        "field_hash": annotated({"a": "int", "b": "int"}, make_b=lambda: field(default=0, hash=False)),
        "mutable_default": annotated({"a": "int", "b": "list[int]"}, b=[]),
        "default_before_none": annotated({"a": "int", "b": "int"}, a=0),
        "field_without_annotation": annotated({"a": "int"}, make_b=lambda: field(default=0)),
        "shared_field": body(
            {"__annotations__": {"a": "int", "b": "int"}, "make_a": shared, "make_b": shared}
        ),
        "dunder_field": annotated({"a": "int", "__x__": "int"}),
        "init_name_field": annotated({"a": "int", "_dflt_a": "int"}),  # a name the standard `__init__` uses
        "init_name_factory": annotated({"a": "int", "_HAS_DEFAULT_FACTORY": "int"}),
        "own_slots": body({"__annotations__": {"a": "int"}, "__slots__": ("a",)}),
        "own_setattr": with_method("__setattr__", lambda self, name, value: None),
        "own_delattr": with_method("__delattr__", lambda self, name: None),
        "post_init": with_method("__post_init__", lambda self: None),
        "super_method": uses_class_cell,
        "super_wrapped": wraps_class_cell,
        "set_name": body({"__annotations__": {"a": "int"}, "make_helper": Descriptor}),
        "set_name_default": annotated({"a": "int"}, make_a=lambda: field(default=Descriptor())),
        "base": body({"__annotations__": {"b": "int"}, "b": 1}, (Base,)),
        "metaclass": body({"__annotations__": {"a": "int"}}, metaclass=abc.ABCMeta),
        "explicit_super": with_method("__str__", uses_super),
    }


ODD = bodies_for_the_standard_decorator()


@pytest.mark.parametrize("kind", sorted(ODD))
def test_other_classes_go_to_the_standard_decorator(kind: str) -> None:
    expected = outcome(lambda: STANDARD(ODD[kind]()))
    if kind != "explicit_super":  # a plain function using `super(type(self), self)`: made quickly
        assert _dataclass._quick(ODD[kind]()) is None
    made = outcome(lambda: QUICK(ODD[kind]()))
    assert made[0] == expected[0]
    if made[0] == "raises":
        assert made == expected
    else:
        assert field_view(made[1]) == field_view(expected[1])
        assert list(vars(made[1])) == list(vars(expected[1]))
        assert str(inspect.signature(made[1])) == str(inspect.signature(expected[1]))
        assert repr(made[1].__dataclass_params__) == repr(expected[1].__dataclass_params__)


def model_classes() -> list[type]:
    for info in pkgutil.iter_modules(model.__path__):  # every model module, whatever the tests ran before
        importlib.import_module(f"{model.__name__}.{info.name}")
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
