from django.contrib.auth import views as auth_views
from django.urls import path

from ungkultur.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView accepts POST only.
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("passord/glemt/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "passord/glemt/sendt/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "passord/ny/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "passord/ny/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("registrer/", views.register, name="register"),
    path("registrer/foresatt/", views.register_adult, name="register_adult"),
    path("e-post/bekreft/<str:token>/", views.email_confirm, name="email_confirm"),
    path("e-post/send-pa-nytt/", views.email_confirm_resend, name="email_confirm_resend"),
    path("foresatt/bekreft/<str:token>/", views.guardian_confirm, name="guardian_confirm"),
    path("foresatt/send-pa-nytt/", views.guardian_resend, name="guardian_resend"),
]
