"""URLs of the accounts app."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
]
