"""Pages of the frame: home per role, health, an object's history, the answer to a bad request."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import audit, todos
from core import home as home_panels
from core.health import check_database, check_redis
from core.params import InvalidParameter, path_pk


@login_required
def home(request):
    role = request.user.role or "none"
    return TemplateResponse(
        request,
        [f"home/{role}.html", "home/default.html"],
        {
            "role_label": request.user.get_role_display() if request.user.role else "",
            "panels": home_panels.panels_for(request),
            "todos": todos.todos_for(request),
        },
    )


@never_cache
@require_GET
def healthz(request):
    database, cache = check_database(), check_redis()
    body = {"database": "ok" if database else "error", "redis": "ok" if cache else "error"}
    return JsonResponse(body, status=200 if database and cache else 503)


@login_required
def object_history(request, content_type_id: int, object_id: str):
    """An object's audit trail, shown only to users who may see the object itself."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    # Only rows scoped by `restrict` have a history page (an export job is its owner's alone).
    restrict = getattr(model._default_manager.all(), "restrict", None) if model is not None else None
    if restrict is None or not hasattr(model, "access_policy"):
        raise Http404
    obj = get_object_or_404(restrict(request.user, "view"), pk=path_pk(model, object_id))
    records = list(audit.history(obj))
    return TemplateResponse(
        request, "core/object_history.html", {"object": obj, "rows": audit.readable_history(records, model)}
    )


def bad_request(request, exception=None):
    """400. A bad parameter's own message is shown (it names the parameter); what any other
    exception says (e.g. a disallowed host) is not."""
    message = exception.message if isinstance(exception, InvalidParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)
