#!/usr/bin/env python
"""Django's command-line utility for esa-publish."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esa_publish.settings")
    from esa_publish.env import SettingsError

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load settings now so errors are reported plainly
    except SettingsError as exc:
        sys.stderr.write(f"esa-publish: configuration error: {exc}\n")
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
