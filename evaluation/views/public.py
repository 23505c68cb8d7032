"""Public pages: the beneficiary survey, the publicity (公示) of results and the objection form."""

urlpatterns: list = []
