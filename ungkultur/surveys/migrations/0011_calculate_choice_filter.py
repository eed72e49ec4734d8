from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0010_response_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="calculation",
            field=models.TextField(blank=True, verbose_name="beregning (XLSForm calculation)"),
        ),
        migrations.AddField(
            model_name="question",
            name="choice_filter",
            field=models.TextField(blank=True, verbose_name="filter for svaralternativer"),
        ),
        migrations.AddField(
            model_name="choice",
            name="columns",
            field=models.JSONField(blank=True, default=dict, verbose_name="andre kolonner"),
        ),
        migrations.AlterField(
            model_name="question",
            name="type",
            field=models.CharField(
                choices=[
                    ("single", "ett valg"),
                    ("multiple", "flere valg"),
                    ("likert", "likertskala"),
                    ("likert_grid", "rutenett av likertspørsmål"),
                    ("number", "tall"),
                    ("short_text", "kort tekst"),
                    ("long_text", "lang tekst"),
                    ("note", "bare tekst (ingen svar)"),
                    ("date", "dato"),
                    ("time", "klokkeslett"),
                    ("calculate", "beregning (ingen spørsmål)"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
    ]
