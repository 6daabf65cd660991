"""The portal's one way of writing dates and numbers per language (settings.FORMAT_MODULE_PATH).

Templates and code name a format (`|date:"SHORT_DATE_FORMAT"`, `date_format(day, "SHORT_DATE_FORMAT")`),
never spell one out, so a date reads the same on every page, e-mail and PDF of a language. The short
date is the Israeli one in all three languages (14.9.2026: day first, no leading zeros), because every
reader of the portal lives in Israel and meets that form on every form and letter they get; the long
forms name the month in the reader's language. Machine formats (ISO in `<input type=date>` and
`datetime=`, .ics, file names, spreadsheet cells) are not display formats and stay ISO.

Django looks a format up here first and then in its own locale, so every custom name below must be in
each language's module (tests/kehila/test_date_formats.py checks that): a name missing from one would
be written out letter by letter as a format.
"""

# The formats a template or module may name, besides Django's own names (FORMAT_SETTINGS).
CUSTOM_FORMATS = ("WEEKDAY_DATE_FORMAT", "WEEKDAY_DATETIME_FORMAT", "CHART_MONTH_FORMAT")
