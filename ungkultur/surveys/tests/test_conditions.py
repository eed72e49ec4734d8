import re

import pytest

from ungkultur.surveys.conditions import ConditionError, check, evaluate, parse, variables


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("${a} = 'x'", {"a": "x"}, True),
        ("${a} = 'x'", {"a": "y"}, False),
        ("${a} != 'x'", {"a": "y"}, True),
        ("${a} != 'x'", {}, True),
        ("${n} > 3 and ${n} < 10", {"n": 5}, True),
        ("${n} > 3 and ${n} < 10", {"n": 12}, False),
        ("${n} >= 18 or ${a} = 'x'", {"n": 12, "a": "x"}, True),
        ("${n} <= 2", {"n": 2}, True),
        ("${n} > 3", {}, False),
        ("${n} < 3", {}, False),
        ("${n} = 14", {"n": 14}, True),
        ("${n} = 14", {"n": "14"}, True),
        ("not(${a} = 'x')", {"a": "x"}, False),
        ("not(${a} = 'x') and (${b} = '1' or ${b} = '2')", {"a": "y", "b": "2"}, True),
        ("selected(${m}, '2')", {"m": ["1", "2"]}, True),
        ("selected(${m}, '3')", {"m": ["1", "2"]}, False),
        ("selected(${m}, '2')", {}, False),
        ("count-selected(${m}) >= 2", {"m": ["1", "2"]}, True),
        (". >= 10 and . <= 25", {}, True),
        ('${a} = "x"', {"a": "x"}, True),
        ("${a}", {"a": "x"}, True),
        ("${a}", {}, False),
    ],
)
def test_it_evaluates_the_xlsform_subset(expression, answers, expected):
    assert evaluate(expression, answers, current=12) is expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("${a} == 'x'", "Uventet «=». Sammenlign med ett tegn"),
        ("${a} = ", "slutter for tidlig"),
        ("${a} = 'x' and", "slutter for tidlig"),
        ("(${a} = 'x'", "Ventet )"),
        ("foo(${a})", "«foo» er ikke tillatt"),
        ("__import__('os').system('true')", "Ukjent tegn «_»"),
        ("${a} + 1", "Ukjent tegn «+»"),
        ("selected(${a})", "Ventet ,"),
        ("", "tomt"),
        ("${a} = 'x' ${b}", "Uventet «b»"),
    ],
)
def test_it_refuses_unknown_syntax_with_a_norwegian_message(expression, message):
    with pytest.raises(ConditionError, match=re.escape(message)):
        parse(expression)


def test_it_never_runs_python():
    # A Python expression that would be true under eval() is not even readable here.
    with pytest.raises(ConditionError):
        evaluate("1 == 1", {})
    with pytest.raises(ConditionError):
        evaluate("[x for x in ()]", {})


def test_it_lists_and_checks_the_variables_an_expression_names():
    assert variables(parse("${a} = '1' and selected(${b}, '2') or count-selected(${c}) > 1")) == {
        "a",
        "b",
        "c",
    }
    check("${a} = '1'", known={"a"})
    with pytest.raises(ConditionError, match="ukjente variabler: zz"):
        check("${a} = '1' or ${zz} = '2'", known={"a"})
