"""Lay out a municipality's plan from a scope-decision date without writing anything (HQ plans with it)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kehila import timeline as engine
from kehila.models import milestone_title
from kehila.scheduling import full_plan


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Preview a program's timeline from its scope decision date. Writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--scope-date", required=True, help="T0, YYYY-MM-DD")
        parser.add_argument(
            "--tracks",
            default="",
            help=f"comma-separated tracks ({', '.join(engine.TRACKS)})",
        )
        parser.add_argument(
            "--held",
            action="append",
            default=[],
            metavar="KEY=DATE",
            help="a milestone that took place on DATE (repeatable)",
        )
        parser.add_argument(
            "--pinned",
            action="append",
            default=[],
            metavar="KEY=DATE",
            help="a milestone fixed by hand on DATE (repeatable)",
        )
        parser.add_argument(
            "--calendar",
            default="jewish",
            help=(
                "whose holidays to avoid: one profile or a comma-separated mix "
                f"({', '.join(engine.COMMUNITIES)}); default jewish"
            ),
        )
        parser.add_argument("--json", action="store_true", help="print one JSON list")

    def _pairs(self, values, what):
        out = {}
        for value in values:
            key, sep, when = value.partition("=")
            if not sep or not key:
                raise CommandError(f"--{what} expects KEY=DATE, got {value!r}")
            out[key.strip()] = _date(when.strip(), f"--{what} {key}")
        return out

    def handle(self, *args, **options):
        t0 = _date(options["scope_date"], "--scope-date")
        tracks = [t.strip() for t in options["tracks"].split(",") if t.strip()]
        held = self._pairs(options["held"], "held")
        pinned = self._pairs(options["pinned"], "pinned")
        try:
            profile = engine.CalendarProfile.parse(options["calendar"])
            milestones = full_plan(t0=t0, tracks=tracks, held=held, pinned=pinned, profile=profile)
        except engine.TimelineError as error:
            raise CommandError(error.message) from error
        rows = [
            {
                "key": m.key,
                "title": milestone_title(m.key),
                "date": m.date.isoformat(),
                "depends_on": list(m.depends_on),
            }
            for m in milestones
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        width = max(len(r["key"]) for r in rows)
        for r, m in zip(rows, milestones, strict=True):
            flag = "held" if m.held else "pinned" if m.pinned else "moved" if m.shifted else ""
            after = ", ".join(r["depends_on"]) or "-"
            line = (
                f"{r['date']}  {m.date:%a}  {r['key']:<{width}}  {flag:<6}  "
                f"{r['title']}  (after: {after})"
            )
            if m.shifted and (why := engine.day_off(m.computed, profile)):
                line += f"  [{m.computed.isoformat()}: {why.reason}]"
            self.stdout.write(line)
