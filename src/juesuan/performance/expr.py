"""Safe Decimal arithmetic expressions for scoring rules, evaluated with simpleeval.

Only ``+ - * /``, unary signs, parentheses, numbers, input names and the functions
``abs min max round ratio`` are accepted; everything else (attributes, subscripts,
comparisons, strings, ``**``…) is refused. Numeric literals become ``Decimal`` straight from
their source text, never via ``float``. Nothing here calls ``eval``.

``ratio(a, b, when_zero)`` is ``a / b``, or ``when_zero`` when ``b`` is zero — for scoring
texts that say what happens when there is nothing to divide by (e.g. a department with no
transfer funds). A plain ``/`` by zero is an error with a Chinese message naming the divisor.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Mapping
from decimal import Decimal, DecimalException, localcontext
from functools import lru_cache
from typing import Any

from simpleeval import SimpleEval

from juesuan.core.money import round_to
from juesuan.io.load_findings import clip

MAX_LENGTH = 2000
MAX_DEPTH = (
    100  # syntax-tree levels; evaluation recurses once per level (480 chained terms crashed)
)
MAX_MAGNITUDE = 30  # |log10| of a literal or result beyond this is no score input
FUNCTIONS = ("abs", "min", "max", "round", "ratio")
_ALLOWED_NODES = (
    ast.Expression,
    ast.Expr,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.UAdd,
    ast.USub,
)
_NODE_NAMES = {
    "Compare": "比较运算",
    "BoolOp": "逻辑运算",
    "IfExp": "条件表达式",
    "Attribute": "属性访问（.）",
    "Subscript": "下标（[]）",
    "Lambda": "lambda",
    "JoinedStr": "字符串",
}
_OP_NAMES = {ast.Pow: "乘方（**）", ast.Mod: "取余（%）", ast.FloorDiv: "整除（//）"}


class FormulaError(Exception):
    """An expression that cannot be evaluated; ``message`` is Chinese, for users."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MissingName(FormulaError):
    """An input the expression needs has no value."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


def check_expression(expr: str, names: set[str]) -> list[str]:
    """Problems (Chinese) with ``expr`` before any value is known: syntax, unsupported
    constructs, unknown names or functions. Empty when the expression is acceptable."""
    key = None if isinstance(names, _Anything) else frozenset(names)
    return list(_checked(expr.strip(), key))


@lru_cache(maxsize=1024)
def _checked(text: str, names: frozenset[str] | None) -> tuple[str, ...]:
    """check_expression, cached per expression and name set (``None``: any name)."""
    return tuple(_problems(text, _ANY if names is None else set(names)))


@lru_cache(maxsize=1024)
def _statement(text: str) -> ast.AST:
    """The parsed expression as simpleeval evaluates it (parsed once per expression)."""
    return SimpleEval.parse(text)


def _problems(text: str, names: set[str]) -> list[str]:
    if not text:
        return ["公式为空"]
    if len(text) > MAX_LENGTH:
        return [f"公式过长（超过{MAX_LENGTH}个字符）"]
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        return [f"公式「{clip(text)}」语法错误（第{exc.offset or 1}个字符附近）"]
    except (ValueError, RecursionError, MemoryError):  # NUL bytes, absurd nesting
        return [f"公式「{clip(text)}」无法解析（含不可见字符或嵌套过深）"]
    if _depth(tree) > MAX_DEPTH:
        return [f"公式嵌套或连写的运算过多（超过{MAX_DEPTH}层），请拆成几个输入或简化"]
    problems: list[str] = []
    callees = _callees(tree)
    for node in ast.walk(tree):
        if type(node) in _OP_NAMES:
            problems.append(f"公式中不允许使用{_OP_NAMES[type(node)]}，只能用 + - * /")
        elif not isinstance(node, _ALLOWED_NODES):
            what = _NODE_NAMES.get(type(node).__name__, type(node).__name__)
            problems.append(f"公式中不允许使用{what}，只能用数字、输入名、+ - * / 和括号")
        elif isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, int | float)
        ):
            problems.append(f"公式中只能使用数字常量，不能使用「{node.value!r}」")
        elif isinstance(node, ast.Call):
            func = node.func.id if isinstance(node.func, ast.Name) else None
            if func not in FUNCTIONS:
                problems.append(
                    f"公式中不允许调用函数「{func or '?'}」，可用：{'、'.join(FUNCTIONS)}"
                )
            elif node.keywords:
                problems.append(f"函数「{func}」不接受关键字参数")
        elif isinstance(node, ast.Name) and id(node) not in callees and node.id not in names:
            known = "、".join(sorted(names)) or "（无）"
            problems.append(f"公式中的名称「{node.id}」不是已声明的输入，已声明：{known}")
    return list(dict.fromkeys(problems))


def names_in(expr: str) -> list[str]:
    """Input names an expression refers to (in order of first use; functions excluded)."""
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    callees = _callees(tree)
    out = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in callees]
    return list(dict.fromkeys(out))


def _callees(tree: ast.AST) -> set[int]:
    """ids of the Name nodes that are called (function names), in one walk."""
    return {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}


def _depth(tree: ast.AST) -> int:
    """Nesting depth of ``tree``, without recursion (evaluation recurses once per level)."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def evaluate(
    expr: str,
    names: Mapping[str, Decimal] | Callable[[str], Decimal],
    notes: list[str] | None = None,
) -> Decimal:
    """Value of ``expr`` with Decimal arithmetic. ``names`` maps an input name to its value
    (a callable may raise :class:`MissingName`). Notes about defaults taken by ``ratio``
    are appended to ``notes``. Raises :class:`FormulaError` with a Chinese message."""
    text = expr.strip()
    problems = check_expression(text, set(names) if isinstance(names, Mapping) else _ANY)
    if problems:
        raise FormulaError("；".join(problems))
    free = _free_evaluators()
    evaluator = free.pop() if free else _DecimalEval()
    evaluator.bind(text, names, notes if notes is not None else [])
    try:
        with localcontext() as ctx:
            ctx.prec = 34
            try:
                value = evaluator.eval(text, previously_parsed=_statement(text))
            except FormulaError:
                raise
            except DecimalException as exc:
                raise FormulaError(f"公式「{text}」无法计算（{type(exc).__name__}）") from exc
    finally:
        evaluator.bind("", {}, [])  # hold no reference to the caller's values
        free.append(evaluator)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise FormulaError(f"公式「{text}」的结果不是有限的数值")
    if value and value.adjusted() > MAX_MAGNITUDE:
        raise FormulaError(f"公式「{text}」的结果数量级超出合理范围")
    return value


