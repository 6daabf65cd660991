"""Minutes published to the members before the lifecycle existed (issue 15 §6) stayed "draft" although
everyone had received them. They become circulated on the day they were published, with the corrections
window of their committee from that day, so the body approves (and locks) them at its next meeting like
any other; nothing that was sent is unsent."""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone


def circulate_published_drafts(apps, schema_editor):
    Minutes = apps.get_model("committees", "Minutes")
    drafts = Minutes.objects.filter(state="draft", published_at__isnull=False).select_related(
        "meeting__committee"
    )
    for minutes in drafts.iterator():
        days = minutes.meeting.committee.corrections_days
        # Minutes.save refuses nothing here (historical models have no custom save): update in place.
        Minutes.objects.filter(pk=minutes.pk).update(
            state="circulated",
            circulated_at=minutes.published_at,
            corrections_until=timezone.localdate(minutes.published_at) + timedelta(days=days),
        )


class Migration(migrations.Migration):
    dependencies = [("committees", "0006_meeting_milestone")]

    operations = [migrations.RunPython(circulate_published_drafts, migrations.RunPython.noop)]
