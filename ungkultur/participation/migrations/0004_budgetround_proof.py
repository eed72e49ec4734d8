from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("participation", "0003_author_names_nickname_only")]

    operations = [
        migrations.AddField(
            model_name="budgetround",
            name="proof",
            field=models.CharField(
                choices=[
                    ("email", "bekreftet e-post"),
                    ("eid", "ID-porten eller Feide, med alder og bostedskommune derfra"),
                ],
                default="email",
                max_length=10,
                verbose_name="krav til innlogging",
            ),
        ),
    ]
