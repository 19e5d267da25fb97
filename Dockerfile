# syntax=docker/dockerfile:1
# Build stage: install the pinned, hash-checked requirements into a virtual environment.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY requirements/base.txt requirements/base.txt
RUN /opt/venv/bin/pip install --require-hashes -r requirements/base.txt
COPY pyproject.toml README.md alembic.ini ./
COPY app app
COPY migrations migrations
RUN /opt/venv/bin/pip install --no-deps .

# Runtime stage: slim image, non-root user, migrations then uvicorn.
FROM python:3.11-slim-bookworm
# The image is production by default: it refuses to start without real secrets and WeChat
# credentials, and never serves demo routes or loads demo data.
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    ENVIRONMENT=production WEB_CONCURRENCY=2 HOST=0.0.0.0 PORT=8000 \
    VAR_DIR=/srv/var STORAGE_ROOT=/srv/var/files
RUN useradd --system --create-home --uid 10001 app
WORKDIR /srv
COPY --from=build /opt/venv /opt/venv
COPY --chown=app:app alembic.ini ./
COPY --chown=app:app migrations migrations
COPY --chown=app:app app app
# The upload directory exists and belongs to the app user, so a named volume mounted on it
# starts with that ownership (Docker copies it into an empty volume) and uploads can be written.
RUN mkdir -p /srv/var/files && chown -R app:app /srv/var
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os,urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"]
CMD ["python", "-m", "app", "serve"]
