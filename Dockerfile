# syntax=docker/dockerfile:1
# Styra: one static-ish binary (SQLite and libpq are compiled in) on Debian slim.
#
#   docker build -t styra .
#   docker run -p 8080:8080 -v styra-data:/data styra
#   docker run --rm -v styra-data:/data styra token --sub admin --role admin
#
# SQLite lives in /data (with the generated JWT secret unless STYRA_JWT_SECRET is set);
# DATABASE_URL=postgres://... selects PostgreSQL instead.

FROM rust:1-bookworm AS builder
WORKDIR /src
# rust:1-bookworm already has a C compiler and libssl-dev, which the bundled SQLite and libpq need.
COPY . .
# Cache mounts keep the registry and target/ between builds; the binary is copied out of the
# mount because cache contents are not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin styra \
    && cp target/release/styra /usr/local/bin/styra

FROM debian:bookworm-slim
# libssl3: the bundled libpq links OpenSSL for TLS connections to PostgreSQL.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 styra \
    && useradd --system --uid 10001 --gid styra --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin styra \
    && mkdir -p /data \
    && chown styra:styra /data
COPY --from=builder /usr/local/bin/styra /usr/local/bin/styra

ENV STYRA_DATA_DIR=/data \
    STYRA_BIND=0.0.0.0:8080 \
    RUST_LOG=info
VOLUME /data
EXPOSE 8080
USER styra
# No curl in the slim image, so no HEALTHCHECK here: let the orchestrator probe
# GET /health/live (process up) and GET /health/ready (database answers).
# actix-web handles SIGTERM itself: in-flight requests finish (up to 30 s) before exit.
ENTRYPOINT ["/usr/local/bin/styra"]
CMD ["serve"]
