"""`@dataclass(frozen=True, slots=True)` for the model's value classes, for less at start-up.

The standard decorator compiles six methods per class from generated source (`__init__`, `__repr__`,
`__eq__`, `__hash__`, `__setattr__`, `__delattr__`): about half a millisecond a class, ~10 ms for the two
dozen classes a reader and the engine load. Here only `__init__` is compiled (its signature and speed are
those of the standard one); the others are shared functions over the class's fields, with the standard
behaviour: the same repr, equality and hash over the fields as tuples, `FrozenInstanceError` on assignment,
the `__getstate__`/`__setstate__` that pickle and copy a frozen slotted class. Fields, `__match_args__`,
`__slots__` and `dataclasses.fields`/`replace`/`asdict` come from the standard decorator itself, called
without the methods it would compile; `__dataclass_params__` then reads as for `frozen=True`.

Only what the model uses is taken this way: a class with anything else (keyword-only fields, `InitVar`,
`__post_init__`, fields left out of init, repr or comparison, a custom field hash, a base class) is made by
the standard decorator. Type checkers see the standard decorator.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any, TypeVar

_T = TypeVar("_T")

if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:

    def dataclass(*, frozen: bool = False, slots: bool = False) -> Callable[[type[_T]], type[_T]]:
        """The decorator, for `frozen=True, slots=True` (anything else goes to the standard one)."""
        if not (frozen and slots):
            return dataclasses.dataclass(frozen=frozen, slots=slots)
        return _frozen_slotted


class _FactorySentinel:
    def __repr__(self) -> str:
        return "<factory>"


_HAS_FACTORY = _FactorySentinel()
_OWN = ("__setattr__", "__delattr__")


def _plain(cls: type) -> bool:
    """Whether the class uses nothing but plain fields (defaults and default factories allowed)."""
    if cls.__bases__ != (object,) or hasattr(cls, "__post_init__") or any(n in cls.__dict__ for n in _OWN):
        return False
    annotations = inspect.get_annotations(cls)
    for name, annotation in annotations.items():
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
        if "ClassVar" in text or "InitVar" in text or text == "KW_ONLY" or text.endswith(".KW_ONLY"):
            return False
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, dataclasses.Field) and (
            not (value.init and value.repr and value.compare)
            or value.hash is not None
            or value.kw_only is True
            or value.metadata
        ):
            return False
    return True


def _frozen_slotted(cls: type[_T]) -> type[_T]:
    if not _plain(cls):
        return dataclasses.dataclass(frozen=True, slots=True)(cls)
    documented = bool(cls.__dict__.get("__doc__"))
    own = {name: name in cls.__dict__ for name in ("__init__", "__repr__", "__eq__")}
    class_hash = cls.__dict__.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and own["__eq__"]))
    original = cls
    new: Any = dataclasses.dataclass(init=False, repr=False, eq=False, slots=True)(cls)
    fields = dataclasses.fields(new)
    names = tuple(f.name for f in fields)
    values: Callable[[Any], tuple[Any, ...]]  # the fields as a tuple, as the standard methods compare them
    if len(names) == 1:
        name = names[0]
        values = lambda obj: (getattr(obj, name),)  # noqa: E731
    elif names:
        values = attrgetter(*names)  # a tuple for two names or more
    else:
        values = lambda obj: ()  # noqa: E731

    methods: dict[str, Any] = {
        # the class as given, before slots replaced it: as the standard decorator (3.11) does, so that
        # a name that is not a field raises the same TypeError
        "__setattr__": _setattr(original, names),
        "__delattr__": _delattr(original, names),
        "__getstate__": _getstate,
        "__setstate__": _setstate,
    }
    if not own["__init__"]:
        methods["__init__"] = _init(new, fields)
    if not own["__repr__"]:
        methods["__repr__"] = _repr(names)
    if not own["__eq__"]:
        methods["__eq__"] = _eq(values)
    if not explicit_hash:
        methods["__hash__"] = _hash(values)
    for method_name, method in methods.items():
        method.__qualname__ = f"{new.__qualname__}.{method_name}"
        setattr(new, method_name, method)
    params = new.__dataclass_params__
    params.init = params.repr = params.eq = params.frozen = True
    if not documented:
        new.__doc__ = new.__name__ + str(inspect.signature(new)).replace(" -> None", "")
    return new  # type: ignore[no-any-return]


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """The `__init__` the standard decorator writes for a frozen class, compiled once for this class."""
    namespace: dict[str, Any] = {"__object_setattr": object.__setattr__, "__has_factory": _HAS_FACTORY}
    params = []
    body = []
    for f in fields:
        if f.default is not MISSING:
            namespace[f"__default_{f.name}"] = f.default
            params.append(f"{f.name}=__default_{f.name}")
            value = f.name
        elif f.default_factory is not MISSING:
            namespace[f"__factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=__has_factory")
            value = f"__factory_{f.name}() if {f.name} is __has_factory else {f.name}"
        else:
            params.append(f.name)
            value = f.name
        body.append(f"    __object_setattr(self, {f.name!r}, {value})")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__annotations__ = {**{f.name: f.type for f in fields}, "return": None}
    init.__module__ = cls.__module__
    return init


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    @recursive_repr()
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    return __repr__


def _eq(values: Callable[[Any], Any]) -> Callable[[Any, object], Any]:
    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(values: Callable[[Any], Any]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _setattr(cls: type, names: tuple[str, ...]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    return __setattr__


def _delattr(cls: type, names: tuple[str, ...]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    return __delattr__


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state, strict=False):
        object.__setattr__(self, f.name, value)  # frozen: the way the standard decorator restores
