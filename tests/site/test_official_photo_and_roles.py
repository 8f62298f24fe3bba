import datetime
import http.server
import io
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from statements import photos
from statements.models import Photo
from tests.adminforms import change_form_data
from tests.factories import make_official, make_position, make_statement

pytestmark = pytest.mark.django_db

D = datetime.date


def image_bytes(size=(1200, 900), format="PNG", color=(30, 90, 140)):
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format)
    return output.getvalue()


@pytest.fixture
def commons():
    """A local stand-in for upload.wikimedia.org: serves one file at the path Commons would give its name."""
    served = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = served.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield served, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def photo_form_data(client, official, **fields):
    page = client.get(f"/admin/statements/official/{official.pk}/change/")
    data = change_form_data(page)
    data.update({f"photo-0-{name}": value for name, value in fields.items()})
    return data


def test_a_curator_uploads_a_photo_that_the_page_shows_with_its_credit(curator_client, client):
    official = make_official(name="Cho Tae-yul")
    make_statement(official=official)  # A public official: one who has spoken.
    data = photo_form_data(
        curator_client,
        official,
        credit="Photo: MOFA",
        license="KOGL Type 1",
        upload=SimpleUploadedFile("cho.png", image_bytes(), content_type="image/png"),
    )
    response = curator_client.post(f"/admin/statements/official/{official.pk}/change/", data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    photo = Photo.objects.get(official=official)
    assert (photo.width, photo.height, photo.content_type) == (600, 450, "image/jpeg")  # Made smaller, re-encoded.
    client.logout()
    page = client.get(official.get_absolute_url()).content.decode()
    assert f'<img src="{photo.url}" alt="Cho Tae-yul" width="600" height="450">' in page
    assert "Photo: MOFA · KOGL Type 1" in page
    served = client.get(photo.url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).size == (600, 450)
    assert "immutable" in served["Cache-Control"]
    assert client.get(photo.url, HTTP_IF_NONE_MATCH=served["ETag"]).status_code == 304


def test_a_commons_file_name_is_fetched_from_the_address_derived_from_it(curator_client, commons, settings):
    served, base = commons
    settings.COMMONS_UPLOAD_URL = base
    # MediaWiki's scheme: the MD5 of the name with underscores, its first hex digit, then its first two (Commons'
    # own example: upload.wikimedia.org/wikipedia/commons/a/a9/Example.jpg).
    assert photos.commons_url("File:example.jpg") == f"{base}a/a9/Example.jpg"
    served[photos.commons_url("Cho Tae-yul 2024.jpg").removeprefix(base[:-1])] = image_bytes((300, 400), "JPEG")
    official = make_official(name="Cho Tae-yul")
    data = photo_form_data(
        curator_client, official, commons_file="Cho Tae-yul 2024.jpg", credit="Jane Doe", license="CC BY-SA 4.0"
    )
    assert curator_client.post(f"/admin/statements/official/{official.pk}/change/", data).status_code == 302
    photo = Photo.objects.get(official=official)
    assert (photo.width, photo.height) == (300, 400)
    page = curator_client.get(official.get_absolute_url()).content.decode()
    assert 'href="https://commons.wikimedia.org/wiki/File:Cho_Tae-yul_2024.jpg"' in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"commons_file": "No such file.jpg"}, "Wikimedia Commons has no file named"),
        ({"upload": SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")}, "not an image"),
        ({"credit": "Someone", "license": "CC0"}, "Upload a photo, or give the name of its file"),
        ({"upload": SimpleUploadedFile("x.png", image_bytes(), content_type="image/png"), "credit": ""}, "required"),
    ],
)
def test_a_photo_that_cannot_be_used_is_a_form_error_and_nothing_is_saved(
    curator_client, commons, settings, fields, error
):
    settings.COMMONS_UPLOAD_URL = commons[1]
    official = make_official(name="Cho Tae-yul")
    data = photo_form_data(curator_client, official, **{"credit": "C", "license": "L", **fields})
    response = curator_client.post(f"/admin/statements/official/{official.pk}/change/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Photo.objects.exists()


def test_no_photo_no_figure_and_no_address(client):
    official = make_official(name="Kamikawa Yoko", country="JP")
    make_statement(official=official)
    assert "official-photo" not in client.get(official.get_absolute_url()).content.decode()
    assert client.get(f"/officials/{official.slug}/photo/").status_code == 404


def test_the_official_timeline_draws_the_roles_held_as_lanes(client):
    official = make_official(name="Cho Tae-yul")
    make_position(official=official, role="Ambassador to the UN", start_date=D(2020, 1, 1), end_date=D(2022, 6, 30))
    make_position(official=official, role="Minister of Foreign Affairs", start_date=D(2024, 1, 10))
    make_position(official=official, role="Long ago", start_date=D(1990, 1, 1), end_date=D(1995, 1, 1))
    make_statement(official=official, date=D(2021, 3, 1))
    make_statement(official=official, date=D(2024, 11, 12))
    content = client.get(f"/officials/{official.slug}/timeline/?interval=year").content.decode()
    lanes = dict(re.findall(r'<g class="lane"><title>(.*?)</title>(.*?)</g>', content, re.S))
    titles = {title.split(",")[0]: title for title in lanes}
    assert sorted(titles) == ["Ambassador to the UN", "Minister of Foreign Affairs"]
    assert titles["Ambassador to the UN"].endswith(": from 1 January 2020 to 30 June 2022")
    assert titles["Minister of Foreign Affairs"].endswith(": from 10 January 2024")

    def segments(role):
        found = re.findall(r'x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', lanes[titles[role]])
        return [(float(x), float(width)) for x, width in found]

    # Years 2021 to 2024 across 800 units: the UN post from the chart's start to mid-2022, the ministry from 2024.
    [(x, width)] = segments("Ambassador to the UN")
    assert x == 0 and 290 < width < 310  # 1.5 years of 4, in 800.
    [(x, width)] = segments("Minister of Foreign Affairs")
    assert 604 < x < 606 and 194 < width < 196  # From 10 January (day 9 of 366) to the end of 2024.
    assert "Long ago" not in content  # Outside the years drawn.
    assert re.search(r'<ul class="lanes-text"><li>Minister of Foreign Affairs, .*?</li><li>Ambassador', content)
