"""Build the bootstrap document once per process: it depends on shipped data and settings only."""

from __future__ import annotations

import hashlib
import json
from typing import Any, get_args

from app.core.config import Settings
from app.files.router import Purpose
from app.files.service import ACCEPTED_CONTENT_TYPES
from app.meta.labels import LABELS
from app.meta.schemas import MetaRead
from app.notifications.kinds import KINDS
from app.notifications.templates import templates
from app.taxonomy import (
    areas,
    benefits,
    certificates,
    education_levels,
    industries,
    industry_groups,
    occupation_categories,
    occupations,
    skill_groups,
    skill_levels,
    skills,
)


def _content(settings: Settings) -> dict[str, Any]:
    return {
        "occupation_categories": [c.model_dump() for c in occupation_categories()],
        "occupations": [
            {"code": o.code, "name": o.name, "category": o.category} for o in occupations()
        ],
        "industry_groups": [{"code": g.code.value, "name": g.name} for g in industry_groups()],
        "industries": [
            {"code": i.code, "name": i.name, "group": i.group.value} for i in industries()
        ],
        "areas": [
            {"code": a.code, "name": a.name, "short_name": a.short_name, "kind": a.kind.value}
            for a in areas()
        ],
        "benefits": [b.model_dump() for b in benefits()],
        "skill_groups": [g.model_dump() for g in skill_groups()],
        "skill_levels": [
            {"code": s.code.value, "name": s.name, "rank": s.rank} for s in skill_levels()
        ],
        "skills": [
            {"code": s.code, "name": s.name, "group": s.group, "licensed": s.licensed}
            for s in skills()
        ],
        "certificates": [{"code": c.code, "name": c.name} for c in certificates()],
        "education_levels": [
            {"code": e.code.value, "name": e.name, "rank": e.rank} for e in education_levels()
        ],
        "labels": {name: dict(values) for name, values in LABELS.items()},
        "uploads": {
            "max_bytes": settings.storage.max_upload_bytes,
            "accepted_content_types": list(ACCEPTED_CONTENT_TYPES),
            "purposes": list(get_args(Purpose)),
        },
        "subscribe_templates": {
            kind.value: template.template_id
            for kind, template in sorted(templates(settings).items())
        },
        "notification_kinds": [
            {"kind": kind.value, "label": info.label, "time_critical": info.time_critical}
            for kind, info in KINDS.items()
        ],
        "contact": settings.contact.model_dump(),
    }


def build_meta(settings: Settings) -> tuple[MetaRead, bytes]:
    """The document and its JSON body; ``version`` is a hash of everything else."""
    content = _content(settings)
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    version = hashlib.sha256(canonical).hexdigest()[:16]
    meta = MetaRead.model_validate({"version": version, **content})
    return meta, meta.model_dump_json().encode()
