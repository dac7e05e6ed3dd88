# Temporary until the export views land.
from organisation.responsibility import matrix_start

register_export = case_pdf = matrix_start
