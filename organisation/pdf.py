"""PDF rendering with WeasyPrint, for every module that offers a printable document.

`render_pdf(template_name, context, request)` renders a Django template to PDF bytes. The
template is a complete HTML document of its own, with its CSS in a `<style>` element (the
content security policy does not apply: the HTML never reaches a browser). WeasyPrint reads its
`@page` rules (size, margins, page numbers in a margin box); only the DejaVu fonts are installed,
so set `font-family: "DejaVu Sans"` explicitly, also in the margin boxes. Example:
organisation/templates/organisation/responsibility_pdf.html.

WeasyPrint never fetches anything over the network: static files (`{% static %}` URLs) are read
from disk, any other URL is refused. Content written by users therefore cannot make the server
request addresses on its behalf.
"""

import logging
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

BASE_URL = "https://hjulet.invalid/"


class RefusedURL(ValueError):
    pass


def _static_file(url):
    """The path on disk of a static file named by its URL, or None."""
    path = unquote(urlsplit(url).path)
    prefix = urlsplit(settings.STATIC_URL).path
    if not prefix.startswith("/"):
        prefix = "/" + prefix
    if not path.startswith(prefix):
        return None
    name = path[len(prefix) :]
    if not name or ".." in name.split("/"):
        return None
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (NotImplementedError, ValueError, OSError):
        pass
    return finders.find(name)


def url_fetcher(url, *args, **kwargs):
    """WeasyPrint's fetcher: static files from disk, data: URLs; nothing else."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    if url.startswith(BASE_URL) or url.startswith("/"):
        found = _static_file(url)
        if found:
            mime_type, _encoding = mimetypes.guess_type(found)
            with open(found, "rb") as f:
                return {"string": f.read(), "mime_type": mime_type, "redirected_url": url}
    logger.warning("PDF rendering refused to fetch %s", url)
    raise RefusedURL(url)


def render_pdf(template_name, context, request=None, **options):
    """Render the template to a PDF document and return its bytes. `options` go to
    WeasyPrint's write_pdf, e.g. `pdf_variant="pdf/ua-1"` for a tagged, accessible PDF."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher).write_pdf(**options)
