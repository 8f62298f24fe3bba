"""Officials' name keys gain the Korean keys (statements.korean): a name in Hangul and its romanisations share one,
so that 조태열 finds Cho Tae-yul. Only the derived keys change: no version, no history row, no search reparsed.
"""

from django.db import migrations

from statements.models import Official  # For its name_keys_of(), a plain function.

BATCH = 2000


def add_korean_keys(apps, schema_editor):
    officials = apps.get_model("statements", "Official")
    changed = []
    for row in officials.objects.only("name", "native_name", "other_names", "name_keys").iterator(chunk_size=BATCH):
        keys = Official.name_keys_of([row.name, row.native_name, *row.other_names])
        if keys != row.name_keys:
            row.name_keys = keys
            changed.append(row)
    officials.objects.bulk_update(changed, ["name_keys"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("statements", "0028_korean_morphemes")]

    operations = [migrations.RunPython(add_korean_keys, migrations.RunPython.noop, elidable=True)]
