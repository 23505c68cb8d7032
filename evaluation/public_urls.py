"""URLs of the evaluation's public pages (namespace evaluation_public), open to anonymous visitors
under /public/evaluation/: the beneficiary survey, the publicity of results and objections."""

from .views import public

app_name = "evaluation_public"

urlpatterns = [*public.urlpatterns]
