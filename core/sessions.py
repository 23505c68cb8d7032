"""The session engine (SESSION_ENGINE = "core.sessions"): Django's database sessions, remembering the
expiry the row had when it was read, so that core.middleware.SessionRefreshMiddleware can save a
session only when it is near its end instead of on every request."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    # The row's expire_date as read on this request; None for a new or unknown session.
    stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.stored_expiry = row.expire_date if row is not None else None
        return row

    async def _aget_session_from_db(self):
        row = await super()._aget_session_from_db()
        self.stored_expiry = row.expire_date if row is not None else None
        return row
