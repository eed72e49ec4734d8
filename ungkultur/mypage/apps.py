from django.apps import AppConfig


class MypageConfig(AppConfig):
    name = "ungkultur.mypage"
    label = "mypage"
