import django.core.validators
import statements.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0011_search_by_country"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalposition",
            name="end_date",
            field=models.DateField(
                blank=True,
                help_text="Blank while the position is held.",
                null=True,
                validators=[statements.models.plausible_date],
            ),
        ),
        migrations.AlterField(
            model_name="historicalposition",
            name="start_date",
            field=models.DateField(blank=True, null=True, validators=[statements.models.plausible_date]),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="published_on",
            field=models.DateField(blank=True, null=True, validators=[statements.models.plausible_date]),
        ),
        migrations.AlterField(
            model_name="historicalstatement",
            name="date",
            field=models.DateField(
                help_text="When it was said; the first day of the month or year for coarser dates.",
                validators=[statements.models.plausible_date],
            ),
        ),
        migrations.AlterField(
            model_name="historicalstatement",
            name="original_text",
            field=models.TextField(
                blank=True,
                help_text="The words in the original language, when a translation.",
                validators=[django.core.validators.MaxLengthValidator(200000)],
            ),
        ),
        migrations.AlterField(
            model_name="historicalstatement",
            name="text",
            field=models.TextField(
                help_text="Verbatim, without quotation marks.",
                validators=[django.core.validators.MaxLengthValidator(200000)],
                verbose_name="words",
            ),
        ),
        migrations.AlterField(
            model_name="position",
            name="end_date",
            field=models.DateField(
                blank=True,
                help_text="Blank while the position is held.",
                null=True,
                validators=[statements.models.plausible_date],
            ),
        ),
        migrations.AlterField(
            model_name="position",
            name="start_date",
            field=models.DateField(blank=True, null=True, validators=[statements.models.plausible_date]),
        ),
        migrations.AlterField(
            model_name="source",
            name="published_on",
            field=models.DateField(blank=True, null=True, validators=[statements.models.plausible_date]),
        ),
        migrations.AlterField(
            model_name="statement",
            name="date",
            field=models.DateField(
                help_text="When it was said; the first day of the month or year for coarser dates.",
                validators=[statements.models.plausible_date],
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="original_text",
            field=models.TextField(
                blank=True,
                help_text="The words in the original language, when a translation.",
                validators=[django.core.validators.MaxLengthValidator(200000)],
            ),
        ),
        migrations.AlterField(
            model_name="statement",
            name="text",
            field=models.TextField(
                help_text="Verbatim, without quotation marks.",
                validators=[django.core.validators.MaxLengthValidator(200000)],
                verbose_name="words",
            ),
        ),
    ]
