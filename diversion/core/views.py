from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diversion.core.access import public, signed_in
from diversion.core.home import home_sections, home_tasks


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    context = {"tasks": home_tasks(user=request.user), "sections": home_sections(request)}
    return render(request, "core/home.html", context)


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
