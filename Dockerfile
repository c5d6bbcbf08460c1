FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

RUN useradd --create-home --uid 10001 bot

COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir .

COPY data/films.yaml ./data/films.yaml
RUN mkdir -p /app/data && chown -R bot:bot /app/data

USER bot
VOLUME ["/app/data"]
CMD ["python", "-m", "bot"]
