app_name = "planning"
urlpatterns = []
