# Cyber-Brain image: the single binary of `bun run build` on a minimal glibc root file system.
#
#   docker build -t cyber-brain .
#   docker build --build-arg DOCKER_GID="$(stat -c %g /var/run/docker.sock)" -t cyber-brain .
#
# Stage 1 (BUN_IMAGE) compiles dist/cyber-brain with the code, static files, SQL migrations and the
# embedded database's files inside. Stage 2 (BASE_IMAGE, any glibc distribution with ldd) gathers what
# that binary needs from its base: the C library it links, a user and group file, empty folders. The
# final image holds only that, so it is about the size of the binary; there is no shell in it
# (`cyber-brain healthcheck` replaces curl). Plain Dockerfile syntax: builds with the classic builder
# and with BuildKit alike.
ARG BUN_IMAGE=oven/bun:1.3.14
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUN_IMAGE} AS build
WORKDIR /src
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile --production --ignore-scripts
COPY tsconfig.json ./
COPY scripts/build.ts scripts/build.ts
COPY sql sql
COPY static static
COPY src src
RUN bun scripts/build.ts --outfile /out/cyber-brain

FROM ${BASE_IMAGE} AS rootfs
# The user the server runs as, and the group id of the host's Docker socket (often 999 or 998 on
# Debian; `stat -c %g /var/run/docker.sock` on the host). compose can add the group at run time too.
ARG APP_UID=10001
ARG DOCKER_GID=999
COPY --from=build /out/cyber-brain /rootfs/usr/local/bin/cyber-brain
RUN set -eu; \
    bin=/rootfs/usr/local/bin/cyber-brain; \
    # the dynamic loader and libraries the binary links, plus libgcc_s (glibc loads it to unwind threads)
    libs="$(ldd "$bin" | grep -o '/[^ ]*')"; \
    gcc_s="$(ldconfig -p | grep -o '/[^ ]*/libgcc_s\.so\.1$' | head -n 1 || true)"; \
    for lib in $libs $gcc_s; do \
      mkdir -p "/rootfs$(dirname "$lib")"; \
      cp -L "$lib" "/rootfs$lib"; \
    done; \
    mkdir -p /rootfs/etc /rootfs/tmp /rootfs/data /rootfs/logs /rootfs/uploads; \
    chmod 1777 /rootfs/tmp; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\ncyberbrain:x:%s:%s:Cyber-Brain:/data:/sbin/nologin\n' "$APP_UID" "$APP_UID" > /rootfs/etc/passwd; \
    printf 'root:x:0:\ncyberbrain:x:%s:\ndocker:x:%s:cyberbrain\n' "$APP_UID" "$DOCKER_GID" > /rootfs/etc/group; \
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' > /rootfs/etc/nsswitch.conf; \
    chown "$APP_UID:$APP_UID" /rootfs/data /rootfs/logs /rootfs/uploads; \
    chmod 750 /rootfs/data /rootfs/logs /rootfs/uploads

FROM scratch
COPY --from=rootfs /rootfs/ /
ENV HOST=0.0.0.0 \
    PORT=9595 \
    CYBER_BRAIN_DATA=/data \
    CYBER_BRAIN_LOGS=/logs \
    CYBER_BRAIN_UPLOADS=/uploads
USER cyberbrain
WORKDIR /data
VOLUME ["/data", "/logs", "/uploads"]
EXPOSE 9595
# Every 2 s so a new container is marked healthy within about 2 s of its start (Docker before 25 has no
# --start-interval); one check costs about 0.1 s of CPU. compose can relax it (healthcheck: interval).
HEALTHCHECK --interval=2s --timeout=3s --start-period=120s --retries=3 CMD ["/usr/local/bin/cyber-brain", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/cyber-brain"]
CMD ["serve"]
LABEL org.opencontainers.image.title="Cyber-Brain" \
      org.opencontainers.image.description="Self-hosted operations brain for a home-lab Docker host"
