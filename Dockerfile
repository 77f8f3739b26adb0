# syntax=docker/dockerfile:1
# Pillbox in a container. `npm run build` leaves .next/standalone self-contained (the server, the
# node_modules files it loads, static assets, public/ and the migrations); the image runs that folder
# alone, as the unprivileged `node` user. tests/cli/standalone.test.ts runs exactly what the last
# stage copies, as an unprivileged user, since no container can be built where the tests run.

# 1. Dependencies from the lockfile. npm ci's postinstall generates the Prisma Client from the schema.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
RUN npm ci --no-audit --no-fund

# 2. The build: next build, then scripts/standalone.mjs completes .next/standalone.
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 PILLBOX_DATA_DIR=/tmp/build-data
COPY . .
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/lib/db/generated ./lib/db/generated
RUN npm run build

# 3. The runtime: Node 20 and the standalone folder, nothing else from the repository.
FROM node:20-bookworm-slim AS runner
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    PILLBOX_DATA_DIR=/data
# The embedded database (used when DATABASE_URL is unset) lives in /data; the app files stay
# read-only to the server.
RUN mkdir -p /data && chown node:node /data
COPY --from=build /app/.next/standalone ./
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
