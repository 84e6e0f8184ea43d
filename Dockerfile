# hss-emulator as a container: docker build -t hss-emulator . && docker run -p 9080:9080 hss-emulator
# Each stage's steps are replayed by test/docker-recipe.test.ts, since CI has no Docker engine.

# Node 24: the newest LTS line better-sqlite3 12 supports (its engines stop at 25.x; Node 26
# needs better-sqlite3 13). The package itself runs on Node 20 and later.
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Compile the TypeScript.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY schemas ./schemas
COPY scripts ./scripts
RUN npm run build

# 2. Production dependencies only, with better-sqlite3's native addon built for this Node.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3

# 3. The image: no compilers, no dev dependencies, a non-root user, the database in a volume.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production HSS_EMULATOR_HOST=0.0.0.0 HSS_EMULATOR_PORT=9080 HSS_EMULATOR_DB=/data/hss-emulator.db HSS_EMULATOR_LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY fixtures ./fixtures
COPY ui ./ui
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9080
# the same configuration as the server (port, TLS, admin token from ENV or a mounted --config)
HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 CMD ["node", "dist/bin/hss-emulator.mjs", "healthcheck"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/bin/hss-emulator.mjs"]
