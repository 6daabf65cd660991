"""The portal's URLs plus the benchmark's trivial view.

/healthz/ queries the database, so it is not the bare cost of a request; this view is: the same
server, the same middleware, no database and no template. Every page's throughput is compared to it.
"""

from django.http import HttpResponse
from django.urls import path

from kehila.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *portal_urlpatterns]
