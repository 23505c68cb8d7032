"""URLs of the evaluation app's pages (namespace evaluation), mounted at /evaluation/ (config.urls).
Each views module lists its own routes."""

from .views import community, experts, feedback, grades, objections, results, rounds, schemes, scoring

app_name = "evaluation"

urlpatterns = [
    *schemes.urlpatterns,
    *experts.urlpatterns,
    *rounds.urlpatterns,
    *scoring.urlpatterns,
    *results.urlpatterns,
    *objections.urlpatterns,
    *feedback.urlpatterns,
    *grades.urlpatterns,
    *community.urlpatterns,
]
