"""Schemas shared by every domain: the error envelope and the base model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    """Base of request/response schemas: unknown fields are refused, so nothing is mass-assigned."""

    model_config = ConfigDict(extra="forbid", from_attributes=True, populate_by_name=True)


class ReadSchema(BaseModel):
    """Base of response schemas (read from ORM objects)."""

    model_config = ConfigDict(from_attributes=True)


class ErrorEnvelope(BaseModel):
    """Every error answer of the API has this shape."""

    code: str = Field(description="stable machine code, e.g. `job.closed`", examples=["not_found"])
    message: str = Field(description="Chinese message the mini-program can show as is")
    details: Any = Field(default=None, description="structured details (field errors, limits…)")
    request_id: str | None = Field(default=None, description="echo of the X-Request-ID header")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorEnvelope, "description": "请求错误（统一错误格式）"},
    "5XX": {"model": ErrorEnvelope, "description": "服务端错误（统一错误格式）"},
}
