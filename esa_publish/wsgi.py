"""WSGI entry point (gunicorn esa_publish.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esa_publish.settings")
application = get_wsgi_application()
