import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kehila.generate import GENERATED_PASSWORD, HQ_USERNAME, generate
from kehila.models import Municipality


class Command(BaseCommand):
    help = "Write national-scale synthetic data in bulk (benchmarks, query budgets). Deterministic by --seed."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=257)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Rows per municipality relative to the full shape.",
        )
        parser.add_argument(
            "--prefix", default="gen", help="Slug prefix of the generated municipalities."
        )

    def handle(self, *args, municipalities, years, seed, scale, prefix, **options):
        if municipalities < 1 or years < 1 or scale <= 0:
            raise CommandError("--municipalities, --years and --scale must be positive.")
        if Municipality.objects.filter(slug__startswith=f"{prefix}-").exists():
            raise CommandError(
                f"Municipalities with the prefix {prefix!r} exist already: use a fresh database or "
                "another --prefix."
            )
        started = time.perf_counter()

        def progress(done, total):
            self.stdout.write(
                f"  {done}/{total} municipalities ({time.perf_counter() - started:.0f} s)"
            )

        totals = generate(
            municipalities=municipalities,
            years=years,
            seed=seed,
            scale=scale,
            prefix=prefix,
            progress=progress if options["verbosity"] else None,
        )
        # Millions of rows written in bulk leave the planner's statistics describing empty tables (it
        # would scan 250,000 affiliations to find fifty people's): gather them now, as autovacuum would.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        for table, rows in sorted(totals.items()):
            self.stdout.write(f"  {table:<28} {rows:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {municipalities} municipalities in {elapsed:.1f} s "
                f"({sum(totals.values()):,} rows). Users: <slug>-<role>, HQ {HQ_USERNAME}; "
                f"password {GENERATED_PASSWORD}."
            )
        )
