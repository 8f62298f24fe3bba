#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplotrack.settings")
    # Commands (a migration, an import, a backup) may run as long as they need; the site's requests may not.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
