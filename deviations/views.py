# Temporary until the handling views land.
from organisation.responsibility import matrix_start

register = detail = triage = move = serious = matrix_start
