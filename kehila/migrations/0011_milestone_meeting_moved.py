"""`Milestone.meeting` goes: committees' 0006 holds the link now (and copied it first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("kehila", "0006_gate_override"),
        ("committees", "0006_meeting_milestone"),
    ]

    operations = [
        migrations.RemoveField(model_name="milestone", name="meeting"),
    ]
