import re

import pytest

from ungkultur.surveys.conditions import (
    ConditionError,
    calculate,
    check,
    evaluate,
    numeric,
    parse,
    variables,
)


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
        ("${a} ^ 1", "Ukjent tegn «^»"),
        ("${a} + ", "slutter for tidlig"),
        ("today()", "«today» er ikke tillatt"),
        ("round()", "round() tar ikke 0 argument(er)."),
        ("region = ${a}", "«region» er ikke tillatt"),
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


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${n} * 2 + 1", 11),
        ("${n} - 1", 4),
        ("-${n} + 1", -4),
        ("${n} div 2", 2.5),
        ("${n} mod 2", 1),
        ("round(${n} div 3, 2)", 1.67),
        ("round(2.5)", 3),
        ("int(${n} div 2)", 2),
        ("${empty} + 1", None),  # NaN: no value
        ("${n} div 0", None),
        ("coalesce(${empty}, 0) + ${n}", 5),
        ("count-selected(${m}) * 10", 20),
        ("min(${n}, 3)", 3),
        ("max(${n}, 3, '7')", 7),
        ("abs(-${n})", 5),
        ("string-length(${a})", 3),
        ("number('12.5') * 2", 25),
        ("if(${n} > 3, 'stor', 'liten')", "stor"),
        ("concat(${a}, '-', ${n})", "abc-5"),
        ("concat(${a}, ${empty})", "abc"),
        ("${a}", "abc"),
        ("${n}", "5"),  # a copy of an answer is text
        ("${n} > 3", "true"),
        ("contains(${a}, 'b') and starts-with(${a}, 'a') and ends-with(${a}, 'c')", "true"),
        ("if(true(), 1, 2) + if(false(), 1, 2)", 3),
        ("${empty}", None),
    ],
)
def test_it_calculates_the_xlsform_subset(expression, expected):
    answers = {"n": 5, "a": "abc", "m": ["1", "2"]}
    assert calculate(expression, answers) == expected


def test_a_calculation_is_numeric_when_its_expression_always_gives_a_number():
    assert numeric(parse("${a} + 1")) and numeric(parse("round(${a}, 1)"))
    assert numeric(parse("if(${a} > 1, 1, 2)"))
    assert not numeric(parse("if(${a} > 1, 1, ${b})")) and not numeric(parse("${a}"))
    assert not numeric(parse("concat(${a}, 1)"))


def test_a_choice_filter_reads_the_choice_columns():
    tree = parse("region = ${r} or filter = 'all'", columns=True)
    assert evaluate(tree, {"r": "ost"}, row={"name": "oslo", "region": "ost"})
    assert not evaluate(tree, {"r": "ost"}, row={"name": "bergen", "region": "vest"})
    assert evaluate(tree, {"r": "ost"}, row={"name": "ukm", "filter": "all"})
    assert evaluate("selected(${m}, name)", {"m": ["a", "b"]}, row={"name": "b"})
    assert not evaluate("selected(${m}, name)", {"m": ["a", "b"]}, row={"name": "c"})
    assert evaluate("name != ${x}", {"x": "a"}, row={"name": "b"})
    check("region = ${r}", known={"r"}, columns={"name", "region"})
    with pytest.raises(ConditionError, match="ingen kolonne «regon»"):
        check("regon = ${r}", known={"r"}, columns={"name", "region"})


@pytest.mark.parametrize(
    "expression,expected",
    [
        ("round(1, ${d})", 1),  # 10 ** 100000000 would hang the answer page
        ("round(2.5, 400)", 2.5),
        ("round(2.5, -400)", 0),
        ("round(1, 1 div 0)", None),
        ("(${huge} * ${huge}) mod 3", None),  # infinity: no value
    ],
)
def test_a_respondents_answer_cannot_make_a_calculation_hang_or_fail(expression, expected):
    """Answers feed calculations on every page saved: a value out of range is no value."""
    assert calculate(expression, {"d": "100000000", "huge": "1e308"}) == expected


@pytest.mark.parametrize("text", ["-" * 5000 + "1", "(" * 600 + "1" + ")" * 600])
def test_an_expression_too_long_or_deep_is_refused_with_a_message(text):
    with pytest.raises(ConditionError):
        parse(text)
