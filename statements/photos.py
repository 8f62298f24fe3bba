"""Officials' photos: an upload or a Wikimedia Commons file, checked as an image and made small enough to serve.

    image = prepared(data)               # Prepared: JPEG or PNG bytes, at most Photo.MAX_SIDE wide and high
    data = from_commons("Cho Tae-yul.jpg")   # the file's bytes, from the address Commons gives every file

Each raises PhotoError with a message for the curator's form.
"""

import dataclasses
import hashlib
import io
from urllib.parse import quote

import httpx
from django.conf import settings
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 15 * 1024 * 1024  # Larger than any photo a page needs; Commons' originals can be large.
MAX_PIXELS = 60_000_000  # Pillow's guard against decompression bombs, made an error rather than a warning.


class PhotoError(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Prepared:
    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def digest(self):
        return hashlib.sha256(self.data).hexdigest()[:16]


def prepared(data, max_side=600):
    """The image re-encoded at most max_side on each side: JPEG, or PNG where it has transparency. Re-encoding
    also drops whatever else the file carried (metadata, scripts in an SVG's clothing)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(f"The image is {image.width} × {image.height} pixels: too large to read.")
            image.load()
            image.thumbnail((max_side, max_side))
            transparent = image.mode in ("RGBA", "LA") or "transparency" in image.info
            output = io.BytesIO()
            if transparent:
                image.convert("RGBA").save(output, "PNG", optimize=True)
                content_type = "image/png"
            else:
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
                content_type = "image/jpeg"
            return Prepared(output.getvalue(), content_type, image.width, image.height)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise PhotoError(f"This is not an image that can be read ({error}).") from error


def commons_url(name):
    """The address of a Commons file's original: upload.wikimedia.org/…/a/ab/Name.jpg, from the MD5 of its name."""
    name = name.strip().removeprefix("File:").removeprefix("file:").strip().replace(" ", "_")
    name = name[:1].upper() + name[1:]  # MediaWiki titles start with a capital.
    digest = hashlib.md5(name.encode()).hexdigest()  # MediaWiki's own scheme, not a security use.
    return f"{settings.COMMONS_UPLOAD_URL}{digest[0]}/{digest[:2]}/{quote(name)}"


def from_commons(name):
    """The bytes of a Commons file, fetched once with a timeout and a size cap."""
    url = commons_url(name)
    headers = {"User-Agent": settings.HTTP_USER_AGENT}
    try:
        with httpx.stream("GET", url, headers=headers, timeout=20, follow_redirects=True) as response:
            if response.status_code == 404:
                raise PhotoError(f"Wikimedia Commons has no file named “{name}” ({url}).")
            if response.status_code != 200:
                raise PhotoError(f"Wikimedia Commons answered {response.status_code} for {url}.")
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_BYTES:
                    raise PhotoError(f"The file at {url} is over {MAX_BYTES // 1024 // 1024} MB.")
            return bytes(data)
    except httpx.HTTPError as error:
        raise PhotoError(f"Could not fetch {url}: {error or type(error).__name__}.") from error
