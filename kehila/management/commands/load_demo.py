from django.core.management.base import BaseCommand

from kehila.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from kehila.permissions import role_requires_second_factor


class Command(BaseCommand):
    help = "Load the demo municipality and one user per role. Safe to run again: it adds nothing twice."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write(
            f"Demo loaded: {created['municipalities']} new municipalities, {created['users']} new users."
        )
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, _first, _last, role, _track in DEMO_USERS:
            note = (
                "  (first login: enrol an authenticator app)"
                if role_requires_second_factor(role)
                else ""
            )
            self.stdout.write(f"  {username:<10} {role.label}{note}")
