"""PDF rendering with WeasyPrint, for every module that offers a printable document.

`render_pdf(template_name, context, request)` renders a Django template to PDF bytes. The
template is a complete HTML document of its own, with its CSS in a `<style>` element (the
content security policy does not apply: the HTML never reaches a browser). WeasyPrint reads its
`@page` rules (size, margins, page numbers in a margin box); only the DejaVu fonts are installed,
so set `font-family: "DejaVu Sans"` explicitly, also in the margin boxes. Example:
organisation/templates/organisation/responsibility_pdf.html.

WeasyPrint never fetches anything over the network: static files (`{% static %}` URLs) are read
from disk, data: URLs and the images made for the document (`resources`, e.g. the yearly
report's charts) from memory, any other URL is refused. Content written by users therefore
cannot make the server request addresses on its behalf.
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
        from urllib.request import DataHandler, Request

        # Decoded in place: the data: handler alone, never a network request.
        response = DataHandler().data_open(Request(url))
        mime_type = response.headers.get_content_type()
        return {"string": response.read(), "mime_type": mime_type, "redirected_url": url}
    if url.startswith(BASE_URL) or url.startswith("/"):
        found = _static_file(url)
        if found:
            mime_type, _encoding = mimetypes.guess_type(found)
            with open(found, "rb") as f:
                return {"string": f.read(), "mime_type": mime_type, "redirected_url": url}
    logger.warning("PDF rendering refused to fetch %s", url)
    raise RefusedURL(url)


def _weasyprint_fetcher(resources):
    """`url_fetcher` as WeasyPrint takes it, and first the `resources` made for this document:
    from version 70 an URLFetcher (a plain function that returns a dict is no longer accepted);
    a refused URL is then a warning, not a crash."""

    def find(url):
        if url in resources:
            data, mime_type = resources[url]
            return {"string": data, "mime_type": mime_type, "redirected_url": url}
        return url_fetcher(url)

    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint before 70
        return lambda url, *args, **kwargs: find(url)

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            found = find(url)
            return URLFetcherResponse(url, found["string"], {"Content-Type": found["mime_type"]})

    return Fetcher()


def resource_url(name):
    """The address of a resource made for one document (`render_pdf`'s `resources`)."""
    return f"{BASE_URL}resources/{name}"


def render_pdf(template_name, context, request=None, resources=None, **options):
    """Render the template to a PDF document and return its bytes. `options` go to
    WeasyPrint's write_pdf, e.g. `pdf_variant="pdf/ua-1"` for a tagged, accessible PDF.

    `resources` maps addresses (`resource_url(name)`) to (bytes, content type): images made for
    this document, such as charts, that the HTML names by address rather than carrying them
    as data: URLs, which the HTML parser would read through character by character."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    fetcher = _weasyprint_fetcher(resources or {})
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(**options)
