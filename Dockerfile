# San — container images, both from Debian bookworm packages.
#
#   docker build -t san .                 the app (default, last stage)
#   docker build --target edge -t san-edge .   nginx terminating TLS
#
# docker-compose.yml builds both and adds PostgreSQL.  The app stage uses
# the same scripts as dev and CI: scripts/install-deps.sh, make build,
# scripts/migrate.sh, scripts/serve.sh.

# --- edge: nginx in front of the app -----------------------------------
FROM debian:bookworm-slim AS edge
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx openssl \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
COPY conf/nginx/san.conf /etc/nginx/conf.d/san.conf
COPY conf/nginx/gen-cert.sh /usr/local/bin/gen-cert.sh
EXPOSE 80 443
STOPSIGNAL SIGQUIT
# Creates a self-signed certificate in /etc/nginx/certs if none is there.
ENTRYPOINT ["/bin/sh", "/usr/local/bin/gen-cert.sh"]
CMD ["nginx", "-g", "daemon off;"]

# --- app: Kore module + scripts -----------------------------------------
FROM debian:bookworm-slim AS app
ENV LANG=C.UTF-8
WORKDIR /opt/san
# Dependencies first (cached until the script changes).  The image talks
# to an external PostgreSQL: skip the package's default cluster.
COPY scripts/install-deps.sh scripts/
RUN mkdir -p /etc/postgresql-common/createcluster.d \
 && echo 'create_main_cluster = false' \
    >/etc/postgresql-common/createcluster.d/no-main.conf \
 && sh scripts/install-deps.sh \
 && rm -rf /var/lib/apt/lists/*
COPY . .
RUN make build \
 && useradd --system --user-group --no-create-home \
    --home-dir /opt/san/var --shell /usr/sbin/nologin san \
 && mkdir -p var \
 && chown san:san var
USER san
# Inside the container network only: the compose file publishes nginx,
# never this port.
ENV PORT=8888 BIND=0.0.0.0
EXPOSE 8888
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/healthz" || exit 1
# No arguments: migrate $DATABASE_URL, then run the server.  With
# arguments: run them instead, e.g. `sh scripts/seed-demo.sh`.
ENTRYPOINT ["/bin/sh", "-c", "if [ \"$#\" -gt 0 ]; then exec \"$@\"; fi; sh scripts/migrate.sh && exec sh scripts/serve.sh", "san"]
