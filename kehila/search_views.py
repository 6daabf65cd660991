"""The municipality's search page: every source the user may see (kehila.search), grouped by kind."""

from django.shortcuts import render

from . import search
from .tenancy import municipality_view


@municipality_view("view_program")
def search_page(request):
    query = search.normalise_query(request.GET.get("q", ""))
    groups = search.search(request.user, request.municipality, query)
    return render(
        request,
        "kehila/search.html",
        {
            "query": query,
            "groups": groups,
            "searched": bool(search.words_of(query)),
            "total": sum(len(g.hits) for g in groups),
        },
    )
