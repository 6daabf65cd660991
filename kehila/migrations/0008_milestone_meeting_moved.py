"""`Milestone.meeting` goes: committees' 0006 holds the link now (and copied it first).

A municipality sets how many days of slip raise an alarm (default 7). Every municipality gets its program here, once: pages no longer create one on a GET (issue 15 §3).
"""

from django.db import migrations, models


def give_every_municipality_its_program(apps, schema_editor):
    Municipality = apps.get_model("kehila", "Municipality")
    Program = apps.get_model("kehila", "Program")
    Program.objects.bulk_create(
        Program(municipality_id=pk)
        for pk in Municipality.objects.filter(program__isnull=True).values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kehila", "0007_calendar_profile"),
        ("committees", "0006_meeting_milestone"),
    ]

    operations = [
        migrations.RemoveField(model_name="milestone", name="meeting"),
        migrations.AddField(
            model_name="municipality",
            name="slip_alert_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="A milestone late by fewer days is shown as a minor slip, not an alarm.",
                verbose_name="days of slip that raise an alarm",
            ),
        ),
        migrations.RunPython(give_every_municipality_its_program, migrations.RunPython.noop),
    ]
