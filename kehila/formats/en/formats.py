"""English, as written in Israel: 14 September 2026; 14.9.2026 (day first, never the American 9/14)."""

from kehila.formats._common import (  # noqa: F401 - Django reads these names from this module
    CHART_MONTH_FORMAT,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
    TIME_FORMAT,
    WEEKDAY_DATE_FORMAT,
)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# A meeting's start: "Monday, 14 September 2026, 18:00".
WEEKDAY_DATETIME_FORMAT = "l, j F Y, H:i"
