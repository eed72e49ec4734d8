"""A success story's picture: checked by its content, not its name, and saved again without
its metadata.

A phone's photo carries EXIF: where it was taken (GPS), when, the camera, sometimes the owner's
name. A story is public, and the people in it are often youth, so the picture is decoded and
encoded anew from its pixels alone (turned upright first by its orientation tag); nothing of the
uploaded file but the pixels reaches the disk, under a random name.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Format found in the file → (format to save, file ending, content type).
FORMATS = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
}
CONTENT_TYPES = {ending: content_type for _f, ending, content_type in FORMATS.values()}
# Larger pictures are scaled down: a story page needs no more, and it keeps files small.
LONGEST_SIDE = 2000
# A picture with more pixels than this is refused before it is decoded (a "decompression bomb").
MAX_PIXELS = 50_000_000


def max_bytes() -> int:
    return settings.UNGKULTUR_STORY_PICTURE_MAX_BYTES


def clean_picture(upload) -> ContentFile:
    """The upload as a new JPEG, PNG or WebP file without metadata, or a ValidationError."""
    if upload.size > max_bytes():
        raise ValidationError(
            {
                "picture": _("Bildet er for stort. Det kan være høyst %(mb)s MB.")
                % {"mb": max_bytes() // (1024 * 1024)}
            }
        )
    not_a_picture = ValidationError(
        {"picture": _("Filen er ikke et bilde vi kan bruke. Last opp JPEG, PNG eller WebP.")}
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise not_a_picture
            if width * height > MAX_PIXELS:
                raise ValidationError({"picture": _("Bildet har for mange piksler.")})
            probe.verify()  # a truncated or corrupt file fails here
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_picture from None
    save_as, ending, _content_type = FORMATS[kind]
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    # Only the pixels go on: a fresh image has no EXIF, XMP, ICC, text chunks or comments.
    mode = "RGB" if save_as == "JPEG" else ("RGBA" if "A" in upright.getbands() else "RGB")
    clean = Image.new(mode, upright.size)
    clean.paste(upright.convert(mode))
    out = io.BytesIO()
    options = {"quality": 85} if save_as in ("JPEG", "WEBP") else {"optimize": True}
    clean.save(out, format=save_as, **options)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ending}")
