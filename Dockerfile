# Bibliothèque d'IA territoriales: the web image (gunicorn + whitenoise). See docs/deploiement.md.
FROM python:3.13-slim

# requirements/s3.txt adds django-storages for DJANGO_STORAGE=s3.
ARG REQUIREMENTS=requirements/base.txt

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_MEDIA_ROOT=/srv/bibliotheque/media \
    DJANGO_LOG_FORMAT=json

# An unprivileged user runs the application; it may only write to the media folder.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app \
    && mkdir -p /srv/bibliotheque/media \
    && chown app:app /srv/bibliotheque/media

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements/ requirements/
RUN pip install -r "$REQUIREMENTS"

COPY . .

# Static files are collected at build time. Settings refuse to load without a secret key, so
# the build uses a throwaway one that never reaches the running container.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-collectstatic-0123456789abcdefghijklmnop \
    python manage.py collectstatic --noinput --verbosity 0 \
    && chmod +x bin/docker-entrypoint.sh

USER app

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "bin/healthcheck.py"]

ENTRYPOINT ["/app/bin/docker-entrypoint.sh"]
# gunicorn reads gunicorn.conf.py from the working directory.
CMD ["gunicorn", "bibliotheque.wsgi:application"]
