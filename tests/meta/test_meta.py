"""`GET /api/v1/meta`: labels for every code, cacheable with an ETag."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI

from app.meta.labels import LABELS

URL = "/api/v1/meta"


async def test_meta_is_public_and_labels_the_vocabularies(client: httpx.AsyncClient) -> None:
    response = await client.get(URL)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"code": "jiaotong", "name": "交通街道", "short_name": "交通", "kind": "street"} in body[
        "areas"
    ]
    courier = next(o for o in body["occupations"] if o["code"] == "courier")
    assert courier["category"] in {c["code"] for c in body["occupation_categories"]}
    assert {"code": "social_insurance_fund", "name": "五险一金"} in body["benefits"]
    assert [e["name"] for e in body["education_levels"]][:2] == ["不限", "初中"]
    assert body["labels"]["application_status"]["hired"] == "已入职"
    assert body["labels"]["job_status"]["published"] == "招聘中"
    assert body["labels"]["subsidy_status"]["returned"] == "退回补正"
    assert body["uploads"]["accepted_content_types"] == [
        "image/jpeg",
        "image/png",
        "application/pdf",
    ]
    assert "avatar" in body["uploads"]["purposes"]
    # Demo mode: demo templates for every kind (NOTIFICATIONS_SUBSCRIBE_TEMPLATES unset).
    assert body["subscribe_templates"]["application_status"].startswith("DEMO-")
    assert {k["kind"]: k["label"] for k in body["notification_kinds"]}["job_closed"] == "岗位关闭"
    assert body["contact"]["hotline"] == "0477-12333"


async def test_etag_answers_304_without_a_body(client: httpx.AsyncClient) -> None:
    first = await client.get(URL)
    etag = first.headers["ETag"]
    assert etag == f'"{first.json()["version"]}"'
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = await client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    stale = await client.get(URL, headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200 and stale.json()["version"] == first.json()["version"]


def _response_enums(doc: dict[str, Any]) -> dict[tuple[str, ...], set[str]]:
    """Every string enum reachable from a response of the document, with where it is used."""
    schemas = doc["components"]["schemas"]
    seen: set[str] = set()
    found: dict[tuple[str, ...], set[str]] = {}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, where)
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(schemas[name], name)
            return
        values = node.get("enum")
        if values and all(isinstance(v, str) for v in values):
            found.setdefault(tuple(values), set()).add(where)
        for key, value in node.items():
            if key == "properties":
                for field, sub in value.items():
                    walk(sub, f"{where}.{field}")
            else:
                walk(value, where)

    for path, item in doc["paths"].items():
        for method, operation in item.items():
            walk(operation.get("responses", {}), f"{method.upper()} {path}")
    return found


def test_every_enum_of_a_response_has_chinese_labels(app: FastAPI) -> None:
    enums = _response_enums(app.openapi())
    assert len(enums) > 30  # the walk does reach the schemas
    unlabelled = {
        values: sorted(where)[:3]
        for values, where in enums.items()
        if not any(set(values) <= set(labels) for labels in LABELS.values())
    }
    assert unlabelled == {}


def test_labels_are_chinese() -> None:
    for name, labels in LABELS.items():
        for code, label in labels.items():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label), (name, code, label)
