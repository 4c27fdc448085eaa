"""Run scikit-learn's own metric tests against fastf1 (the harness of test_sklearn_suite.py).

scikit-learn ships its tests in its wheel. Each test file is read and executed into a fresh
module object, with one statement inserted right after the module's last top-level import:
every name of ``fastf1.__all__`` that the module imported from ``sklearn.metrics`` or
``sklearn.calibration`` is rebound to fastf1's function (wrapped to record that it was
called). Module-level lists and dicts of metrics (``ALL_METRICS``, ``CLASSIFICATION_METRICS``,
``partial(fbeta_score, beta=2)``...) and parametrize lists are built after that statement, so
they hold fastf1's functions too. Names fastf1 adds later are picked up without a change here.

The one documented difference: fastf1 raises its own ``UndefinedMetricWarning`` (it does not
import scikit-learn). The module's ``UndefinedMetricWarning`` becomes a class that matches
either library's in ``pytest.warns``, ``pytest.raises`` and warning filters, and each
``filterwarnings`` mark naming scikit-learn's class gets its twin for fastf1's.

Tests that cannot call fastf1 are about scikit-learn alone. ``relevant(func, params)`` decides
it statically from the test's code (the module globals it and its helpers read) and its
parameters (a fastf1 function, or the name of one in a module dict of metrics); the project's
conftest deselects the rest at collection, so pytest counts them as deselected. A kept test
that still calls no fastf1 function is reported as skipped ("does not call fastf1"), decided
when it ran. ``FASTF1_SKLEARN_SUITE_ALL=1`` runs the deselected tests too and fails any of
them that calls fastf1: the check that the static decision hides nothing.
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import inspect
import os
import types
import unittest
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import fastf1
from fastf1.exceptions import UndefinedMetricWarning as Fastf1Warning

#: scikit-learn's test files run against fastf1 (paths inside the sklearn package)
SUITE_FILES = ("metrics/tests/test_classification.py", "metrics/tests/test_ranking.py",
               "metrics/tests/test_common.py")
#: scikit-learn modules whose functions fastf1 replaces by name
SOURCE_MODULES = ("sklearn.metrics", "sklearn.calibration")
#: run the statically deselected tests too, and fail those that call fastf1
RUN_ALL = os.environ.get("FASTF1_SKLEARN_SUITE_ALL", "") not in ("", "0")


class _Calls:
    """How many fastf1 calls the running test has made."""

    count = 0


def _recording(func: Callable) -> Callable:
    """``func``, counting its calls (same name, signature and docstring)."""

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        _Calls.count += 1
        return func(*args, **kwargs)

    call.fastf1_function = func  # type: ignore[attr-defined]
    return call


def _sklearn_twins() -> dict[str, Any]:
    """{name: scikit-learn's object} for every fastf1 export scikit-learn also has."""
    twins: dict[str, Any] = {}
    for module_name in SOURCE_MODULES:
        module = importlib.import_module(module_name)
        for name in fastf1.__all__:
            if name not in twins and hasattr(module, name) and callable(getattr(module, name)):
                twins[name] = getattr(module, name)
    return twins


def _either_warning() -> type:
    """A warning class matching fastf1's and scikit-learn's ``UndefinedMetricWarning``."""
    from sklearn.exceptions import UndefinedMetricWarning as SklearnWarning

    both = (Fastf1Warning, SklearnWarning)

    class Either(type):
        def __subclasscheck__(cls, sub: type) -> bool:
            return isinstance(sub, type) and issubclass(sub, both)

        def __instancecheck__(cls, obj: Any) -> bool:
            return isinstance(obj, both)

    return Either("UndefinedMetricWarning", (UserWarning,), {
        "__doc__": "fastf1's or scikit-learn's UndefinedMetricWarning (either matches)",
        "__module__": __name__})


def is_fastf1(value: Any) -> bool:
    """A fastf1 function (recorded), or a ``functools.partial`` of one."""
    while isinstance(value, functools.partial):
        value = value.func
    return hasattr(value, "fastf1_function")


class SuiteModule:
    """One scikit-learn test file, executed with fastf1's functions in place of its own."""

    def __init__(self, path: Path, twins: dict[str, Any], warning: type) -> None:
        self.path = path
        self.stem = path.stem.removeprefix("test_")
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        last_import = max(i for i, node in enumerate(tree.body)
                          if isinstance(node, (ast.Import, ast.ImportFrom)))
        rebind = ast.parse("__fastf1_rebind__(globals())").body
        tree.body[last_import + 1:last_import + 1] = rebind
        self.module = types.ModuleType(f"sklearn_suite.{path.stem}")
        self.module.__file__ = str(path)
        self.rebound: dict[str, Any] = {}

        def rebind_names(namespace: dict) -> None:
            for name, theirs in twins.items():
                if namespace.get(name) is theirs:
                    namespace[name] = self.rebound[name] = _recording(getattr(fastf1, name))
            if "UndefinedMetricWarning" in namespace:
                namespace["UndefinedMetricWarning"] = warning
            del namespace["__fastf1_rebind__"]

        self.module.__dict__["__fastf1_rebind__"] = rebind_names
        exec(compile(tree, str(path), "exec"), self.module.__dict__)  # noqa: S102
        self._names: dict[Any, frozenset[str]] = {}
        # dict keys naming a fastf1 function in some module-level dict of metrics; and the
        # keys of such dicts naming other functions (a parameter that picks a metric)
        self.fastf1_keys: set[str] = set()
        self.metric_keys: set[str] = set()
        self.fastf1_holders: set[str] = set()
        for name, value in vars(self.module).items():
            if self._holds_fastf1(value):
                self.fastf1_holders.add(name)
            if isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(key, str) and callable(item):
                        (self.fastf1_keys if self.calls_fastf1(item) else self.metric_keys).add(key)
        self.metric_keys -= self.fastf1_keys

    def calls_fastf1(self, value: Any) -> bool:
        """A fastf1 function, a partial of one, or a function of the module (a lambda, a
        wrapper such as ``precision_recall_curve_padded_thresholds``) that reads one."""
        while isinstance(value, functools.partial):
            value = value.func
        if is_fastf1(value):
            return True
        return (isinstance(value, types.FunctionType) and value.__globals__ is vars(self.module)
                and bool(self.global_names(value) & set(self.rebound)))

    def _holds_fastf1(self, value: Any, depth: int = 0) -> bool:
        if self.calls_fastf1(value):
            return True
        if depth > 2:
            return False
        if isinstance(value, dict):
            items: Any = list(value.values()) + list(value.keys())
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = value
        else:
            return False
        return any(self._holds_fastf1(v, depth + 1) for v in items)

    def global_names(self, func: Any) -> frozenset[str]:
        """The module globals ``func`` reads, through the module's own helper functions."""
        func = inspect.unwrap(func)  # a decorated test (ignore_warnings...): its own code
        if func in self._names:
            return self._names[func]
        self._names[func] = frozenset()  # recursion guard
        names: set[str] = set()
        for code in _code_objects(func.__code__):
            names.update(code.co_names)
        namespace = vars(self.module)
        for name in list(names):
            helper = namespace.get(name)
            if isinstance(helper, types.FunctionType) and helper.__module__ == self.module.__name__:
                names |= self.global_names(helper)
        self._names[func] = frozenset(names)
        return self._names[func]

    def relevant(self, func: Any, params: dict[str, Any]) -> bool:
        """Can this test (with these parameters) call fastf1? Decided without running it."""
        if any(self._value_relevance(v) for v in params.values()):
            return True
        names = self.global_names(func)
        if names & set(self.rebound):
            return True
        if not names & self.fastf1_holders:
            return False
        # it reads a collection holding fastf1 functions: unless a parameter names the one
        # metric it uses (and that metric is not fastf1's), it may reach fastf1's
        return not any(isinstance(v, str) and v in self.metric_keys for v in params.values())

    def _value_relevance(self, value: Any) -> bool:
        if isinstance(value, str):
            return value in self.fastf1_keys
        if isinstance(value, (list, tuple)):
            return any(self._value_relevance(v) for v in value)
        return self.calls_fastf1(value)

    def tests(self) -> Iterator[tuple[str, Any]]:
        """(name in the fastf1 suite, test function) for each test function of the file."""
        for name, value in vars(self.module).items():
            if name.startswith("test") and isinstance(value, types.FunctionType):
                yield f"test_{self.stem}__{name.removeprefix('test_')}", value


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _marks_for_fastf1(marks: list) -> list:
    """``filterwarnings`` marks naming scikit-learn's UndefinedMetricWarning also name fastf1's."""
    out = []
    for mark in marks:
        out.append(mark)
        if mark.name == "filterwarnings":
            for arg in mark.args:
                if "sklearn.exceptions.UndefinedMetricWarning" in arg:
                    twin = arg.replace("sklearn.exceptions.UndefinedMetricWarning",
                                       "fastf1.exceptions.UndefinedMetricWarning")
                    out.append(pytest.mark.filterwarnings(twin).mark)
    return out


def wrap_test(suite: SuiteModule, func: Any, name: str, xfail: dict[str, str]) -> Any:
    """``func`` as a test of fastf1: skipped at run time when it made no fastf1 call."""

    @functools.wraps(func)
    def test(*args: Any, **kwargs: Any) -> Any:
        _Calls.count = 0
        failure = None
        try:
            result = func(*args, **kwargs)
        except (pytest.skip.Exception, pytest.xfail.Exception, unittest.SkipTest):
            raise  # skipped for its own reason (an optional library missing...)
        except BaseException as exc:  # noqa: BLE001  (told apart by the call count below)
            failure = exc
            result = None
        called = _Calls.count
        if RUN_ALL and called and not suite.relevant(func, kwargs):
            pytest.fail(f"{name} calls fastf1 {called} time(s) but is deselected by default: "
                        "the static decision in tests/_sklearn_suite.py missed it")
        if failure is not None:
            if not called:
                pytest.skip(f"does not call fastf1 (fails in scikit-learn alone: "
                            f"{type(failure).__name__}: {failure})"[:300])
            raise failure
        if not called:
            pytest.skip("does not call fastf1")
        return result

    test.__name__ = test.__qualname__ = name
    test.pytestmark = _marks_for_fastf1(list(getattr(func, "pytestmark", [])))  # type: ignore[attr-defined]
    test.sklearn_suite = (suite, func, xfail)  # type: ignore[attr-defined]
    return test


def select(config: Any, items: list) -> None:
    """The conftest's collection hook: deselect the suite's tests that cannot call fastf1,
    and mark the known failures (a whole test or one case, by name) as strict xfails."""
    deselected = []
    for item in items:
        suite, func, xfail = getattr(getattr(item, "function", None), "sklearn_suite",
                                     (None, None, None))
        if suite is None:
            continue
        params = item.callspec.params if hasattr(item, "callspec") else {}
        if not RUN_ALL and not suite.relevant(func, params):
            deselected.append(item)
            continue
        reason = xfail.get(item.name) or xfail.get(item.originalname)
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        chosen = set(map(id, deselected))
        items[:] = [item for item in items if id(item) not in chosen]


def load(namespace: dict, xfail: dict[str, str] | None = None) -> list[SuiteModule]:
    """Put scikit-learn's tests, bound to fastf1, into a test module's ``namespace``.

    ``xfail`` maps a test's name in the suite (``test_<file>__<test>`` for every case, or
    with its ``[parameters]`` for one) to why it is known to fail; they are strict xfails.
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        pytest.skip("scikit-learn is not installed", allow_module_level=True)
    root = Path(spec.origin).parent
    paths = [root / f for f in SUITE_FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        pytest.skip("scikit-learn's wheel does not ship its tests: " + ", ".join(missing),
                    allow_module_level=True)
    twins = _sklearn_twins()
    warning = _either_warning()
    suites = []
    with warnings.catch_warnings():  # module-level code may warn; that is not a test
        warnings.simplefilter("ignore")
        for path in paths:
            suite = SuiteModule(path, twins, warning)
            suites.append(suite)
            for name, func in suite.tests():
                namespace[name] = wrap_test(suite, func, name, xfail or {})
    return suites
