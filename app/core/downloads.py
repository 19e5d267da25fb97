"""Files the service hands out as downloads (the bureau's Excel tables)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_attachment(content: bytes, filename: str, ascii_name: str) -> Response:
    """An Excel attachment with a Chinese name (RFC 6266 ``filename*``) and an ASCII fallback;
    never cached (the tables hold the day's figures or personal data)."""
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        content=content,
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )
