"""Subsidy offer errors: stable codes, Chinese messages the mini-program shows as is."""

from __future__ import annotations

from app.core import errors


class OfferNotFound(errors.NotFound):
    code = "subsidy_offer.not_found"
    message = "补贴提醒不存在"


class OfferClosed(errors.Conflict):
    code = "subsidy_offer.closed"
    message = "该补贴提醒已申请或已忽略"
