"""The ComfyUI prompt a workflow PNG carries in its text chunks, read chunk by chunk without decoding the image:
bounded sizes, checked CRCs, zlib inflated with a cap (a compressed text chunk cannot become a memory bomb)."""

from __future__ import annotations

import struct
import zlib

from server.templates.errors import InvalidTemplateError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# ComfyUI's SaveImage writes the API-format workflow under this keyword (and the UI format under "workflow").
PROMPT_KEYWORD = "prompt"
MAX_TEXT_BYTES = 16 * 1024 * 1024
MAX_CHUNKS = 10_000


def is_png(data: bytes) -> bool:
    return data.startswith(SIGNATURE)


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(data, MAX_TEXT_BYTES + 1)
    except zlib.error as exc:
        raise InvalidTemplateError(f"The PNG has a compressed text chunk that does not inflate ({exc}).") from exc
    if len(text) > MAX_TEXT_BYTES:
        raise InvalidTemplateError(f"The PNG's workflow text is larger than {MAX_TEXT_BYTES // 2**20} MiB.")
    return text


def _text_of(kind: bytes, data: bytes) -> tuple[str, bytes] | None:
    """(keyword, text bytes) of a tEXt, zTXt or iTXt chunk; None for a chunk that carries no text."""
    keyword, _, rest = data.partition(b"\0")
    name = keyword.decode("latin-1")
    if kind == b"tEXt":
        return name, rest
    if kind == b"zTXt":
        return name, _inflate(rest[1:])  # rest[0] is the compression method (always zlib)
    if kind == b"iTXt" and len(rest) >= 2:
        compressed, body = rest[0], rest[2:]
        _language, _, body = body.partition(b"\0")
        _translated, _, body = body.partition(b"\0")
        return name, _inflate(body) if compressed else body
    return None


def prompt_text(data: bytes) -> str:
    """The text of the PNG's `prompt` chunk; a sentence saying what is wrong otherwise."""
    if not is_png(data):
        raise InvalidTemplateError("The file is not a PNG image.")
    offset = len(SIGNATURE)
    for _ in range(MAX_CHUNKS):
        header = data[offset : offset + 8]
        length, kind = struct.unpack(">I4s", header) if len(header) == 8 else (0, b"")
        body = data[offset + 8 : offset + 8 + length]
        crc = data[offset + 8 + length : offset + 12 + length]
        if len(header) != 8 or len(body) != length or len(crc) != 4:
            raise InvalidTemplateError("The PNG is cut short (it ends before its IEND chunk); use the whole file.")
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body):
            raise InvalidTemplateError(f"The PNG's {kind.decode('latin-1')} chunk is damaged (its CRC does not match).")
        if kind == b"IEND":
            break
        found = _text_of(kind, body)
        if found is not None and found[0] == PROMPT_KEYWORD:
            try:
                return found[1].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidTemplateError("The PNG's prompt text is not UTF-8.") from exc
        offset += 12 + length
    raise InvalidTemplateError(
        "The PNG carries no ComfyUI workflow (no 'prompt' text chunk): use an image saved by ComfyUI's Save Image "
        "node, or the workflow exported with Workflow > Export (API)."
    )
