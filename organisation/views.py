# Temporary: replaced by the organisation views.
from organisation.responsibility import matrix_start

tree = services = node_create = node_detail = node_edit = node_services = matrix_start
node_provider = node_close = matrix_start
