"""A safe reader and evaluator for the XLSForm expressions we accept in ``relevant`` and
``constraint``. Never ``eval``: the text is split into tokens, parsed into a small tree of
tuples, and the tree is walked. Anything outside this grammar is refused with a message.

    expression  := or
    or          := and ("or" and)*
    and         := unary ("and" unary)*
    unary       := "not" "(" expression ")" | comparison
    comparison  := term (("=" | "!=" | "<" | "<=" | ">" | ">=") term)?
    term        := "(" expression ")" | "${" name "}" | "." | number | 'string' | "string"
                 | "selected" "(" "${" name "}" "," string ")"
                 | "count-selected" "(" "${" name "}" ")"

Values follow XPath: an unanswered question is the empty string; a comparison with a number
compares numbers (an empty or non-numeric side makes it false); a multiple-choice answer
compares as its values joined by spaces. ``.`` is the answer being checked (constraints).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

TOKEN = re.compile(
    r"""\s*(?:
        (?P<var>\$\{(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)\})
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>)
      | (?P<punct>[(),])
      | (?P<word>[A-Za-z][A-Za-z-]*)
      | (?P<dot>\.)
    )""",
    re.VERBOSE,
)
COMPARISONS = {"=", "!=", "<", "<=", ">", ">="}


class ConditionError(ValueError):
    """The expression is not in the accepted subset; the message says why (in Norwegian)."""


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
    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

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
        left = self.term()
        token = self.peek("op")
        if token:
            self.i += 1
            return ("cmp", token.value, left, self.term())
        return left

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
                "anførselstegn, =, !=, <, >, <=, >=, and, or, not(), selected() eller "
                "count-selected()."
            )
            % {"word": token.value}
        )

    def function(self, name):
        self.take("punct", "(", expected="(")
        variable = self.take("var", expected="${variabel}").value
        if name == "count-selected":
            self.take("punct", ")", expected=")")
            return ("count", variable)
        self.take("punct", ",", expected=",")
        value = self.take("string", expected=_("en verdi i anførselstegn")).value[1:-1]
        self.take("punct", ")", expected=")")
        return ("selected", variable, value)


def parse(text: str):
    """The tree of an expression, or ConditionError with a Norwegian message."""
    return _Parser(tokenize(text)).parse()


def variables(tree) -> set[str]:
    """The variable names an expression refers to."""
    if tree[0] in ("var", "count"):
        return {tree[1]}
    if tree[0] == "selected":
        return {tree[1]}
    return set().union(*(variables(child) for child in tree[1:] if isinstance(child, tuple)))


def check(text: str, *, known: set[str] | None = None) -> None:
    """Raise ConditionError unless the text parses and names only known variables."""
    tree = parse(text)
    unknown = sorted(variables(tree) - known) if known is not None else []
    if unknown:
        raise ConditionError(
            _("Uttrykket viser til ukjente variabler: %(names)s.") % {"names": ", ".join(unknown)}
        )


def evaluate(text_or_tree, answers: dict, current=None) -> bool:
    """Whether the expression holds for these answers (``current`` is ``.``)."""
    tree = parse(text_or_tree) if isinstance(text_or_tree, str) else text_or_tree
    return _truth(_value(tree, answers, current))


def _value(node, answers, current):
    kind = node[0]
    if kind == "or":
        return _truth(_value(node[1], answers, current)) or _truth(
            _value(node[2], answers, current)
        )
    if kind == "and":
        return _truth(_value(node[1], answers, current)) and _truth(
            _value(node[2], answers, current)
        )
    if kind == "not":
        return not _truth(_value(node[1], answers, current))
    if kind == "cmp":
        return _compare(
            node[1], _value(node[2], answers, current), _value(node[3], answers, current)
        )
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


def _truth(value) -> bool:
    if isinstance(value, list):
        return bool(value)
    return bool(value) and value != 0


def _text(value) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value):
    if isinstance(value, bool):
        return float(value)
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
