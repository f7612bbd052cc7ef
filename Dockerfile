ARG NODE_MAJOR=26
# One image for every GovGraph service: the command chooses it (deploy/kubernetes/ runs each).
#   node dist/gateway/index.js                          the gateway, serving the console at /console/
#   node dist/scripts/start-department.js <department>  one department (npm run start:department)
# Build it from the repository root: docker build -t govgraph:$(node -p "require('./package.json').version") .

# The build: every dependency, then the production build (the kit, the server, the console).
FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /app
# better-sqlite3's native binding comes prebuilt for its release's Node versions; these build it where none
# fits, against the headers of the image's own Node.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
COPY subgraphs/kit/package.json subgraphs/kit/
# --ignore-scripts: the root's prepare would build before the sources are copied; the one native module is
# rebuilt on its own.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY . .
RUN npm run -s build

# What runs: the production dependencies and the compiled output, as an unprivileged user.
FROM node:${NODE_MAJOR}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY subgraphs/kit/package.json subgraphs/kit/
# --ignore-scripts: prepare would run the build, whose tools are not installed here. better-sqlite3's binding
# is the one the build stage made for this same Node.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node node_modules/better-sqlite3/build/Release/
COPY --from=build /app/dist dist
COPY --from=build /app/subgraphs/kit/dist subgraphs/kit/dist
COPY --from=build /app/console/dist console/dist
# The defaults the services read from the working directory; a deployment mounts its own
# (SUPERGRAPH_FILE, CONTRACTS_DIR, PLATFORM_FILE).
COPY supergraph.graphql ./
COPY contracts/platform.yaml contracts/
COPY contracts/apps contracts/apps
LABEL org.opencontainers.image.title="govgraph" \
  org.opencontainers.image.description="GovGraph: the gateway, the console and every department" \
  org.opencontainers.image.licenses="Apache-2.0"
# node, the base image's unprivileged user, by number: Kubernetes can only check runAsNonRoot against a number.
USER 1000:1000
EXPOSE 4000
CMD ["node", "dist/gateway/index.js"]
