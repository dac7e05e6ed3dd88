# Temporary until the authority notification views land.
from organisation.responsibility import matrix_start

notification_new = notification_detail = notification_package = matrix_start
notification_record = matrix_start
