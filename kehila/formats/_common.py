"""What the three languages share: the Israeli short date, the 24-hour clock, the week from Sunday and
the numbers as kehila.formatting writes money (1,250.50)."""

TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y H:i"
# A weekday with the short date: "Monday, 14.9.2026".
WEEKDAY_DATE_FORMAT = "l, j.n.Y"
# The month ticks of a time axis, a month or a quarter apart (about 30 px): "Sep 26".
CHART_MONTH_FORMAT = "M y"
FIRST_DAY_OF_WEEK = 0  # Sunday: the Israeli week
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
