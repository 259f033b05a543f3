"""What an uploaded source file may be (its kind by extension) and the safe name it is stored under."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from schemas import media_types
from schemas.models.socket_type import SocketType
from server.errors import InvalidFilenameError, UnsupportedMediaTypeError
from server.media.types import MediaKind, extensions_of, media_type, socket_type_of

SOURCE_MEDIA_DIR = "01_Assets/Source_Media"
MAX_FILENAME_BYTES = 255  # NAME_MAX of common filesystems: no real file's name is longer
MAX_STEM_LENGTH = 80
FALLBACK_STEM = "upload"
EXAMPLE = "?filename=voice.wav"


def allowed_extensions() -> str:
    def of(kind: MediaKind) -> str:
        return ", ".join(extensions_of(kind))

    return f"an image ({of(MediaKind.image)}), a video ({of(MediaKind.video)}) or an audio file ({of(MediaKind.audio)})"


@dataclass(frozen=True)
class UploadName:
    """The parts of a client's file name that are kept: a stem safe in any filesystem and URL, and the
    lower-cased extension."""

    stem: str
    extension: str
    original: str  # the last component of the name as sent, for messages

    @property
    def kind(self) -> MediaKind:
        found = media_type(self.extension)
        assert found is not None, "parse_upload_name admits media extensions only"
        return found.kind

    @property
    def socket_type(self) -> SocketType:
        return socket_type_of(self.kind)

    def path_for(self, sha256: str) -> str:
        """Repository-relative; the content hash in the name makes the same bytes land on the same path."""
        return f"{SOURCE_MEDIA_DIR}/{self.file_name_for(sha256)}"

    def file_name_for(self, sha256: str) -> str:
        return f"{self.stem}-{sha256[:8]}.{self.extension}"


def parse_upload_name(filename: str) -> UploadName:
    """The stored name for the client's `filename`; refuses names that hide something (NUL, control
    characters), name nothing, are longer than any real file name, or are not an allowed media type.
    Folders, drive letters and '..' are dropped: only the last component of the name is kept."""
    if any(unicodedata.category(c) == "Cc" for c in filename):
        raise InvalidFilenameError(
            f"The filename contains a NUL byte or another control character; send the file's own name, e.g. {EXAMPLE}.",
            field="filename",
        )
    base = re.split(r"[\\/]", filename)[-1].strip()
    if base.strip(".") == "":
        raise InvalidFilenameError(
            f"'{filename[:100]}' does not name a file; send the file's own name, e.g. {EXAMPLE}.", field="filename"
        )
    if len(base.encode()) > MAX_FILENAME_BYTES:
        raise InvalidFilenameError(
            f"The filename is {len(base.encode())} bytes long; file names have at most {MAX_FILENAME_BYTES}. "
            "Rename the file and upload it again.",
            field="filename",
        )
    stem, dot, extension = base.rpartition(".")
    if not dot or media_type(extension) is None:
        what = f"a .{extension} file" if dot else "a file without an extension"
        raise UnsupportedMediaTypeError(
            f"'{base}' is {what}; upload {allowed_extensions()}.",
            field="filename",
            allowed=list(media_types().extensions),
        )
    return UploadName(_safe_stem(stem), extension.lower(), base)


def _safe_stem(stem: str) -> str:
    # Accents folded to ASCII, everything else but letters, digits, '_' and '-' becomes '_': the path is
    # then safe on any filesystem, in git, and in a URL without escaping.
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_stem).strip("_-")
    return safe[:MAX_STEM_LENGTH].strip("_-") or FALLBACK_STEM
