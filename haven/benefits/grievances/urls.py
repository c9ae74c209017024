app_name = "grievances"
urlpatterns: list[object] = []
