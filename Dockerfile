# The portal image: one image for the web process and the task worker.
#
#   docker build -t portal .
#   docker run --env-file .env -p 8000:8000 portal                          # web (gunicorn)
#   docker run --env-file .env portal python manage.py qcluster             # task worker
#   docker run --env-file .env --rm portal python manage.py migrate --noinput  # each deploy
#   docker run --env-file .env --rm portal python manage.py createcachetable   # each deploy
#   docker run --env-file .env --rm portal python manage.py bootstrap_site     # each deploy
#   docker run --env-file .env --rm portal python manage.py setup_schedules    # each deploy
#   docker run --env-file .env --rm -it portal python manage.py createsuperuser
#   (or without a prompt: -e DJANGO_SUPERUSER_EMAIL=... -e DJANGO_SUPERUSER_PASSWORD=...
#    and `createsuperuser --noinput`)
#
# compose.yaml runs all of it (proxy, web, worker, PostgreSQL, Redis) with one command.
# Run migrate, createcachetable (the shared cache's table when REDIS_URL is unset),
# bootstrap_site, then setup_schedules (all idempotent; bootstrap_site builds the pages and
# settings on a new database, and later only adds the standard pages a release brings),
# once per release, before starting the new web and worker containers; the web command
# never migrates by itself, so several web containers can start together. Web and worker
# share DATABASE_URL (tasks wait in the database: django-q2's ORM broker) and, for uploads,
# the media volume (MEDIA_ROOT, default /app/media). SQLite only suits a single host: put
# the file on a volume, e.g.
#   -v portal-data:/data -e DATABASE_URL=sqlite:////data/db.sqlite3

# Debian 13 (trixie): its postgresql-client is 17, the version compose.yaml's server runs.
ARG PYTHON_IMAGE=python:3.11-slim-trixie

# --- builder: a virtualenv with the pinned runtime requirements, and nothing else -----
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
# Every runtime dependency ships a manylinux wheel (psycopg[binary], pillow, scipy...), so
# no compiler or libpq is needed here, and no pip cache is kept.
RUN /opt/venv/bin/pip install --no-compile -r /tmp/requirements.txt
# What the running portal never reads goes: the packages' own test suites, translation
# sources (.po; the compiled .mo stay), type stubs, C and Cython sources and headers, pip
# and setuptools. scipy stays whole: the matching solver (linear_sum_assignment) imports
# scipy.optimize, which loads linalg, sparse and special. Then every module is compiled
# once, here: the image is read-only to the running process, which could not write the
# bytecode itself ("unchecked-hash": never compared with the sources' dates).
RUN set -eu; \
    site=$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))'); \
    find "$site" -depth -type d -name tests -exec rm -rf {} +; \
    find "$site" -type f \( -name '*.po' -o -name '*.pyi' -o -name '*.pyx' -o -name '*.pxd' \
        -o -name '*.c' -o -name '*.cpp' -o -name '*.h' -o -name '*.hpp' \) -delete; \
    /opt/venv/bin/python -m pip uninstall --yes --quiet pip setuptools; \
    find /opt/venv -depth -type d -name __pycache__ -exec rm -rf {} +; \
    /opt/venv/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv/lib

# --- pgclient: pg_dump and pg_restore for `manage.py backup` and `restore` -------------
# The two programs alone, without the client package's Perl wrappers (about 60 MB with
# Perl); they must be the server's major version or newer.
FROM ${PYTHON_IMAGE} AS pgclient
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && mkdir /pgclient \
    && cp /usr/lib/postgresql/*/bin/pg_dump /usr/lib/postgresql/*/bin/pg_restore /pgclient/

# --- final: the venv, the code and collected static files, run as a non-root user ----
FROM ${PYTHON_IMAGE}

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORT=8000

# libpq for pg_dump and pg_restore; the build fails here if either misses a library.
COPY --from=pgclient /pgclient/ /usr/local/bin/
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
    && ! ldd /usr/local/bin/pg_dump /usr/local/bin/pg_restore | grep 'not found' \
    && pg_dump --version && pg_restore --version

RUN groupadd --system --gid 1000 portal \
    && useradd --system --uid 1000 --gid portal --home-dir /app --no-create-home portal

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# Code stays owned by root, so the running process cannot change it (.dockerignore keeps
# the venv, databases, media, collected static, tests, benchmarks and documents out of the
# build context).
COPY . /app

# Hashed, compressed static files are built into the image; whitenoise serves them.
# production.py insists on SECRET_KEY, ALLOWED_HOSTS, NOTES_ENCRYPTION_KEYS and EMAIL_HOST,
# so this one step gets throwaway
# values that exist only for this command and are not part of the image's environment.
# Afterwards only uploaded media, backups (BACKUP_DIR, /app/backups) and an optional SQLite
# file on /data are writable.
RUN SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=localhost \
    NOTES_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLW5vdGVzLWs= \
    EMAIL_HOST=collectstatic-only.invalid \
    python manage.py collectstatic --noinput \
    && python -m compileall -q --invalidation-mode unchecked-hash /app \
    && mkdir -p /app/media /app/backups /data \
    && chown portal:portal /app/media /app/backups /data

USER portal
EXPOSE 8000

# Bind, workers, threads, timeouts and logging: gunicorn.conf.py (PORT, WEB_CONCURRENCY...).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"]
