"""The public way in: the form at a short address (no login), the receipt with the reference
and the private link, and the status page that link opens. Nothing here says whether another
reference or link exists: an unknown link is the same 404 as a mistyped one."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.csrf import csrf_protect

from accounts.access import public
from core.client_ip import client_ip
from feedback.forms import PublicForm
from feedback.models import Feedback
from feedback.seed import plain_texts
from feedback.services.intake import status_url, submit, token_hash


@public
@csrf_protect
def public_form(request):
    return _form(request, plain=False)


@public
@csrf_protect
def plain_form(request):
    """The same form in plain Swedish (lättläst), whatever language the page is otherwise in."""
    with translation.override("sv"):
        return _form(request, plain=True)


def _form(request, *, plain):
    form = PublicForm(request.POST or None, request.FILES or None, plain=plain)
    if request.method == "POST" and form.is_valid():
        feedback, token = submit(
            fields=form.feedback_fields(),
            attachment=form.cleaned_data.get("attachment"),
            address=client_ip(request),
            trapped=bool(form.cleaned_data.get("website")),
            submission_key=form.cleaned_data.get("submission_key"),
        )
        return redirect("feedback_public:receipt", token=token)
    context = {"form": form, "plain": plain_texts() if plain else None}
    return render(request, "feedback/public_form.html", context)


def _by_token(token):
    feedback = (
        Feedback.objects.filter(public_token_hash=token_hash(token)).select_related("about").first()
    )
    if feedback is None:
        raise Http404
    return feedback


@public
def receipt(request, token):
    feedback = _by_token(token)
    link = status_url(token, request)
    return render(request, "feedback/receipt.html", {"feedback": feedback, "link": link})


@public
def status(request, token):
    return render(request, "feedback/status.html", {"feedback": _by_token(token)})


@public
def plain(request):
    """How to give feedback, in plain Swedish (lättläst)."""
    return render(request, "feedback/plain.html")
