"""A safe reader and evaluator for the XLSForm expressions we accept in ``relevant``,
``constraint``, ``calculation`` and ``choice_filter``. Never ``eval``: the text is split into
tokens, parsed into a small tree of tuples, and the tree is walked. Anything outside this
grammar is refused with a message.

    expression  := or
    or          := and ("or" and)*
    and         := unary ("and" unary)*
    unary       := "not" "(" expression ")" | comparison
    comparison  := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum         := product (("+" | "-") product)*
    product     := negation (("*" | "div" | "mod") negation)*
    negation    := "-" negation | term
    term        := "(" expression ")" | "${" name "}" | "." | number | 'string' | "string"
                 | "selected" "(" "${" name "}" "," string ")"
                 | "count-selected" "(" "${" name "}" ")"
                 | function "(" expression ("," expression)* ")"
                 | column                     (only in a choice_filter: a choices-sheet column)

Functions (``FUNCTIONS``): if, concat, coalesce, round, int, number, string, string-length,
min, max, abs, contains, starts-with, ends-with, true, false. Anything else (today(),
jr:choice-name(), pulldata(), …) is refused.

Values follow XPath: an unanswered question is the empty string; a comparison with a number
compares numbers (an empty or non-numeric side makes it false); arithmetic on an empty or
non-numeric value gives NaN (no value); a multiple-choice answer compares as its values joined
by spaces. ``.`` is the answer being checked (constraints). In a choice_filter a bare word is a
column of the choices sheet (``name`` is the choice's value).
"""

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

