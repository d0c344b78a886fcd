"""The moment an inquiry was first forwarded, denormalised from its forwardings."""

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def backfill(apps, schema_editor):
    Inquiry = apps.get_model("inquiries", "Inquiry")
    Forwarding = apps.get_model("inquiries", "Forwarding")
    first = (
        Forwarding.objects.filter(inquiry=OuterRef("pk"))
        .order_by()
        .values("inquiry")
        .annotate(first=Min("forwarded_at"))
        .values("first")
    )
    Inquiry.objects.filter(forwardings__isnull=False).update(forwarded_at=Subquery(first[:1]))


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0004_answered_index")]

    operations = [
        migrations.AddField(
            model_name="inquiry",
            name="forwarded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first forwarded at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
