from django.urls import path

from ungkultur.mypage import views

app_name = "mypage"
urlpatterns = [
    path("", views.index, name="index"),
]
