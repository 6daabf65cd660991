"""A municipality's program is created with the municipality, once, by a write: never by a page view.

Pages read `Program` and answer 404 when there is none; the admin's "add municipality", the demo and the
generator call `program_ensure`, and kehila's migration 0011 gave every older municipality its program.
"""

from django.db import transaction

from .models import Municipality, Program


@transaction.atomic
def program_ensure(*, municipality: Municipality, **defaults) -> Program:
    """The municipality's program, created (with `defaults`) when it has none. A second call, or two at
    once, leave one program: the one-to-one's unique index decides."""
    program, _created = Program.objects.get_or_create(municipality=municipality, defaults=defaults)
    return program


@transaction.atomic
def municipality_create(*, name: str, slug: str, name_en: str = "") -> Municipality:
    municipality = Municipality(name=name, slug=slug, name_en=name_en)
    municipality.full_clean()
    municipality.save()
    program_ensure(municipality=municipality)
    return municipality
