"""`@dataclass(frozen=True, slots=True)` for the model's value classes, for less at start-up.

The standard decorator examines every field (string annotations with regular expressions), compiles six
methods per class from generated source (`__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__`,
`__delattr__`) and then makes the class a second time, for its slots: about 0.45 ms a class. Here the
class is made once, directly: about 30 µs, plus about 0.1 ms to compile `__init__` for the first class
of each shape (the number of fields, and which have a default factory):

- its fields are the standard `dataclasses.Field` objects, found as the standard decorator finds them
  (the default a class attribute or a `field()`), and the class holds what the standard one would, in the
  same order: its own attributes (methods, properties, constants), `__dataclass_params__` (frozen, with
  `init`, `repr` and `eq`), `__dataclass_fields__`, the methods, `__match_args__`, `__slots__`, and no
  class attribute for a default; the docstring made from the signature when the class has none;
- `__init__` is the standard one: the same signature, annotations, globals, lines and body
  (`object.__setattr__` per field, a default factory called when its argument is left out), so
  constructing costs the same. Its code is compiled once per shape and given each class's field names,
  defaults and factories;
- the other methods are shared functions over the class's fields, with the standard behaviour: the same
  repr (a recursive one cut as `...`), equality and hash over the fields as tuples, `FrozenInstanceError`
  on assignment and deletion, and the standard `__getstate__`/`__setstate__` with which pickle and copy
  restore a frozen slotted instance.

Only what the model uses is taken this way. A class with anything else goes to the standard decorator: a
base class or a metaclass; an annotation that is (or, as a string, may be) `ClassVar`, `InitVar` or
`KW_ONLY`; a `field()` left out of init, keyword-only, with its own hash or given to two names; a mutable
default; a field without a default after one with; a field named as a dunder or as a name the standard
`__init__` uses (`_dflt_…`); `__post_init__`, or its own `__slots__`, `__setattr__` or `__delattr__`; a
method that uses `__class__` (`super()`), or a class attribute or default other than a property that has
`__set_name__` (the standard decorator changes the class as given, which these may see; this one leaves
it as it is). So does every class on a Python other than 3.11 and 3.12, the versions whose decorator this
one reproduces (3.13 compares fields one by one and adds `__replace__`).

Type checkers see the standard decorator.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
import typing
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError
from keyword import iskeyword
from operator import attrgetter
from types import CellType, CodeType, FunctionType, MemberDescriptorType
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


# The standard module's own pieces, so that a class holds the very objects the standard decorator puts.
_STANDARD: dict[str, Any] = vars(dataclasses)
_PARAMS: tuple[bool, ...] | None = {
    # _DataclassParams(init, repr, eq, order, unsafe_hash, frozen[, match_args, kw_only, slots, weakref_slot])
    (3, 11): (True, True, True, False, False, True),
    (3, 12): (True, True, True, False, False, True, True, False, True, False),
}.get(sys.version_info[:2])
_NEEDED = (
    "_DataclassParams",
    "_FIELD",
    "_HAS_DEFAULT_FACTORY",
    "_MODULE_IDENTIFIER_RE",
    "_recursive_repr",
    "_dataclass_getstate",
    "_dataclass_setstate",
)
if not (all(name in _STANDARD for name in _NEEDED) and "_GenericAlias" in vars(typing)):
    _PARAMS = None
_FIELD = _STANDARD.get("_FIELD")
_HAS_DEFAULT_FACTORY = _STANDARD.get("_HAS_DEFAULT_FACTORY")
_GENERIC_ALIAS = vars(typing).get("_GenericAlias")


def _frozen_slotted(cls: type[_T]) -> type[_T]:
    made = _quick(cls)
    if made is None:
        return dataclasses.dataclass(frozen=True, slots=True)(cls)
    return made


def _quick(cls: type[_T]) -> type[_T] | None:
    """The class made directly, or None when this module does not make it (the class is left unchanged)."""
    namespace = cls.__dict__
    if (
        _PARAMS is None
        or type(cls) is not type
        or cls.__bases__ != (object,)
        or "__slots__" in namespace
        or "__post_init__" in namespace
        or "__setattr__" in namespace
        or "__delattr__" in namespace
    ):
        return None
    module = sys.modules.get(cls.__module__)
    annotations = namespace.get("__annotations__", {})
    if module is None or type(annotations) is not dict:
        return None
    module_globals = vars(module)
    for name, value in namespace.items():
        kind = type(value)
        if kind is FunctionType:
            if _uses_class(value):
                return None
        elif isinstance(value, Field):
            if name not in annotations or hasattr(type(value.default), "__set_name__"):
                return None  # the standard decorator raises TypeError; a default that saw the class
        elif kind is property:
            if any(_uses_class(f) for f in (value.fget, value.fset, value.fdel)):
                return None
        elif kind is classmethod or kind is staticmethod:
            if _uses_class(value.__func__):
                return None
        elif hasattr(kind, "__set_name__"):
            return None

    fields: dict[str, Field[Any]] = {}
    shape = []  # per field: "f" with a default factory, "v" otherwise
    defaults: list[Any] = []  # the trailing parameters' defaults, as in the standard `__init__`
    for name, annotation in annotations.items():
        if (
            type(name) is not str
            or not name.isidentifier()
            or iskeyword(name)
            or (name[0] == "_" and _reserved(name))
            or _special(annotation, module_globals)
        ):
            return None
        f: Field[Any]
        default: Any = getattr(cls, name, MISSING)  # where the standard decorator looks (inherited too)
        if isinstance(default, Field):
            f = default
            if (
                any(f is g for g in fields.values())  # one field() for two names: the standard keeps one
                or not f.init
                or f.hash is not None
                or (f.kw_only is not MISSING and f.kw_only)
                or (f.default is not MISSING and f.default_factory is not MISSING)
            ):
                return None
        else:
            if isinstance(default, MemberDescriptorType):
                default = MISSING
            f = dataclasses.field(default=default)
        if f.default.__class__.__hash__ is None:  # a mutable default: the standard decorator raises
            return None
        if f.default_factory is not MISSING:
            shape.append("f")
            defaults.append(_HAS_DEFAULT_FACTORY)
        else:
            shape.append("v")
            if f.default is not MISSING:
                defaults.append(f.default)
            elif defaults:  # no default after a default: the standard decorator raises TypeError
                return None
        f.name = name
        f.type = annotation
        f._field_type = _FIELD  # type: ignore[attr-defined]
        if f.kw_only is MISSING:
            f.kw_only = False
        fields[name] = f

    names = tuple(fields)
    qualname = cls.__qualname__
    module_name = module_globals.get("__name__")  # the methods' module, as for functions made there
    made: dict[str, Any] = dict(namespace)
    made["__dataclass_params__"] = _STANDARD["_DataclassParams"](*_PARAMS)
    made["__dataclass_fields__"] = fields
    methods: dict[str, Any] = {}
    if "__init__" not in namespace:
        self_name = "__dataclass_self__" if "self" in fields else "self"
        methods["__init__"] = _init(fields, "".join(shape), tuple(defaults), self_name, module_globals)
    if "__repr__" not in namespace:
        methods["__repr__"] = _repr(tuple(name for name, f in fields.items() if f.repr), module_name)
    values = _values(tuple(name for name, f in fields.items() if f.compare))
    if "__eq__" not in namespace:
        methods["__eq__"] = _eq(values)
    # with the class as given, not the one made here: as the standard decorator does, so that a name
    # that is not a field raises the same TypeError
    methods["__setattr__"] = _setattr(cls, names)
    methods["__delattr__"] = _delattr(cls, names)
    class_hash = namespace.get("__hash__", MISSING)
    if class_hash is MISSING or (class_hash is None and "__eq__" in namespace):  # no hash of its own
        methods["__hash__"] = _hash(values)
    for method_name, method in methods.items():
        method.__qualname__ = f"{qualname}.{method_name}"
        method.__module__ = module_name
        made[method_name] = method
    if "__match_args__" not in namespace:
        made["__match_args__"] = names
    made["__slots__"] = names
    for name in names:
        made.pop(name, None)
    made.pop("__dict__", None)
    made.pop("__weakref__", None)
    made["__qualname__"] = qualname
    new: Any = type(cls.__name__, cls.__bases__, made)
    if "__getstate__" not in namespace:
        new.__getstate__ = _STANDARD["_dataclass_getstate"]
    if "__setstate__" not in namespace:
        new.__setstate__ = _STANDARD["_dataclass_setstate"]
    if not cls.__doc__:
        try:
            signature = str(inspect.signature(new)).replace(" -> None", "")
        except (TypeError, ValueError):
            signature = ""
        new.__doc__ = new.__name__ + signature
    return new  # type: ignore[no-any-return]


def _reserved(name: str) -> bool:
    """A dunder, or a name of the standard `__init__`'s own (a field so named would change what it does)."""
    return (
        (name[:2] == "__" and name[-2:] == "__")
        or name.startswith(("__dataclass_", "_dflt_"))
        or name == "_HAS_DEFAULT_FACTORY"
    )


