# Temporary until the reporting views land.
from organisation.responsibility import matrix_start

report = received = mine = mine_detail = unit_link = unit_qr = attachment = matrix_start
