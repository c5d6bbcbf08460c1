# syntax=docker/dockerfile:1
# A small, non-root image: `docker compose up -d` (see docker-compose.yml and the README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN groupadd --gid 10001 bot && useradd --create-home --uid 10001 --gid 10001 --shell /usr/sbin/nologin bot

# Dependencies first, in their own layer: editing the bot's code does not reinstall them.
COPY requirements.lock ./
RUN pip install --no-deps --requirement requirements.lock

COPY pyproject.toml README.md ./
COPY bot ./bot
# The installed copy, byte-compiled by pip, is what runs: the source copy is removed with what
# setuptools leaves behind (build/, *.egg-info). Left in /app it would shadow the installed one and,
# not writable by the bot's user, be compiled again at every start and every health check.
RUN pip install --no-deps . && rm -rf build ./*.egg-info ./bot

# The catalogue is baked in outside the data volume, so a new image brings its new catalogue;
# mount a file over /app/catalogue/films.yaml to change it without a rebuild.
COPY data/films.yaml ./catalogue/films.yaml
ENV CATALOGUE_PATH=/app/catalogue/films.yaml \
    DATABASE_PATH=/app/data/bot.sqlite3 \
    HEARTBEAT_PATH=/app/data/heartbeat
RUN mkdir -p /app/data && chown -R 10001:10001 /app/data
USER 10001:10001
VOLUME ["/app/data"]

# Healthy while the event loop keeps touching data/heartbeat (a stuck bot stops touching it); checked
# every 2 s during the start period (Docker 25+), so it reports healthy soon after the first poll.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --start-interval=2s --retries=3 CMD ["python", "-m", "bot", "health"]
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