def _uses_class(function: Any) -> bool:
    """Whether a function (or one it wraps) refers to `__class__`, as `super()` does: the class as given."""
    for _ in range(8):  # the decorated function, through a few `functools.wraps`
        if not isinstance(function, FunctionType):
            return False
        if "__class__" in function.__code__.co_freevars:
            return True
        function = getattr(function, "__wrapped__", None)
    return True


_FIRST_NAMES: dict[str, tuple[str | None, str | None]] = {}  # per string annotation: (module, name)


def _special(annotation: Any, module_globals: dict[str, Any]) -> bool:
    """Whether the standard decorator may take the annotation for `ClassVar`, `InitVar` or `KW_ONLY`.

    A string is read as the standard decorator reads it: its first name (`ClassVar`, `typing.ClassVar`,
    an alias), looked up in the class's module. This errs only towards yes.
    """
    if isinstance(annotation, str):
        first = _FIRST_NAMES.get(annotation)
        if first is None:
            match = _STANDARD["_MODULE_IDENTIFIER_RE"].match(annotation)
            first = _FIRST_NAMES[annotation] = match.groups() if match else (None, None)
        module_name, name = first
        if name is None:
            return False
        namespace = module_globals
        if module_name is not None:
            module = module_globals.get(module_name)
            if module is not typing and module is not dataclasses:
                return False
            namespace = vars(module)
        annotation = namespace.get(name)
    return (
        annotation is typing.ClassVar
        or annotation is dataclasses.InitVar
        or annotation is dataclasses.KW_ONLY
        or type(annotation) is dataclasses.InitVar
        or (type(annotation) is _GENERIC_ALIAS and annotation.__origin__ is typing.ClassVar)
    )


