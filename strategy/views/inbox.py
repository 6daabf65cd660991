"""The mayor's office inbox: what waits for its approval."""

from __future__ import annotations

from django.shortcuts import render

from kehila.tenancy import municipality_view

from .. import inbox


@municipality_view("approve")
def inbox_view(request):
    return render(request, "strategy/inbox.html", {"items": inbox.items_for(request.municipality)})
