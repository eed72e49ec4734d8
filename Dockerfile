# The app image: gunicorn app servers and db_worker task workers run from it (compose.yaml).
# Checked without Docker by ungkultur/core/tests/test_deploy_files.py; see docs/deployment.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UNGKULTUR_ENV=production \
    UNGKULTUR_SURVEY_FILES_DIR=/data/surveys \
    UNGKULTUR_MEDIA_ROOT=/data/media \
    XDG_CACHE_HOME=/tmp/cache

# Pango for the PDF reports (WeasyPrint needs 1.44 or newer; bookworm has 1.50), and
# PostgreSQL 15's client for deploy/backup.sh (the same major version as the db service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 ungkultur \
    && useradd --system --uid 10001 --gid ungkultur --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin ungkultur

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code belongs to root and is read-only for the app; only /data/surveys and /data/media
# (uploaded pictures) are written.
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only UNGKULTUR_PERSON_REF_KEY=collectstatic-only \
        python manage.py collectstatic --noinput \
    && mkdir -p /data/surveys /data/media \
    && chown ungkultur:ungkultur /data/surveys /data/media

USER ungkultur
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "ungkultur.wsgi"]
