"""Request id (from a sane X-Request-ID, or new; echoed back and logged), the interface language, when a
session is saved (SessionRefreshMiddleware) and the caching rule for every response."""

import contextlib
import logging
import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation

from .context import current_request_id, new_request_id, request_id_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id() or "-"
        return True


class LanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the visitor chose another language (the language cookie set by
    the switcher). Browsers' Accept-Language is not followed for pages, so a public terminal set to
    English still shows the bureau's Chinese site; API clients may ask for a language with it."""

    def process_request(self, request):
        language = None
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            with contextlib.suppress(LookupError):
                language = translation.get_supported_language_variant(chosen)
        if language is None:
            api = request.path.startswith("/api/")
            language = translation.get_language_from_request(request) if api else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class CacheControlMiddleware:
    """`Cache-Control: private, no-store` on every response made for a signed-in user — pages, the
    API (token users too: DRF sets the user on the request), exports and downloads — whatever the
    view said, so a shared computer's browser or a proxy keeps no copy. A response for an anonymous
    visitor keeps the caching its view chose (the public register is public for a minute) and is
    not stored when the view chose nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class SessionRefreshMiddleware:
    """Save a signed-in session only when something changed in it or when its stored expiry is near.

    With SESSION_SAVE_EVERY_REQUEST every request rewrote its session row (3 of a list page's ~10
    queries). Here a session read on the request (core.sessions keeps the row's expiry) is marked
    modified, so SessionMiddleware saves it with a new expiry of SESSION_COOKIE_AGE from now, only
    once less than SESSION_COOKIE_AGE − SESSION_REFRESH_SECONDS remains: an active user's session is
    extended at most once per refresh interval, and an idle user is out SESSION_COOKIE_AGE after the
    last extension, i.e. at most 2 hours (and at least 2 hours − the interval) after the last
    request. Placed after SessionMiddleware, so its response side runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        expiry = getattr(session, "stored_expiry", None)
        if session is None or expiry is None or session.modified or not session.accessed:
            return response
        age = settings.SESSION_COOKIE_AGE
        refresh = getattr(settings, "SESSION_REFRESH_SECONDS", 300)
        remaining = (expiry - timezone.now()).total_seconds()
        if remaining < age - refresh:
            session.modified = True
        return response
