"""A success story's picture: an image by its content, at most 5 MB, with an alt text, with the
confirmed consent of anyone on it, and saved again without its EXIF (GPS) data."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ungkultur.core.models import AuditEntry
from ungkultur.evaluations.models import Story

from .test_stories import STORY, create_url

pytestmark = pytest.mark.django_db
GPS = 0x8825


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def photo(name="bilde.jpg", fmt="JPEG", size=(64, 48)) -> SimpleUploadedFile:
    """A picture with EXIF like a phone's: GPS position, camera owner, orientation."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x013B] = "Ola Nordmann"  # Artist
    exif[0x0112] = 6  # Orientation: turned 90° (the saved picture is turned upright)
    exif[GPS] = {1: "N", 2: (58.0, 27.0, 41.0), 3: "E", 4: (8.0, 46.0, 20.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def post(client, **extra):
    return client.post(create_url(), {**STORY, **extra})


def test_a_picture_is_saved_without_exif_and_shown_on_the_public_page(client, personas, media):
    client.force_login(personas.teacher_a)
    response = post(client, picture=photo(), picture_alt="Scenen under festivalen")
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.picture.name.startswith("stories/") and story.picture.name.endswith(".jpg")
    assert "bilde" not in story.picture.name  # a random name, not the uploaded one
    with Image.open(story.picture.path) as saved:
        assert saved.format == "JPEG"
        assert dict(saved.getexif()) == {}
        assert "exif" not in saved.info
        assert saved.size == (48, 64)  # turned upright by the orientation it had
    raw = open(story.picture.path, "rb").read()
    assert b"Ola Nordmann" not in raw
    client.logout()
    page = client.get(reverse("evaluations:story_detail", args=[story.pk]))
    src = reverse("evaluations:story_picture", args=[story.pk])
    assert f'<img src="{src}" alt="Scenen under festivalen">' in page.text
    served = client.get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == raw
    entry = AuditEntry.objects.get(action="evaluations.story_publish")
    assert entry.changes["picture"] is True


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_taken_by_content_and_stripped(client, personas, fmt):
    client.force_login(personas.teacher_a)
    # The name says .jpg; the content decides.
    post(client, picture=photo("x.jpg", fmt=fmt), picture_alt="Plakaten")
    story = Story.objects.get()
    assert story.picture.name.endswith({"PNG": ".png", "WEBP": ".webp"}[fmt])
    with Image.open(story.picture.path) as saved:
        assert saved.format == fmt and dict(saved.getexif()) == {}
    assert b"Ola Nordmann" not in open(story.picture.path, "rb").read()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bilde.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg"),
         "Filen er ikke et bilde vi kan bruke. Last opp JPEG, PNG eller WebP."),
        (SimpleUploadedFile("bilde.jpg", b"\xff\xd8\xff\xe0" + b"0" * 200,
                            content_type="image/jpeg"),
         "Filen er ikke et bilde vi kan bruke. Last opp JPEG, PNG eller WebP."),
        (SimpleUploadedFile("bilde.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
                            content_type="image/gif"),
         "Filen er ikke et bilde vi kan bruke. Last opp JPEG, PNG eller WebP."),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_usable_picture_is_refused_and_nothing_saved(
    client, personas, media, upload, message
):
    client.force_login(personas.teacher_a)
    response = post(client, picture=upload, picture_alt="Noe")
    assert response.status_code == 400
    assert message in response.text
    assert not Story.objects.exists()
    assert not list(media.rglob("*.*"))
    assert not AuditEntry.objects.filter(action="evaluations.story_publish").exists()


def test_a_picture_above_the_limit_is_refused(client, personas, media, settings):
    settings.UNGKULTUR_STORY_PICTURE_MAX_BYTES = 1024 * 1024
    client.force_login(personas.teacher_a)
    big = SimpleUploadedFile("stor.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 1))
    response = post(client, picture=big, picture_alt="Stor")
    assert response.status_code == 400
    assert "Bildet er for stort. Det kan være høyst 1 MB." in response.text
    assert not Story.objects.exists() and not list(media.rglob("*.*"))


def test_a_picture_without_alt_text_is_refused(client, personas, media):
    client.force_login(personas.teacher_a)
    response = post(client, picture=photo(), picture_alt=" ")
    assert response.status_code == 400
    assert "Skriv hva bildet viser, for dem som ikke kan se det." in response.text
    assert not Story.objects.exists() and not list(media.rglob("*.*"))


def test_a_picture_of_people_needs_the_confirmed_and_written_consent(client, personas, media):
    client.force_login(personas.teacher_a)
    response = post(client, picture=photo(), picture_alt="Ungdom på scenen",
                    picture_shows_people="on")  # fmt: skip
    assert response.status_code == 400
    assert "Bildet viser personer. Bekreft at alle på bildet har samtykket" in response.text
    response = post(client, picture=photo(), picture_alt="Ungdom på scenen",
                    picture_shows_people="on", picture_consent="on")  # fmt: skip
    assert response.status_code == 400
    assert "Skriv hvem som har samtykket og hvordan" in response.text
    assert not Story.objects.exists() and not list(media.rglob("*.*"))
    response = post(client, picture=photo(), picture_alt="Ungdom på scenen",
                    picture_shows_people="on", picture_consent="on",
                    consent="Skriftlig fra de tre og foresatte, mars 2021.")  # fmt: skip
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.shows_people and story.picture_shows_people and story.consent


def test_the_picture_goes_with_a_withdrawn_story(
    client, personas, media, django_capture_on_commit_callbacks
):
    client.force_login(personas.teacher_a)
    post(client, picture=photo(), picture_alt="Scenen")
    story = Story.objects.get()
    path = story.picture.path
    # No cache between may keep it once the story is withdrawn (consent can be withdrawn).
    shown = client.get(reverse("evaluations:story_picture", args=[story.pk]))
    assert shown["Cache-Control"] == "no-cache"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluations:story_withdraw", args=[story.pk]))
    assert not Story.objects.exists()
    assert not list(media.rglob("*.*"))
    assert client.get(reverse("evaluations:story_picture", args=[story.pk])).status_code == 404
    assert path


def test_a_story_without_picture_has_no_picture_url(client, personas):
    client.force_login(personas.teacher_a)
    post(client)
    story = Story.objects.get()
    assert client.get(reverse("evaluations:story_picture", args=[story.pk])).status_code == 404
    page = client.get(reverse("evaluations:story_detail", args=[story.pk]))
    assert "<img" not in page.text.split("<main", 1)[-1]
