# One image for every server worker: the Python package, the default decks and
# the built browser client.
FROM node:20-slim AS client
WORKDIR /src/client
COPY client/package.json client/package-lock.json client/.npmrc ./
RUN npm ci --no-audit --no-fund
COPY client/ ./
RUN npm run build

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY server ./server
RUN pip install --no-cache-dir .
COPY decks ./decks
COPY --from=client /src/client/dist ./client/dist
ENV CALMROOM_DECKS_DIR=/app/decks \
    CALMROOM_CLIENT_DIR=/app/client/dist \
    CALMROOM_HOST=0.0.0.0 \
    CALMROOM_PORT=5000
EXPOSE 5000
USER nobody
CMD ["calmroom", "serve"]
