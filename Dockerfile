# syntax=docker/dockerfile:1
# The online-learner image: `docker run IMAGE train ...` (the default), `replay`, `record`, ...
# Two stages: the build stage compiles TypeScript with the dev dependencies; the runtime stage holds the
# production dependencies, dist/ and the recorded streams/, and runs as the unprivileged `node` user.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production \
    ONLINE_LEARNER_SERVER_HOST=0.0.0.0 \
    ONLINE_LEARNER_SERVER_PORT=9464
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY streams ./streams
# Checkpoints and dead letters go to /data (mount a volume there to keep them).
RUN mkdir /data && chown node:node /data
USER node
EXPOSE 9464
# node:20-slim has no curl: the probe is Node's own fetch against /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.ONLINE_LEARNER_SERVER_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["train"]
