import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0012_plausible_dates_bounded_texts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalposition",
            name="official",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                limit_choices_to={"merged_into": None},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="statements.official",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstatement",
            name="official",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                limit_choices_to={"merged_into": None},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="statements.official",
            ),
        ),
        migrations.AlterField(
            model_name="position",
            name="official",
            field=models.ForeignKey(
                limit_choices_to={"merged_into": None},
                on_delete=django.db.models.deletion.CASCADE,
                related_name="positions",
                to="statements.official",
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="official",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"merged_into": None},
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="statements",
                to="statements.official",
            ),
        ),
    ]
