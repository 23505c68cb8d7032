"""`/autocomplete/<kind>/?q=`: the options matching what was typed in a choice among many rows
(core.autocomplete), at most LIMIT of them, among the rows the user may see.

Answers JSON `{"results": [{"id": 1, "text": "…"}], "more": false}`; an unknown kind is a 404, a
role that may see no row of the kind a 403, and a `q` longer than Q_MAX characters (or holding a
NUL, which PostgreSQL refuses) a 400 whose message names the search text.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import autocomplete


@login_required
@require_http_methods(["GET", "HEAD"])
def options(request, kind):
    entry = autocomplete.get(kind)
    if entry is None:
        raise Http404
    if not entry.allowed(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "")
    if len(q) > autocomplete.Q_MAX or "\x00" in q:
        message = _("Search text: enter at most %(max)d characters, without control characters.") % {
            "max": autocomplete.Q_MAX
        }
        return JsonResponse({"error": message}, status=400)
    results, more = entry.options(request.user, q)
    response = JsonResponse({"results": results, "more": more})
    response["Cache-Control"] = "private, no-store"
    return response
