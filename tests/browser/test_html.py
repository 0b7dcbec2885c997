"""The Nu HTML Checker finds no error in the HTML the server sends (before any script runs); errors read "path:line: message"."""

from http import HTTPStatus

from django.urls import reverse

from tests.browser.pages import admin_pages, finding_pages, public_pages


def fetch(client, paths):
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == HTTPStatus.OK, path
        pages[path] = response.content
    return pages


def test_public_pages(client, content, html_errors):
    assert html_errors(fetch(client, [*public_pages(), reverse("admin:login")])) == []


def test_admin_pages(client, admin_user, content, html_errors):
    client.force_login(admin_user)
    assert html_errors(fetch(client, admin_pages())) == []


def test_pages_that_search_filter_and_sort(client, content, html_errors):
    assert html_errors(fetch(client, finding_pages())) == []


def test_the_checker_reports_errors(html_errors):
    errors = html_errors({"/broken/": b"<!DOCTYPE html><html lang=en><title>x</title><p><div></span>"})
    assert errors and all(error.startswith("/broken/:") for error in errors)


def test_the_preview_and_the_refusal_pages(client, admin_user, content, html_errors, django_user_model):
    from critiques.models import Critique

    client.force_login(admin_user)
    critique = Critique.objects.first()
    preview = client.post(reverse("admin:preview", args=["critiques", "critique"]), {"argument": "Some **bold** [^jeong-2007]"})
    writer = django_user_model.objects.create_user("writer", "writer@example.org", "pw", is_staff=True)
    client.force_login(writer)
    refusal = client.get(reverse("admin:critiques_critique_delete", args=[critique.pk]))
    assert (preview.status_code, refusal.status_code) == (HTTPStatus.OK, HTTPStatus.FORBIDDEN)
    assert html_errors({"/admin/preview/": preview.content, "/admin/refused/": refusal.content}) == []
