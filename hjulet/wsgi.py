import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hjulet.settings")
application = get_wsgi_application()

# Django, the apps, their rule data and the catalogues are loaded now and live as long as the
# process. Frozen, they are out of the garbage collector's reach: a full collection no longer
# walks them, which held a request up by 40-60 ms every few dozen requests (make bench).
gc.freeze()
