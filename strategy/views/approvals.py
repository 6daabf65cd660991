"""The approval pages, once for every document the mayor's office approves: submit (through the gate,
where the document has one), open the gate with a reason, approve, return with comments, sign.

A document says what its pages need in an `Approvable` (its model, its URL's keyword, its permission,
its services, its gate and where each step lands), and its module builds its views from it:
`version_submit = approvals.submit_view(AGREEMENT)`. The workflow itself is strategy/approvals.py; these
views only look the object up, check, call the service and say how it went.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kehila.gates import GateClosed
from kehila.permissions import can
from kehila.tenancy import get_for_municipality, municipality_view

from ..approvals import SIGN_ACTIONS, WorkflowError
from ..forms import GateOverrideForm, ReturnForm
from ..models import SignatureSide, VersionStatus
from .common import gate_refused, need, page_url, safe_next


@dataclass(frozen=True)
class Gate:
    """The method's gate a document's submission passes: its name, what it misses, the check."""

    name: str
    missing: Callable  # (obj) -> list of what is missing
    check: Callable  # (obj) -> None, raises GateClosed
    heading: Callable[[], str]  # the refusal page's heading, translated when shown


@dataclass(frozen=True)
class Approvable:
    """What the approval pages need of one document."""

    model: type
    pk: str  # the URL's keyword for the object: "version_id"
    subject: str  # the services' keyword for the object: "version" or "decision"
    permission: str  # the permission every page of the document asks first
    url_prefix: str  # its URL names: f"{url_prefix}_submit", f"{url_prefix}_open_gate"
    home: Callable  # (request, obj) -> where a step lands
    returned_to: Callable  # (request, obj) -> where returning lands
    return_template: str
    submit: Callable
    approve: Callable
    return_with_comments: Callable
    approved: Callable[[], str]  # the message once approved, translated when shown
    sign: Callable | None = None
    submit_opening_gate: Callable | None = None
    gate: Gate | None = None
    # The agreement's submit button sends no "next" and its submission always lands on its page.
    submit_follows_next: bool = True


def _view(document: Approvable, name: str):
    """The view `name` of `document`, under the document's permission and with its URL's keyword."""

    def decorator(body):
        @municipality_view(document.permission)
        @wraps(body)
        def view(request, **kwargs):
            obj = get_for_municipality(document.model, request.municipality, pk=kwargs[document.pk])
            return body(request, document, obj)

        view.__name__ = view.__qualname__ = name
        return view

    return decorator


def _step(request, document, obj, action, service, success, *, follow_next=True, **extra):
    """One POST through a service: refused with its message, or done with `success`."""
    refused = need(request, action, post=True)
    if refused:
        return refused
    try:
        service(**{document.subject: obj}, user=request.user, **extra)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    home = document.home(request, obj)
    return redirect(safe_next(request, home) if follow_next else home)


def _refused(request, document, obj, closed, form=None):
    return gate_refused(
        request,
        closed,
        heading=document.gate.heading(),
        override_url=page_url(request, f"{document.url_prefix}_open_gate", **{document.pk: obj.pk}),
        back_url=document.home(request, obj),
        form=form,
    )


def submit_view(document: Approvable, name: str):
    """POST submits. Where the document has a gate, a refused gate redirects to the GET of this address,
    which shows what is missing (so the page can be reloaded and linked to) and changes nothing."""

    @_view(document, name)
    def view(request, document, obj):
        submitted = _("Submitted to the mayor's office for approval.")
        if document.gate is None:
            return _step(request, document, obj, "submit_for_approval", document.submit, submitted)
        if request.method != "POST":
            refused = need(request, "submit_for_approval")
            if refused:
                return refused
            try:
                if obj.is_editable:
                    document.gate.check(obj)
            except GateClosed as closed:
                return _refused(request, document, obj, closed)
            return redirect(document.home(request, obj))
        try:
            return _step(
                request,
                document,
                obj,
                "submit_for_approval",
                document.submit,
                submitted,
                follow_next=document.submit_follows_next,
            )
        except GateClosed:
            return redirect(
                page_url(request, f"{document.url_prefix}_submit", **{document.pk: obj.pk})
            )

    return view


def open_gate_view(document: Approvable, name: str):
    """The manager or HQ sends the document on although something is missing, with a written reason."""

    @_view(document, name)
    def view(request, document, obj):
        refused = need(request, "override_gate", post=True)
        if refused:
            return refused
        form = GateOverrideForm(request.POST)
        if not form.is_valid():
            closed = GateClosed(document.gate.name, document.gate.missing(obj))
            return _refused(request, document, obj, closed, form=form)
        try:
            document.submit_opening_gate(
                **{document.subject: obj}, user=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Submitted to the mayor's office for approval."))
        return redirect(document.home(request, obj))

    return view


def approve_view(document: Approvable, name: str):
    @_view(document, name)
    def view(request, document, obj):
        return _step(request, document, obj, "approve", document.approve, document.approved())

    return view


def return_view(document: Approvable, name: str):
    """GET asks for the comments; POST returns the document with them."""

    @_view(document, name)
    def view(request, document, obj):
        refused = need(request, "approve")
        if refused:
            return refused
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                document.return_with_comments(
                    **{document.subject: obj},
                    user=request.user,
                    comment=form.cleaned_data["comment"],
                )
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Returned to the program team with your comments."))
            return redirect(safe_next(request, document.returned_to(request, obj)))
        return render(request, document.return_template, {"form": form, "version": obj})

    return view


def sign_view(document: Approvable, name: str):
    @_view(document, name)
    def view(request, document, obj):
        side = request.POST.get("side")
        if request.method == "POST" and side not in SignatureSide.values:
            return HttpResponseBadRequest(_("Choose the side you sign for."))
        return _step(
            request, document, obj, document.permission, document.sign, _("Signed."), side=side
        )

    return view


def sign_sides(request, version) -> list[dict]:
    """The sides this user may sign for on this version (none once it is not approved)."""
    if version.status != VersionStatus.APPROVED:
        return []
    signed = {s.side for s in version.signatures.all()}
    return [
        {"value": side.value, "label": side.label}
        for side in SignatureSide
        if side.value not in signed and can(request.user, SIGN_ACTIONS[side], request.municipality)
    ]