_INIT_CODES: dict[str, CodeType] = {}  # the code of `__init__` per shape, fields named `_0`, `_1`…


def _init_code(shape: str) -> CodeType:
    """The standard frozen `__init__`'s code for fields of this shape, compiled once.

    Written as the standard decorator writes it, line for line: the same body (`object.__setattr__` per
    field, a factory called when its argument is left out), in the same `__create_fn__` for the closure.
    """
    code = _INIT_CODES.get(shape)
    if code is None:
        free = ["__dataclass_builtins_object__"]
        body = []
        for i, kind in enumerate(shape):
            value = f"_{i}"
            if kind == "f":
                free.append(f"__dataclass_dflt_{i}__")
                value = f"__dataclass_dflt_{i}__() if _{i} is __dataclass_has_factory__ else _{i}"
            body.append(f"  __dataclass_builtins_object__.__setattr__(__dataclass_self__,'_{i}',{value})")
        if "f" in shape:
            free.append("__dataclass_has_factory__")
        params = "".join(f",_{i}" for i in range(len(shape)))
        source = "\n".join(
            [
                f"def __create_fn__({','.join(free)}):",
                f" def __init__(__dataclass_self__{params}):",
                *(body or ["  pass"]),
                " return __init__",
            ]
        )
        module = compile(source, "<string>", "exec", dont_inherit=True)
        create = next(c for c in module.co_consts if isinstance(c, CodeType))
        code = _INIT_CODES[shape] = next(c for c in create.co_consts if isinstance(c, CodeType))
    return code


def _init(
    fields: dict[str, Field[Any]],
    shape: str,
    defaults: tuple[Any, ...],
    self_name: str,
    module_globals: dict[str, Any],
) -> Any:
    """The class's `__init__`: its shape's code given the field names, defaults and factories."""
    code = _init_code(shape)
    names = tuple(fields)
    placeholders = {f"_{i}": name for i, name in enumerate(names)}
    code = code.replace(
        co_varnames=(self_name, *names),
        co_consts=tuple(placeholders.get(c, c) if type(c) is str else c for c in code.co_consts),
    )
    bound: dict[str, Any] = {
        "__dataclass_builtins_object__": object,
        "__dataclass_has_factory__": _HAS_DEFAULT_FACTORY,
    }
    for i, f in enumerate(fields.values()):
        if shape[i] == "f":
            bound[f"__dataclass_dflt_{i}__"] = f.default_factory
    closure = tuple(CellType(bound[name]) for name in code.co_freevars)
    # the globals of the class's module, as for the standard one (`typing.get_type_hints` reads them)
    init = FunctionType(code, module_globals, "__init__", defaults or None, closure)
    init.__annotations__ = {**{name: f.type for name, f in fields.items()}, "return": None}
    return init


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields as a tuple, as the standard methods compare and hash them."""
    if len(names) == 1:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    if names:
        return attrgetter(*names)  # a tuple for two names or more
    return lambda obj: ()


def _repr(names: tuple[str, ...], module_name: str | None) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({shown})"

    __repr__.__qualname__ = "__create_fn__.<locals>.__repr__"
    __repr__.__module__ = module_name  # type: ignore[assignment]
    wrapped: Callable[[Any], str] = _STANDARD["_recursive_repr"](__repr__)  # "..." when recursive
    return wrapped


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
