"""The error catalogue: every error Lindung raises is a coded class of lindung.errors, drawn in
its docstring and documented in docs/errors.md with the same code, exit and HTTP status."""

from __future__ import annotations

import ast
import builtins
import importlib
import pkgutil
import re
from pathlib import Path

import lindung
from lindung import errors
from lindung.errors import LindungError

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "errors.md"
SOURCE = ROOT / "src" / "lindung"
ROW = re.compile(r"^\| `([a-z-]+)` \| `(\w+)` \| (\d) \| (\d{3}) \| (.+) \|$")
TREE = re.compile(r"^    ([ │├└─]*)(\w+)\s+([a-z-]+)\s+(\d)\s+(\d{3})$")


def _every_module_imported() -> None:
    for module in pkgutil.walk_packages(lindung.__path__, "lindung."):
        # Alembic's env.py runs a migration when imported; the migrations define no errors.
        if ".migrations" not in module.name:
            importlib.import_module(module.name)


def _subclasses(cls: type[LindungError]) -> list[type[LindungError]]:
    found = [cls]
    for sub in cls.__subclasses__():
        found.extend(_subclasses(sub))
    return found


def _catalogue() -> set[tuple[str, str, int, int]]:
    return {
        (cls.code, cls.__name__, cls.exit_status, cls.http_status)
        for cls in _subclasses(LindungError)
    }


def test_every_error_anywhere_in_lindung_is_a_class_of_lindung_errors() -> None:
    _every_module_imported()
    classes = _subclasses(LindungError)
    assert {"TemplateError", "ExpressionError", "Conflict", "Unauthenticated"} <= {
        cls.__name__ for cls in classes
    }
    assert [cls for cls in classes if cls.__module__ != "lindung.errors"] == []
    assert sorted(errors.__all__) == sorted(cls.__name__ for cls in classes)


def test_each_error_has_its_own_code_and_the_codes_are_unique() -> None:
    classes = _subclasses(LindungError)
    assert [cls.__name__ for cls in classes if "code" not in vars(cls)] == []
    codes = [cls.code for cls in classes]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) for code in codes)
    assert all(1 <= cls.exit_status <= 7 and 400 <= cls.http_status < 600 for cls in classes)


def test_the_old_homes_of_template_and_expression_errors_hand_out_the_same_classes() -> None:
    from lindung.ingest.rules import ExpressionError, parse_expression
    from lindung.ingest.template import TemplateError

    assert ExpressionError is errors.ExpressionError
    assert TemplateError is errors.TemplateError
    # A rule expression error must stay a ValueError: pydantic turns only those into problems.
    assert issubclass(ExpressionError, LindungError) and issubclass(ExpressionError, ValueError)
    try:
        parse_expression("value +")
    except LindungError as error:
        assert error.code == "rule-expression" and error.exit_status == 5
    else:
        raise AssertionError("an unfinished expression parsed")


def test_statuses_for_the_web_and_the_shell_are_the_documented_ones() -> None:
    assert (errors.Unauthenticated.http_status, errors.Unauthenticated.exit_status) == (401, 3)
    assert (errors.PermissionDenied.http_status, errors.PermissionDenied.exit_status) == (403, 3)
    assert (errors.NotFound.http_status, errors.NotFound.exit_status) == (404, 4)
    assert (errors.Conflict.http_status, errors.Conflict.exit_status) == (409, 7)
    assert (errors.ValidationFailed.http_status, errors.ValidationFailed.exit_status) == (422, 5)
    assert (errors.UsageError.http_status, errors.UsageError.exit_status) == (400, 2)
    assert issubclass(errors.Unauthenticated, errors.PermissionDenied)
    assert issubclass(errors.Conflict, errors.SubmissionError)


def test_every_error_is_documented_with_its_code_exit_and_http_status() -> None:
    _every_module_imported()
    rows = [ROW.match(line) for line in GUIDE.read_text(encoding="utf-8").splitlines()]
    documented = {(m[1], m[2], int(m[3]), int(m[4])) for m in rows if m is not None}
    assert documented == _catalogue()


def test_the_documented_exit_statuses_are_exactly_those_the_errors_use() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("## Exit statuses", 1)[1].split("##", 1)[0]
    listed = {int(m[1]) for m in re.finditer(r"^\| (\d) \|", table, re.MULTILINE)}
    assert listed == {0} | {cls.exit_status for cls in _subclasses(LindungError)}


def test_the_module_docstring_draws_the_tree_as_the_classes_are() -> None:
    assert errors.__doc__ is not None
    drawn = [m for line in errors.__doc__.splitlines() if (m := TREE.match(line))]
    assert {(m[3], m[2], int(m[4]), int(m[5])) for m in drawn} == _catalogue()
    parents: list[str] = []
    for match in drawn:
        depth = len(match[1]) // 4
        parents[depth:] = [match[2]]
        cls = getattr(errors, match[2])
        if depth:
            assert cls.__bases__[0].__name__ == parents[depth - 1], match[2]


def _builtin_raises(path: Path) -> list[str]:
    """Return 'file:line Name' for each builtin exception raised outside a pydantic validator
    (pydantic needs ValueError there), a module's __getattr__ (AttributeError by protocol) and
    a dataclass's __post_init__ (a check of Lindung's own calls, which no user input reaches)."""
    exceptions = {
        name
        for name in dir(builtins)
        if isinstance(getattr(builtins, name), type)
        and issubclass(getattr(builtins, name), BaseException)
    }
    found: list[str] = []

    def visit(node: ast.AST, allowed: bool) -> None:
        if isinstance(node, ast.FunctionDef):
            decorators = " ".join(ast.unparse(d) for d in node.decorator_list)
            allowed = (
                allowed
                or "validator" in decorators
                # json's default= hook must raise TypeError for a value it cannot encode.
                or node.name in ("__getattr__", "__post_init__", "_json_default")
            )
        if isinstance(node, ast.Raise) and node.exc is not None and not allowed:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id in exceptions:
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno} {raised.id}")
        for child in ast.iter_child_nodes(node):
            visit(child, allowed)

    visit(ast.parse(path.read_text(encoding="utf-8")), allowed=False)
    return found


def test_no_module_raises_a_plain_python_exception_for_a_user_to_read() -> None:
    raised = [hit for path in sorted(SOURCE.rglob("*.py")) for hit in _builtin_raises(path)]
    assert raised == []
