"""The `portevoix` console script: Django's management commands with our settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portevoix.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo sends its e-mails (reminders, invitations, crisis notices) to files in its
        # data folder, not to an SMTP server that a fresh machine does not run.
        os.environ.setdefault("PORTEVOIX_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
