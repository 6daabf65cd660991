"""`python manage.py verify_signatures`: every signed document of every municipality re-hashed.

Prints each mismatch and exits non-zero if there is one, so a cron job or CI sees it; beat runs the same
check weekly and e-mails program HQ (strategy.tasks.verify_signatures_weekly)."""

from django.core.management.base import BaseCommand, CommandError

from strategy.selectors import signed_documents_verify


class Command(BaseCommand):
    help = "Re-compute the SHA-256 of every signed document and compare it with its signatures."

    def handle(self, **options):
        report = signed_documents_verify()
        for m in report.mismatches:
            self.stdout.write(
                f"MISMATCH {m.document} version {m.number} (id {m.version_id}) of {m.municipality} "
                f"[{m.slug}]: content SHA-256 {m.computed}, signed SHA-256 {m.signed}"
            )
        if report.mismatches:
            raise CommandError(
                f"{len(report.mismatches)} of {report.checked} signed documents do not match "
                "their signatures.",
                returncode=1,
            )
        self.stdout.write(f"All {report.checked} signed documents match their signatures.")