TOKEN = re.compile(
    r"""\s*(?:
        (?P<var>\$\{(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\})
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<punct>[(),+*-])
      | (?P<word>[A-Za-z][A-Za-z0-9_-]*(?::[A-Za-z][A-Za-z0-9_-]*)?)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)
COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}
# name -> (fewest, most arguments); None = any number.
FUNCTIONS = {
    "if": (3, 3),
    "concat": (1, None),
    "coalesce": (2, 2),
    "round": (1, 2),
    "int": (1, 1),
    "number": (1, 1),
    "string": (1, 1),
    "string-length": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "true": (0, 0),
    "false": (0, 0),
}
# Functions whose value is a number (a calculated variable made of them is numeric).
NUMERIC_FUNCTIONS = {"round", "int", "number", "string-length", "min", "max", "abs"}
KEYWORDS = {"and", "or", "not", "div", "mod", "selected", "count-selected"}


# Longer than any condition or calculation a form needs (an uploaded form may hold anything).
MAX_LENGTH = 2000


class ConditionError(ValueError):
    """The expression is not in the accepted subset; the message says why (in Norwegian).
    ``function`` names a function outside the subset (``today``), so that an import can refuse
    it once for the whole form."""

    def __init__(self, message, function=""):
        super().__init__(message)
        self.function = function


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    at: int


def tokenize(text: str) -> list[Token]:
    tokens, pos, text = [], 0, text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(
                _("Ukjent tegn «%(char)s» i uttrykket (posisjon %(pos)s).")
                % {"char": text[pos:].strip()[:1], "pos": pos + 1}
            )
        kind = match.lastgroup if match.lastgroup != "name" else "var"
        if match.group("var"):
            tokens.append(Token("var", match.group("name"), pos))
        else:
            tokens.append(Token(kind, match.group(kind), pos))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


class _Parser:
    def __init__(self, tokens, columns=False):
        self.tokens, self.i, self.columns = tokens, 0, columns

    def peek(self, kind=None, value=None):
        if self.i >= len(self.tokens):
            return None
        token = self.tokens[self.i]
        if (kind and token.kind != kind) or (value and token.value != value):
            return None
        return token

    def take(self, kind=None, value=None, expected=""):
        token = self.peek(kind, value)
        if token is None:
            found = self.tokens[self.i].value if self.i < len(self.tokens) else _("slutten")
            raise ConditionError(
                _("Ventet %(expected)s, fant «%(found)s».")
                % {"expected": expected or value or kind, "found": found}
            )
        self.i += 1
        return token

    def parse(self):
        if not self.tokens:
            raise ConditionError(_("Uttrykket er tomt."))
        tree = self.expression()
        if self.i < len(self.tokens):
            raise ConditionError(
                _("Uventet «%(found)s» i uttrykket.") % {"found": self.tokens[self.i].value}
            )
        return tree

    def expression(self):
        node = self.conjunction()
        while self.peek("word", "or"):
            self.i += 1
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self):
        node = self.unary()
        while self.peek("word", "and"):
            self.i += 1
            node = ("and", node, self.unary())
        return node

    def unary(self):
        if self.peek("word", "not"):
            self.i += 1
            self.take("punct", "(", expected="(")
            node = self.expression()
            self.take("punct", ")", expected=")")
            return ("not", node)
        return self.comparison()

    def comparison(self):
        left = self.sum()
        token = self.peek("op")
        if token:
            self.i += 1
            return ("cmp", token.value, left, self.sum())
        return left

    def sum(self):
        node = self.product()
        while self.peek("punct", "+") or self.peek("punct", "-"):
            op = self.tokens[self.i].value
            self.i += 1
            node = ("arith", op, node, self.product())
        return node

    def product(self):
        node = self.negation()
        while self.peek("punct", "*") or self.peek("word", "div") or self.peek("word", "mod"):
            op = self.tokens[self.i].value
            self.i += 1
            node = ("arith", op, node, self.negation())
        return node

    def negation(self):
        if self.peek("punct", "-"):
            self.i += 1
            return ("neg", self.negation())
        return self.term()

    def term(self):
        token = self.peek()
        if token is None:
            raise ConditionError(_("Uttrykket slutter for tidlig."))
        self.i += 1
        if token.kind == "punct" and token.value == "(":
            node = self.expression()
            self.take("punct", ")", expected=")")
            return node
        if token.kind == "var":
            return ("var", token.value)
        if token.kind == "dot":
            return ("self",)
        if token.kind == "number":
            return ("num", float(token.value))
        if token.kind == "string":
            return ("str", token.value[1:-1])
        if token.kind == "word" and token.value in ("selected", "count-selected"):
            return self.function(token.value)
        if token.kind == "word" and token.value in FUNCTIONS and self.peek("punct", "("):
            return self.call(token.value)
        if (
            token.kind == "word"
            and self.columns
            and token.value not in KEYWORDS
            and not self.peek("punct", "(")
        ):
            return ("col", token.value)
        if token.kind == "op":
            raise ConditionError(
                _(
                    "Uventet «%(op)s». Sammenlign med ett tegn (=, !=, <, >, <= eller >=) og "
                    "én verdi på hver side."
                )
                % {"op": token.value}
            )
        raise ConditionError(
            _(
                "«%(word)s» er ikke tillatt i et uttrykk. Bruk ${variabel}, tall, tekst i "
                "anførselstegn, =, !=, <, >, <=, >=, +, -, *, div, mod, and, or, not(), "
                "selected(), count-selected(), if(), concat(), coalesce(), round(), int(), "
                "number(), string(), string-length(), min(), max(), abs(), contains(), "
                "starts-with(), ends-with(), true() eller false()."
            )
            % {"word": token.value},
            function=token.value if token.kind == "word" and self.peek("punct", "(") else "",
        )

    def function(self, name):
        self.take("punct", "(", expected="(")
        variable = self.take("var", expected="${variabel}").value
        if name == "count-selected":
            self.take("punct", ")", expected=")")
            return ("count", variable)
        self.take("punct", ",", expected=",")
        if self.columns and self.peek("word") and self.tokens[self.i].value not in KEYWORDS:
            column = self.take("word").value
            self.take("punct", ")", expected=")")
            return ("selected-col", variable, column)
        value = self.take("string", expected=_("en verdi i anførselstegn")).value[1:-1]
        self.take("punct", ")", expected=")")
        return ("selected", variable, value)

    def call(self, name):
        self.take("punct", "(", expected="(")
        args = []
        if not self.peek("punct", ")"):
            args.append(self.expression())
            while self.peek("punct", ","):
                self.i += 1
                args.append(self.expression())
        self.take("punct", ")", expected=")")
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            raise ConditionError(
                _("%(name)s() tar ikke %(n)s argument(er).") % {"name": name, "n": len(args)}
            )
        return ("fn", name, *args)


def parse(text: str, *, columns: bool = False):
    """The tree of an expression, or ConditionError with a Norwegian message. With
    ``columns`` (a choice_filter) a bare word is a column of the choices sheet."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(_("Uttrykket er for langt."))
    try:
        return _Parser(tokenize(text), columns=columns).parse()
    except RecursionError:  # nested deeper than any form needs
        raise ConditionError(_("Uttrykket er for sammensatt.")) from None


def variables(tree) -> set[str]:
    """The variable names an expression refers to."""
    if tree[0] in ("var", "count", "selected", "selected-col"):
        return {tree[1]}
    return set().union(*(variables(child) for child in tree[1:] if isinstance(child, tuple)))


def filter_columns(tree) -> set[str]:
    """The choices-sheet columns a choice_filter reads."""
    if tree[0] == "col":
        return {tree[1]}
    if tree[0] == "selected-col":
        return {tree[2]}
    return set().union(*(filter_columns(child) for child in tree[1:] if isinstance(child, tuple)))


def numeric(tree) -> bool:
    """Whether the expression's value is always a number (a calculated variable's type)."""
    kind = tree[0]
    if kind in ("arith", "neg", "num", "count"):
        return True
    if kind == "fn":
        if tree[1] in NUMERIC_FUNCTIONS:
            return True
        if tree[1] == "if":
            return numeric(tree[3]) and numeric(tree[4])
        if tree[1] == "coalesce":
            return numeric(tree[2]) and numeric(tree[3])
    return False


def check(text: str, *, known: set[str] | None = None, columns: set[str] | None = None) -> None:
    """Raise ConditionError unless the text parses and names only known variables (and, for
    a choice_filter, only the ``columns`` its list has)."""
    tree = parse(text, columns=columns is not None)
    unknown = sorted(variables(tree) - known) if known is not None else []
    if unknown:
        raise ConditionError(
            _("Uttrykket viser til ukjente variabler: %(names)s.") % {"names": ", ".join(unknown)}
        )
    missing = sorted(filter_columns(tree) - columns) if columns is not None else []
    if missing:
        raise ConditionError(
            _("Listen har ingen kolonne %(names)s på choices-arket.")
            % {"names": ", ".join(f"«{name}»" for name in missing)}
        )


def evaluate(text_or_tree, answers: dict, current=None, row=None) -> bool:
    """Whether the expression holds for these answers (``current`` is ``.``; ``row`` is the
    choice a choice_filter looks at: its columns, with ``name`` its value)."""
    tree = (
        parse(text_or_tree, columns=row is not None)
        if isinstance(text_or_tree, str)
        else (text_or_tree)
    )
    return _truth(_value(tree, answers, current, row))


def calculate(text_or_tree, answers: dict):
    """A calculation's value for these answers, as stored: a number (an int when whole) when
    the expression is ``numeric``, else a text; None for no value (empty, NaN or infinite).
    A truth value is "true"/"false", as XPath gives it."""
    tree = parse(text_or_tree) if isinstance(text_or_tree, str) else text_or_tree
    value = _value(tree, answers, None, None)
    if not numeric(tree):
        # A copy of an answer or a text: always text, so the column has one type.
        text = _text(value)
        return text if text != "" else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    text = _text(value)
    return text if text != "" else None


def _value(node, answers, current, row=None):
    def value(child):
        return _value(child, answers, current, row)

    kind = node[0]
    if kind == "or":
        return _truth(value(node[1])) or _truth(value(node[2]))
    if kind == "and":
        return _truth(value(node[1])) and _truth(value(node[2]))
    if kind == "not":
        return not _truth(value(node[1]))
    if kind == "cmp":
        return _compare(node[1], value(node[2]), value(node[3]))
    if kind == "arith":
        return _arith(node[1], value(node[2]), value(node[3]))
    if kind == "neg":
        number = _number(value(node[1]))
        return math.nan if number is None else -number
    if kind == "fn":
        return _call(node[1], [value(arg) for arg in node[2:]])
    if kind == "col":
        return (row or {}).get(node[1], "")
    if kind == "selected-col":
        chosen = answers.get(node[1], "")
        wanted = _text((row or {}).get(node[2], ""))
        return wanted in (chosen if isinstance(chosen, list) else str(chosen).split())
    if kind == "var":
        return answers.get(node[1], "")
    if kind == "self":
        return "" if current is None else current
    if kind in ("num", "str"):
        return node[1]
    if kind == "selected":
        value = answers.get(node[1], "")
        return node[2] in (value if isinstance(value, list) else str(value).split())
    if kind == "count":
        value = answers.get(node[1], "")
        return float(len(value if isinstance(value, list) else str(value).split()))
    raise ConditionError(_("Ukjent uttrykk."))


def _arith(op, left, right):
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return math.nan
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return math.nan  # XPath gives Infinity or NaN: no value either way
    if op == "div":
        return a / b
    return math.fmod(a, b) if math.isfinite(a) else math.nan


def _round(number, digits=0.0):
    """XPath's round: halves go up (round(2.5) = 3, round(-2.5) = -2). The digits may be a
    respondent's answer: kept within a double's precision, never a power that hangs or fails."""
    if not math.isfinite(digits):
        return math.nan
    scale = 10.0 ** max(-15, min(15, int(digits)))
    result = math.floor(number * scale + 0.5) / scale
    return result if math.isfinite(result) else math.nan


def _call(name, args):
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "if":
        return args[1] if _truth(args[0]) else args[2]
    if name == "concat":
        return "".join(_text(arg) for arg in args)
    if name == "coalesce":
        return args[0] if _text(args[0]) != "" else args[1]
    if name == "string":
        return _text(args[0])
    if name == "string-length":
        return float(len(_text(args[0])))
    if name in ("contains", "starts-with", "ends-with"):
        text, part = _text(args[0]), _text(args[1])
        if name == "contains":
            return part in text
        return text.startswith(part) if name == "starts-with" else text.endswith(part)
    numbers = [_number(arg) for arg in args]
    if any(number is None for number in numbers):
        return math.nan
    if name == "round":
        return _round(*numbers) if math.isfinite(numbers[0]) else numbers[0]
    if name == "int":
        return float(math.trunc(numbers[0])) if math.isfinite(numbers[0]) else numbers[0]
    if name == "number":
        return numbers[0]
    if name == "abs":
        return abs(numbers[0])
    return min(numbers) if name == "min" else max(numbers)


def _truth(value) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value) and value != 0


def _text(value) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


def _number(value):
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _compare(op, left, right) -> bool:
    if isinstance(left, int | float) or isinstance(right, int | float) or op not in ("=", "!="):
        a, b = _number(left), _number(right)
        if a is None or b is None:
            # XPath: NaN compares false, and NaN != x is true.
            return op == "!=" and _text(left) != _text(right)
    else:
        a, b = _text(left), _text(right)
    return {
        "=": a == b,
        "!=": a != b,
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
    }[op]
