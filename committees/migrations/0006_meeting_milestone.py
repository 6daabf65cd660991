"""The link between a meeting and its timeline milestone moves to the committees side (issue 15 §3).

The field is added here and the old links copied; kehila's 0011 then drops `Milestone.meeting`, so for
the length of these two migrations both sides exist and the copy reads the old one by its column.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Milestone = apps.get_model("kehila", "Milestone")
    Meeting = apps.get_model("committees", "Meeting")
    for milestone_id, meeting_id in Milestone.objects.filter(meeting__isnull=False).values_list(
        "pk", "meeting_id"
    ):
        Meeting.objects.filter(pk=meeting_id).update(milestone_id=milestone_id)


def copy_links_back(apps, schema_editor):
    Milestone = apps.get_model("kehila", "Milestone")
    Meeting = apps.get_model("committees", "Meeting")
    for meeting_id, milestone_id in Meeting.objects.filter(milestone__isnull=False).values_list(
        "pk", "milestone_id"
    ):
        Milestone.objects.filter(pk=milestone_id).update(meeting_id=meeting_id)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0005_managers_meeting"),
        ("kehila", "0007_calendar_profile"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="milestone",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="meeting",
                to="kehila.milestone",
                verbose_name="timeline milestone",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
