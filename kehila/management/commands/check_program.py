"""List every contradiction in programs' data; exit 1 if there is one."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext, ngettext

from kehila.consistency import contradictions, rule_label
from kehila.models import Municipality


class Command(BaseCommand):
    help = (
        "Check a program's data for contradictions (scores before submissions close, meetings off "
        "their milestone's date, ...). Writes nothing; exits 1 if it finds any."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--municipality", metavar="SLUG", help="one municipality")
        which.add_argument("--all", action="store_true", help="every municipality")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language of the report (default: the portal's)",
        )

    def handle(self, *args, **options):
        if options["all"]:
            municipalities = Municipality.objects.order_by("slug")
        else:
            municipalities = Municipality.objects.filter(slug=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"No municipality with the slug {options['municipality']!r}.")
        total = 0
        with translation.override(options["language"]):
            for municipality in municipalities.iterator():
                found = contradictions(municipality)
                total += len(found)
                for item in found:
                    where = f" ({item.url})" if item.url else ""
                    self.stdout.write(
                        f"{municipality.slug}: {rule_label(item.rule)}: {item.text}{where}"
                    )
            if total:
                self.stderr.write(
                    ngettext(
                        "%(count)d contradiction found.", "%(count)d contradictions found.", total
                    )
                    % {"count": total}
                )
            else:
                self.stdout.write(gettext("No contradictions found."))
        if total:
            sys.exit(1)
