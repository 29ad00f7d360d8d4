#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's base images on the daemon in DOCKER_HOST, for machines
# that reach no container registry (CI). They are tagged with the names the Dockerfile's ARG defaults
# use, so the REAL Dockerfile builds against them unchanged:
#   BASE_IMAGE  a Debian bookworm root file system made by `debootstrap --variant=minbase` from
#               Debian's packages (the official debian:bookworm-slim is a trimmed build of the same)
#   BUN_IMAGE   that root file system plus the Bun binary from npm (the official oven/bun image is
#               Debian bookworm-slim plus Bun)
# The Debian archive is the one this machine's apt is configured with (DEBIAN_MIRROR overrides it).
# Existing tags are kept unless --force. Needs root, debootstrap, and the docker CLI.
#   scripts/image-bases.sh [--force]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
force=0
[[ "${1:-}" == "--force" ]] && force=1
docker=(docker)
[[ -n "${DOCKER_HOST:-}" ]] && docker=(docker -H "$DOCKER_HOST")

arg_default() { sed -n "s/^ARG $1=//p" "$root/Dockerfile" | head -n 1; }
base_image="$(arg_default BASE_IMAGE)"
bun_image="$(arg_default BUN_IMAGE)"
[[ -n "$base_image" && -n "$bun_image" ]] || { echo "image-bases: ARG BASE_IMAGE/BUN_IMAGE defaults not found in Dockerfile" >&2; exit 1; }
suite="${base_image#*:}"; suite="${suite%%-*}"          # debian:bookworm-slim -> bookworm
bun_version="${bun_image##*:}"                         # oven/bun:1.3.14 -> 1.3.14

have() { "${docker[@]}" image inspect "$1" >/dev/null 2>&1; }
work="$(mktemp -d /tmp/cb-image-bases-XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The Debian archive this machine's own apt uses for the suite (its configured sources, as apt reads them),
# unless DEBIAN_MIRROR names one.
apt_mirror() {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(TARGET_OF)' 'Created-By: Packages' 2>/dev/null |
    awk -v suite="$1" '$2 == suite && $3 == "deb" { print $1; exit }'
}

if ((force)) || ! have "$base_image"; then
  command -v debootstrap >/dev/null || { echo "image-bases: debootstrap not found (apt-get install debootstrap)" >&2; exit 1; }
  mirror="${DEBIAN_MIRROR:-$(apt_mirror "$suite")}"
  [[ -n "$mirror" ]] || { echo "image-bases: apt has no source for Debian $suite here; set DEBIAN_MIRROR to a Debian archive URL" >&2; exit 1; }
  started=$SECONDS
  debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  tar -C "$work/rootfs" --numeric-owner -c . | "${docker[@]}" import \
    -c 'CMD ["bash"]' -c 'LABEL cyber-brain.stand-in="debootstrap --variant=minbase"' - "$base_image" >/dev/null
  rm -rf "$work/rootfs"
  echo "image-bases: $base_image from debootstrap --variant=minbase $suite ($((SECONDS - started)) s)"
fi

if ((force)) || ! have "$bun_image"; then
  mkdir -p "$work/bun"
  local_bun="$(command -v bun || true)"
  if [[ -n "$local_bun" && "$(bun --version)" == "$bun_version" && "$(readlink -f "$local_bun")" == */node_modules/* ]]; then
    # the Bun that `npm install -g bun@VERSION` put here (.ci/run installs it that way)
    cp "$(readlink -f "$local_bun")" "$work/bun/bun"
  else
    case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=aarch64 ;; *) echo "image-bases: no Bun for $(uname -m)" >&2; exit 1 ;; esac
    (cd "$work/bun" && npm pack --silent "@oven/bun-linux-$arch@$bun_version" >/dev/null && tar -xzf oven-bun-linux-*.tgz && cp package/bin/bun bun)
  fi
  [[ "$("$work/bun/bun" --version)" == "$bun_version" ]] || { echo "image-bases: the Bun found is not $bun_version" >&2; exit 1; }
  printf 'FROM %s\nCOPY bun /usr/local/bin/bun\nRUN ln -s bun /usr/local/bin/bunx\nLABEL cyber-brain.stand-in="Bun %s from npm"\n' \
    "$base_image" "$bun_version" >"$work/bun/Dockerfile"
  # Where this machine reaches npm through a TLS-inspecting egress proxy, its CA bundle goes into the
  # build-stage stand-in only (so `bun install` in the Dockerfile trusts it); the runtime image never
  # sees it, and the real oven/bun image needs nothing of the kind.
  ca="${NODE_EXTRA_CA_CERTS:-}"
  if [[ -n "$ca" && -f "$ca" ]]; then
    cp "$ca" "$work/bun/host-ca.crt"
    printf 'COPY host-ca.crt /usr/local/share/cyber-brain-ci/host-ca.crt\nENV NODE_EXTRA_CA_CERTS=/usr/local/share/cyber-brain-ci/host-ca.crt\n' >>"$work/bun/Dockerfile"
  fi
  DOCKER_BUILDKIT=0 "${docker[@]}" build --network=none -q -t "$bun_image" "$work/bun" >/dev/null
  echo "image-bases: $bun_image from $base_image and Bun $bun_version from npm"
fi
