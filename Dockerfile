# Images for the worker and the portal (targets `worker` and `portal`), built from the monorepo.
# docker compose builds them; see docker-compose.yml and docs/deployment.md.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && TURBO_TELEMETRY_DISABLED=1 npx turbo run build --filter=@um/worker... --filter=@um/web... \
 && npm prune --omit=dev

FROM node:20-bookworm-slim AS worker
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 9464
ENTRYPOINT ["node", "worker/bin/um-worker.js"]

FROM node:20-bookworm-slim AS portal
COPY --from=build /app /app
# remix-serve serves the client assets from build/client relative to the working directory.
WORKDIR /app/web
USER node
EXPOSE 3000
CMD ["node", "../node_modules/@remix-run/serve/dist/cli.js", "build/server/index.js"]
