from django.db import migrations


def teachers_who_took_attendance(apps, schema_editor):
    """Teachers took attendance on any offer of their unit until teachers were limited to the
    offers they teach: whoever of the unit's teachers recorded an offer's attendance teaches it,
    so they keep taking it."""
    Attendance = apps.get_model("enrolment", "Attendance")
    UnitStaff = apps.get_model("organisations", "UnitStaff")
    Offer = apps.get_model("catalogue", "Offer")
    teachers = set(UnitStaff.objects.filter(role="teacher").values_list("unit_id", "user_id"))
    pairs = {
        (offer_id, user_id)
        for offer_id, unit_id, user_id in Attendance.objects.filter(recorded_by__isnull=False)
        .values_list("session__offer_id", "session__offer__unit_id", "recorded_by_id")
        .distinct()
        if (unit_id, user_id) in teachers
    }
    Offer.teachers.through.objects.bulk_create(
        [Offer.teachers.through(offer_id=o, user_id=u) for o, u in sorted(pairs)],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0004_enrolment_reminded_at"),
        ("catalogue", "0002_offer_teachers"),
        ("organisations", "0002_unitstaff_leader_role"),
    ]

    operations = [
        migrations.RunPython(teachers_who_took_attendance, migrations.RunPython.noop),
    ]
