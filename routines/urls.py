from routines import urls_import, urls_staff, urls_workflow

app_name = "routines"
# One list per part of the module: writing and approving, staff's reading and acknowledging,
# and the import of existing documents.
urlpatterns = urls_workflow.urlpatterns + urls_staff.urlpatterns + urls_import.urlpatterns
