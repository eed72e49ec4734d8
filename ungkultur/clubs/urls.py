from django.urls import path

from ungkultur.clubs import views

app_name = "clubs"
urlpatterns = [
    path("klubber/<int:unit_pk>/kvelder/", views.evening_list, name="evening_list"),
    path("klubber/<int:unit_pk>/kvelder/ny/", views.evening_new, name="evening_new"),
    path("klubber/kvelder/<int:pk>/endre/", views.evening_edit, name="evening_edit"),
]
