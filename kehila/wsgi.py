import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehila.settings")
application = get_wsgi_application()

# A live session's unchanged poll is answered 304 from one cache read before Django builds a request
# (live.polling); everything else goes on to Django.
from live.polling import NotModifiedApp  # noqa: E402 - needs the settings that get_wsgi_application set up

application = NotModifiedApp(application)
