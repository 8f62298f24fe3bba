"""statement_derive parses a statement's words again only when the search document's columns change or
search_vector is set to NULL (as an official's new names now do): a touch for the topics no longer parses them.

Nothing stored changes: every search_vector is already what the new text would compute.
"""

from django.db import migrations

from statements import derived


class Migration(migrations.Migration):
    dependencies = [("statements", "0018_people_and_attested_positions")]

    # The digest of statements.derived's SQL when this was written (see derived.Install).
    operations = [derived.Install("290fdbe75365")]
