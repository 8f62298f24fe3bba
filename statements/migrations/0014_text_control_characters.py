"""Text holds no control character but tab and newline: existing rows are cleaned, then the database checks it.

Each cleaned row gets a new version in its history ("Removed control characters"), so what was stored before
can still be seen and restored. The history rows themselves are left as they were: they are the record of what
was stored, shown only to curators, in the admin's HTML pages (where a control character does no harm); a
version restored from them goes through the admin form, and so is cleaned again.
"""

import functools
import operator

from django.contrib.postgres.fields import ArrayField
from django.db import migrations, models
from django.db.models import Func, Q, Value
from django.db.models.lookups import Regex
from django.utils import timezone

from statements.models import Official  # For its name_keys_of(), a plain function.
from statements.text import normalized

# As statements.text.CONTROLS_SQL: control characters but tab and newline, as a PostgreSQL regular expression.
CONTROLS_SQL = r"[\x01-\x08\x0B-\x1F\x7F-\x9F]"
REASON = "Removed control characters"
MESSAGE = "Text cannot hold control characters other than tab and line breaks."
MODELS = ["Country", "Official", "Organization", "Position", "Topic", "Source", "Statement"]
BATCH = 500


def text_fields(model):
    """The model's text columns, each with the expression to search: arrays as their elements joined."""
    for field in model._meta.concrete_fields:
        if isinstance(field, ArrayField) and isinstance(field.base_field, models.CharField):
            yield field, Func(field.name, Value(" "), function="array_to_string", output_field=models.TextField())
        elif isinstance(field, models.CharField | models.TextField):
            yield field, models.F(field.name)


def clean_rows(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("statements", name)
        fields = list(text_fields(model))
        dirty = functools.reduce(operator.or_, [Q(Regex(expression, CONTROLS_SQL)) for _, expression in fields])
        rows = model.objects.filter(dirty).order_by("pk")
        if name == "Source":
            rows = rows.prefetch_related("citations")
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) == BATCH:
                save(apps, model, batch, [field for field, _ in fields], now)
                batch = []
        save(apps, model, batch, [field for field, _ in fields], now)
    # The deferred foreign key checks of the rows written, now: PostgreSQL alters no table with checks pending.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def save(apps, model, rows, fields, now):
    """Clean the rows' text, save them and record each as a new version in its history."""
    if not rows:
        return
    stamps = {"updated_at", "version"} & {field.name for field in model._meta.concrete_fields}
    for row in rows:
        if model.__name__ == "Source":
            move_citations(apps, row, now)
        for field in fields:
            value = getattr(row, field.attname)
            # As TextModel.normalize_text(): a name in a list that was only control characters is dropped.
            texts = [text for text in map(normalized, value) if text] if isinstance(value, list) else None
            setattr(row, field.attname, normalized(value) if texts is None else texts)
        if model.__name__ == "Official":
            # As Official.save() makes them, from the names as they now are.
            row.name_keys = Official.name_keys_of([row.name, row.native_name, *row.other_names])
        if "updated_at" in stamps:
            row.updated_at = now
        if "version" in stamps:
            row.version += 1  # As save() does: a form opened before this is then stale.
    model.objects.bulk_update(rows, [field.name for field in fields] + sorted(stamps))
    record(apps, model, rows, now)


def move_citations(apps, source, now):
    """The citations' offsets, moved to where their words are in the cleaned text."""
    old = source.full_text
    citations = [citation for citation in source.citations.all() if citation.start_offset is not None]
    for citation in citations:
        start = len(normalized(old[: citation.start_offset]))
        end = max(len(normalized(old[: citation.end_offset])), start + 1)
        citation.start_offset, citation.end_offset = start, end
    if citations:
        Citation = apps.get_model("statements", "Citation")
        Citation.objects.bulk_update(citations, ["start_offset", "end_offset"])
        record(apps, Citation, citations, now)


def record(apps, model, rows, now):
    try:
        history = apps.get_model("statements", f"Historical{model.__name__}")
    except LookupError:
        return  # Countries have no history.
    columns = [field.attname for field in history._meta.fields if not field.name.startswith("history_")]
    versions = history.objects.bulk_create(
        history(
            **{column: getattr(row, column) for column in columns},
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
        )
        for row in rows
    )
    if model.__name__ == "Statement":
        # The version's mentioned countries, as django-simple-history keeps them, so that restoring it keeps them.
        mentions = apps.get_model("statements", "HistoricalStatement_mentioned_countries")
        through = model.mentioned_countries.through
        version_of = {version.id: version.history_id for version in versions}
        mentions.objects.bulk_create(
            mentions(id=pk, statement_id=statement, country_id=country, history_id=version_of[statement])
            for pk, statement, country in through.objects.filter(statement__in=version_of).values_list(
                "pk", "statement_id", "country_id"
            )
        )


def without_controls(*fields):
    return models.Q(*[~models.Q(**{f"{field}__regex": CONTROLS_SQL}) for field in fields])


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0013_merged_officials_not_chosen"),
    ]

    operations = [
        migrations.RunPython(clean_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="official",
            constraint=models.CheckConstraint(
                condition=without_controls("name", "sort_name", "native_name"),
                name="official_text_without_controls",
                violation_error_message=MESSAGE,
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=without_controls("name"),
                name="organization_text_without_controls",
                violation_error_message=MESSAGE,
            ),
        ),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=without_controls("role"),
                name="position_text_without_controls",
                violation_error_message=MESSAGE,
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=without_controls("title", "publisher", "author", "full_text"),
                name="source_text_without_controls",
                violation_error_message=MESSAGE,
            ),
        ),
        migrations.AddConstraint(
            model_name="statement",
            constraint=models.CheckConstraint(
                condition=without_controls("text", "original_text", "occasion", "attribution_text", "role"),
                name="statement_text_without_controls",
                violation_error_message=MESSAGE,
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.CheckConstraint(
                condition=without_controls("name", "description"),
                name="topic_text_without_controls",
                violation_error_message=MESSAGE,
            ),
        ),
    ]
