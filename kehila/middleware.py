class HebrewFirstMiddleware:
    """Hebrew is the portal's first language whatever the browser asks for: many municipal computers are
    set to English. A user who wants English picks it in the footer (a cookie), which Django honours.
    Placed before LocaleMiddleware, it hides Accept-Language from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
