# Production image for web, worker and beat (docker-compose.yml). Debian's pango for WeasyPrint,
# DejaVu fonts for Hebrew PDFs, gettext for the catalogues.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core gettext nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.lock && npm ci --no-audit --no-fund
COPY . .
# Bootstrap's CSS from its Sass (Dart Sass and RTLCSS are build tools: pruned once it is built).
RUN node assets/build-css.mjs && npm prune --omit=dev --no-audit --no-fund
RUN DEBUG=false SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v 0 \
    && DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --no-input -v 0
RUN useradd --system --home /app kehila && mkdir -p /app/var && chown -R kehila /app/var
USER kehila
EXPOSE 8000
CMD ["gunicorn", "kehila.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
