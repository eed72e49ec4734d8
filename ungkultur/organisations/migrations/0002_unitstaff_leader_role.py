from django.db import migrations, models

PARTNER_KINDS = ("library", "art_association", "volunteer", "other")


def partner_staff_lead(apps, schema_editor):
    """Staff of a partner unit (a library, an art association) ran its offers until unit leaders
    were split from teachers; a partner has no teachers, so its staff become its leaders and keep
    doing what they did. Rectors, club leaders and UKM contacts lead by their role already."""
    UnitStaff = apps.get_model("organisations", "UnitStaff")
    UnitStaff.objects.filter(role="staff", unit__kind__in=PARTNER_KINDS).update(role="leader")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unitstaff",
            name="role",
            field=models.CharField(
                choices=[
                    ("rector", "rektor"),
                    ("teacher", "lærer"),
                    ("club_leader", "klubbleder"),
                    ("youth_worker", "ungdomsarbeider"),
                    ("ukm_contact", "UKM-kontakt"),
                    ("leader", "leder"),
                    ("staff", "ansatt"),
                ],
                max_length=20,
                verbose_name="rolle",
            ),
        ),
        # No reverse: the role "leader" stays valid data (reversing keeps it, loses nothing).
        migrations.RunPython(partner_staff_lead, migrations.RunPython.noop),
    ]
