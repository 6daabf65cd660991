from django.core.management.base import BaseCommand

from kehila.tasks import send_test_email


class Command(BaseCommand):
    help = (
        "Queue a test e-mail through the Celery worker, to check the broker and the mail settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("address")

    def handle(self, *args, address, **options):
        send_test_email.delay(address)
        self.stdout.write(f"Queued a test e-mail to {address}; the worker sends it.")
