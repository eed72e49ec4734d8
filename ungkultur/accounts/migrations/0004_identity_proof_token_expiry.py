from django.db import migrations, models


def confirm_existing(apps, schema_editor):
    """Accounts that existed before e-mail confirmation keep working for staff and guardians;
    youth confirm again (see docs/privacy.md): only accounts without a birth year (adults
    created by staff or invitations) are taken as confirmed."""
    User = apps.get_model("accounts", "User")
    User.objects.filter(birth_year__isnull=True).update(email_confirmed_at=models.F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_consent_named_nickname_help")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-post bekreftet"),
        ),
        migrations.AddField(
            model_name="user",
            name="identity_provider",
            field=models.CharField(
                blank=True,
                help_text="ID-porten eller Feide.",
                max_length=20,
                verbose_name="verifisert med",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="birth_year_verified",
            field=models.BooleanField(default=False, verbose_name="fødselsår verifisert"),
        ),
        migrations.AddField(
            model_name="user",
            name="municipality_verified",
            field=models.BooleanField(default=False, verbose_name="bostedskommune verifisert"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="utløper"),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
