"""Arabic: 14 سبتمبر 2026; 14.9.2026, with Western digits and the Arabic comma, as Israel's Arabic
letters and forms write dates (Django's own Arabic format has no time, a 12-hour clock and a decimal
comma; the portal writes numbers one way in every language)."""

from kehila.formats._common import (  # noqa: F401 - Django reads these names from this module
    CHART_MONTH_FORMAT,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
    TIME_FORMAT,
)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# A weekday with the short date: "الاثنين، 14.9.2026".
WEEKDAY_DATE_FORMAT = "l، j.n.Y"
# A meeting's start: "الاثنين، 14 سبتمبر 2026، 18:00".
WEEKDAY_DATETIME_FORMAT = "l، j F Y، H:i"
