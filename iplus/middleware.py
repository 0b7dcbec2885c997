from http import HTTPStatus

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class PageCacheGuard:
    """Keeps out of the page cache (django.middleware.cache) what must not be shared.

    Never stored: responses to anyone with a session or CSRF cookie (staff, drafts, forms), pages that used
    a CSP nonce, and URLs with a query parameter their view does not read (made-up parameters would fill the
    cache with copies of one page). Every response varies on Cookie, so a signed-in editor is never served
    a visitor's stored page. Place it right after UpdateCacheMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        private = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} & request.COOKIES.keys()
        nonce = "'nonce-" in response.get("Content-Security-Policy", "")
        # A page served from the cache resolved no view: it was checked when it was stored. Django stores only a 200
        # or 304, and the query string of any other answer may be its cause (over 1,000 fields: reading it again fails).
        checked = response.status_code in (HTTPStatus.OK, HTTPStatus.NOT_MODIFIED) and request.resolver_match is not None
        unread = checked and not request.GET.keys() <= query_params(request)
        if private or nonce or unread:
            add_never_cache_headers(response)
        return response


def query_params(request):
    """The query parameters the view that answered `request` reads: its filters, its page and its `query_params`."""
    view = getattr(getattr(request.resolver_match, "func", None), "view_class", None)
    filterset = getattr(view, "filterset_class", None)
    page = [view.page_kwarg] if getattr(view, "paginate_by", None) else []
    return {*getattr(view, "query_params", ()), *(filterset.base_filters if filterset else ()), *page}


class PathLocaleMiddleware:
    """The edition is the address's: /zh-hans/… is Chinese, every other page English; the admin follows the editor.

    Django's LocaleMiddleware also adds `Vary: Accept-Language` to every English page, so the page cache would keep
    a copy of each per browser header. Place it first, around the page cache, whose keys hold the language: the
    language is the request's from before the cache looks a page up until after it stores one, and no longer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with translation.override(translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The admin is never cached (editors have a session): it speaks the language the editor's browser asks for.
        if request.resolver_match.namespace.split(":")[0] == "admin":
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
