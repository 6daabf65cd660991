"""Hebrew: 14 בספטמבר 2026; 14.9.2026."""

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

DATE_FORMAT = "j בF Y"
DATETIME_FORMAT = "j בF Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j בF"
# Django's Hebrew weekday is the bare "שני"; a date names it "יום שני".
WEEKDAY_DATE_FORMAT = "יום l, j.n.Y"
# A meeting's start: "יום שני, 14 בספטמבר 2026, 18:00".
WEEKDAY_DATETIME_FORMAT = "יום l, j בF Y, H:i"
