# polylink's container image.
#
#   docker build -t polylink .
#   docker run -p 6020:6020 -p 8080:8080 -v polylink-data:/data polylink
#
# Two stages: the first compiles (TypeScript, and better-sqlite3's native module, which
# needs python3, make and g++ when no prebuilt binary fits), the second carries only what
# runs: the compiled JavaScript, the production dependencies, the SQL migrations, the area
# codes of phone numbers and the example organisation.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Build tools for better-sqlite3: npm ci builds it from source if its prebuilt binary
# cannot be downloaded or does not match this Node and libc.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The manifests alone first, so that the dependency layer is reused until they change.
# package.json's "allowScripts" is what lets newer npm versions run better-sqlite3's
# install script.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The web pages (dist/web/, served as web.dir) and the agent bar SDK's browser bundle
# (dist/web/sdk/) are built from here.
COPY web ./web
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    POLYLINK_DATABASE_PATH=/data/polylink.db
# package.json marks dist/ as ES modules; schema/ holds the migrations polylink applies at
# start; resources/ the area codes it reads at start (resources/areas/cn-fixed-line.tsv,
# found from dist/src/numbers like schema/ from dist/src/store); examples/ holds the
# organisation imported into an empty database (organisation.importOnEmpty).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY schema ./schema
COPY resources ./resources
COPY examples ./examples
# The SQLite database lives on a volume, owned by the unprivileged user the server runs as
# (the node image's "node", uid 1000). A new named volume takes this ownership.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
# 6020: agent protocol over TCP. 8080: WebSocket /agent, GET /health, REST.
EXPOSE 6020 8080
# GET /health answers 200 while the server runs; the port follows POLYLINK_HTTP_PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.POLYLINK_HTTP_PORT || '8080') + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli.js", "start"]
