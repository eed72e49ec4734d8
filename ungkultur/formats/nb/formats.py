"""Date formats by name, so that templates and code never spell a language's pattern
(``|date:"DATE_FORMAT"``, ``date_format(day, "MONTH_DAY_FORMAT")``). Names Django does not know
are looked up here first (django.utils.formats.get_format); every language module under
ungkultur/formats/ defines all of them (tests/test_formats.py checks it).

Norwegian (bokmål and nynorsk alike): "8. desember 2026", "tirsdag 8. desember".
"""

DATE_FORMAT = "j. F Y"
MONTH_DAY_FORMAT = "j. F"
NUMERIC_DATE_FORMAT = "j.n.Y"
NUMERIC_DATETIME_FORMAT = "j.n.Y H:i"
DATE_AT_TIME_FORMAT = r"j. F Y \k\l. H:i"
DATE_TIME_FORMAT = "j. F Y H:i"
MONTH_DAY_AT_TIME_FORMAT = r"j. F \k\l. H:i"
MONTH_DAY_TIME_FORMAT = "j. F H:i"
WEEKDAY_DAY_FORMAT = "l j. F"
WEEKDAY_DATE_FORMAT = "l j. F Y"
WEEKDAY_DATE_AT_TIME_FORMAT = r"l j. F Y \k\l. H:i"
SHORT_MONTH_DATE_FORMAT = "j. b Y"
SHORT_MONTH_DAY_FORMAT = "j. b"
ABBR_MONTH_DATE_FORMAT = "j. M Y"
WEEKDAY_ABBR_DATE_FORMAT = "D j. M Y"
WEEKDAY_NUMERIC_DAY_TIME_FORMAT = "D j.n. H:i"
# The first day of a range within one month ("8.–12. desember"), and a month on a chart's axis.
DAY_FORMAT = "j."
CHART_MONTH_FORMAT = "b y"