class _Anything(set[str]):
    """A name set that contains every name (the resolver decides what exists)."""

    def __contains__(self, item: object) -> bool:
        return True


_ANY = _Anything()


_LOCAL = threading.local()


def _free_evaluators() -> list[_DecimalEval]:
    """This thread's idle evaluators. Building one costs more than most evaluations, so they
    are reused; a pool rather than one, as a name's value may itself evaluate a formula."""
    free = getattr(_LOCAL, "free", None)
    if free is None:
        free = _LOCAL.free = []
    return free


@lru_cache(maxsize=4096)
def _source_segment(text: str, lineno: int, col: int, end_lineno: int, end_col: int) -> str:
    """The source text of the node at these positions in ``text``."""
    node = ast.Constant(value=None)
    node.lineno, node.col_offset, node.end_lineno, node.end_col_offset = (
        lineno,
        col,
        end_lineno,
        end_col,
    )
    return ast.get_source_segment(text, node) or "?"


class _DecimalEval(SimpleEval):
    """simpleeval restricted to Decimal arithmetic; :meth:`bind` sets the expression and
    its names before each evaluation."""

    def __init__(self) -> None:
        super().__init__(
            operators={
                ast.Add: lambda a, b: a + b,
                ast.Sub: lambda a, b: a - b,
                ast.Mult: lambda a, b: a * b,
                ast.UAdd: lambda a: +a,
                ast.USub: lambda a: -a,
            },
            functions={
                "abs": abs,
                "min": _min,
                "max": _max,
                "round": _round,
                "ratio": self._ratio,
            },
            names={},
        )
        self.bind("", {}, [])
        self.nodes = {
            ast.Expr: self._eval_expr,
            ast.Name: self._eval_name,
            ast.UnaryOp: self._eval_unaryop,
            ast.BinOp: self._eval_binop,
            ast.Call: self._eval_call,
            ast.Constant: self._eval_constant,
        }

    def bind(
        self,
        text: str,
        names: Mapping[str, Decimal] | Callable[[str], Decimal],
        notes: list[str],
    ) -> None:
        self.text = text
        self.lookup = names
        # decided once per expression, not once per name in it
        self.lookup_calls = callable(names) and not isinstance(names, Mapping)
        self.notes = notes

    def _eval(self, node: ast.AST) -> Any:
        """simpleeval's ``_eval`` without its check of the result for a Decimal (what nearly
        every node gives): the check accepts any Decimal, as it accepts every non-callable
        value that is neither a module nor a container."""
        handler = self.nodes.get(type(node))
        if handler is None:
            return super()._eval(node)  # raises FeatureNotAvailable
        result = handler(node)
        if type(result) is not Decimal:
            self._check_disallowed_items(result)
        return result

    def _segment(self, node: ast.AST) -> str:
        try:
            where = (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        except AttributeError:
            return ast.get_source_segment(self.text, node) or "?"
        if None in where:
            return ast.get_source_segment(self.text, node) or "?"
        return _source_segment(self.text, *where)

    def _eval_constant(self, node: ast.Constant) -> Decimal:  # type: ignore[override]
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"公式中只能使用数字常量，不能使用「{node.value!r}」")
        value = Decimal(self._segment(node).replace("_", ""))
        if value and abs(value.adjusted()) > MAX_MAGNITUDE:
            raise FormulaError(f"公式中的数字「{self._segment(node)}」数量级超出合理范围")
        return value

    def _eval_name(self, node: ast.Name) -> Decimal:  # type: ignore[override]
        if self.lookup_calls:
            value = self.lookup(node.id)
        else:
            if node.id not in self.lookup:
                raise MissingName(node.id, f"公式中的输入「{node.id}」没有数值")
            value = self.lookup[node.id]
        if not isinstance(value, Decimal):
            raise FormulaError(f"输入「{node.id}」不是数值")
        return value

    def _eval_binop(self, node: ast.BinOp) -> Decimal:  # type: ignore[override]
        if isinstance(node.op, ast.Div):
            left, right = self._eval(node.left), self._eval(node.right)
            if right == 0:
                raise FormulaError(
                    f"除数为零：「{self._segment(node.right)}」的值为0，"
                    f"无法计算「{self._segment(node)}」"
                )
            return left / right
        if type(node.op) not in self.operators:
            raise FormulaError(f"公式中不允许使用运算「{type(node.op).__name__}」")
        return super()._eval_binop(node)

    def _eval_call(self, node: ast.Call) -> Any:  # type: ignore[override]
        if not isinstance(node.func, ast.Name) or node.func.id not in self.functions:
            raise FormulaError(f"公式中不允许调用「{self._segment(node.func)}」")
        if node.func.id == "ratio":
            if len(node.args) != 3:
                raise FormulaError("ratio 需要3个参数：ratio(分子, 分母, 分母为0时的取值)")
            a, b, default = (self._eval(arg) for arg in node.args)
            return self._ratio(a, b, default, node)
        args = [self._eval(arg) for arg in node.args]
        try:
            return self.functions[node.func.id](*args)
        except TypeError as exc:
            raise FormulaError(f"函数「{node.func.id}」的参数个数不对") from exc

    def _ratio(
        self, a: Decimal, b: Decimal, default: Decimal, node: ast.Call | None = None
    ) -> Decimal:
        if b == 0:
            where = self._segment(node.args[1]) if node is not None else "分母"
            self.notes.append(f"「{where}」为0，按规则取{default}")
            return default
        return a / b


def _min(*args: Decimal) -> Decimal:
    if not args:
        raise FormulaError("min 至少需要一个参数")
    return min(args)


def _max(*args: Decimal) -> Decimal:
    if not args:
        raise FormulaError("max 至少需要一个参数")
    return max(args)


def _round(value: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    if places != places.to_integral_value() or not 0 <= places <= 10:
        raise FormulaError("round 的小数位数应为0至10的整数")
    return round_to(value, int(places))
