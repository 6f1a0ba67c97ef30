#!/bin/sh
# Builds the two local base images the Dockerfile can use when no image registry is reachable:
#   sagebox/build-base:bookworm    Debian bookworm minbase + openjdk-17-jdk-headless + maven
#   sagebox/runtime-base:bookworm  Debian bookworm minbase + openjdk-17-jre-headless + libgomp1 + ca-certificates
# with debootstrap from the Debian mirror this machine's apt uses, then `docker import`.
#
# Usage: docker/make-base-images.sh [--force]
#   --force  rebuild both images (and their cached root filesystems) even if they exist.
# Environment:
#   SAGEBOX_DOCKER_CACHE  cache folder (default: <repo>/.docker-cache, git-ignored): downloaded .debs and
#                         finished root filesystem tarballs, so a rerun (or a deleted image) is fast.
#   DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR  override the mirrors found in /etc/apt/sources.list*.
#   DOCKER                docker CLI to use (default: docker).
#   SAGEBOX_EXTRA_CA_DIR  *.crt files added to the BUILD image's trust store (system and Java), default
#                         /usr/local/share/ca-certificates: this machine's locally added roots, so the Maven stage
#                         works behind a TLS-inspecting proxy as the host does. Set it empty to add none.
#                         The runtime image never gets them (it makes no outbound TLS connections).
# Needs root, debootstrap and a running dockerd. Then:
#   docker build --build-arg BUILD_IMAGE=sagebox/build-base:bookworm \
#                --build-arg BASE_IMAGE=sagebox/runtime-base:bookworm -t sagebox .
set -eu

SUITE=bookworm
BUILD_IMAGE=sagebox/build-base:$SUITE
RUNTIME_IMAGE=sagebox/runtime-base:$SUITE
BUILD_PKGS="openjdk-17-jdk-headless maven ca-certificates"
RUNTIME_PKGS="openjdk-17-jre-headless libgomp1 ca-certificates"

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${SAGEBOX_DOCKER_CACHE:-$here/.docker-cache}
DOCKER=${DOCKER:-docker}
force=0
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "make-base-images: unknown argument $arg" >&2; exit 2 ;;
  esac
done

log() { echo "make-base-images: $*" >&2; }

[ "$(id -u)" = 0 ] || { log "must run as root (debootstrap, chroot)"; exit 1; }
command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install -y debootstrap)"; exit 1; }
$DOCKER info >/dev/null 2>&1 || { log "dockerd is not reachable with '$DOCKER'"; exit 1; }

image_exists() { $DOCKER image inspect "$1" >/dev/null 2>&1; }

if [ $force = 0 ] && image_exists "$BUILD_IMAGE" && image_exists "$RUNTIME_IMAGE"; then
  log "$BUILD_IMAGE and $RUNTIME_IMAGE exist; nothing to do (--force rebuilds)"
  exit 0
fi

# --- Mirrors: the first Debian archive and security URIs named in /etc/apt/sources.list* (one-line or deb822).
find_uri() { # $1: regexp the URI must match
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    sed -n -e 's/^[[:space:]]*URIs:[[:space:]]*//p' \
           -e 's/^[[:space:]]*deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}\([^[:space:]]*\).*/\2/p' |
    tr ' ' '\n' | sed 's:/*$::' | grep -E "$1" | head -n 1 || true
}
mirror=${DEBIAN_MIRROR:-$(find_uri '^https?://.*/debian$')}
mirror=${mirror:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-$(find_uri '^https?://.*/debian-security$')}
security=${security:-$(echo "$mirror" | sed 's:/debian$:/debian-security:')}
log "mirror $mirror, security $security"
extra_ca_dir=${SAGEBOX_EXTRA_CA_DIR-/usr/local/share/ca-certificates}
extra_cas=""
if [ -n "$extra_ca_dir" ] && [ -d "$extra_ca_dir" ]; then
  extra_cas=$(find "$extra_ca_dir" -maxdepth 1 -type f -name '*.crt' | sort)
fi
[ -z "$extra_cas" ] || log "build image trusts the extra roots in $extra_ca_dir: $(echo $extra_cas | xargs -n1 basename | tr '\n' ' ')"

mkdir -p "$cache/debs" "$cache/apt-archives"
work=$(mktemp -d "$cache/work.XXXXXX")
mounted=""
cleanup() {
  for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A key for the cached tarballs: what they were built from.
key() { printf '%s\n' "$SUITE" "$mirror" "$security" "$*" | sha256sum | cut -c1-16; }

# --- Stage 1: the minbase root filesystem, shared by both images (cached as a tarball).
minbase_tar=$cache/minbase-$SUITE-$(key minbase).tar
if [ $force = 1 ] || [ ! -s "$minbase_tar" ]; then
  log "debootstrap --variant=minbase $SUITE (debs cached in $cache/debs)"
  start=$(date +%s)
  debootstrap --variant=minbase --cache-dir="$cache/debs" "$SUITE" "$work/minbase" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; log "debootstrap failed"; exit 1; }
  rm -f "$cache/minbase-$SUITE"-*.tar
  tar -C "$work/minbase" -cf "$minbase_tar.tmp" . && mv "$minbase_tar.tmp" "$minbase_tar"
  rm -rf "$work/minbase"
  log "minbase done in $(( $(date +%s) - start )) s"
fi

# --- Stage 2: one image = minbase + packages, trimmed, imported.
make_image() { # $1 image name, $2 packages, $3 CA files to trust (or ""), $4.. extra `docker import -c` changes
  name=$1; pkgs=$2; cas=$3; shift 3
  if [ $force = 0 ] && image_exists "$name"; then log "$name exists, skipped"; return 0; fi
  tarball=$cache/$(echo "$name" | tr '/:' '__')-$(key "$pkgs" "$(cat /dev/null $cas | sha256sum)").tar
  if [ $force = 1 ] || [ ! -s "$tarball" ]; then
    start=$(date +%s)
    root=$work/root
    rm -rf "$root"; mkdir -p "$root"
    tar -C "$root" -xf "$minbase_tar"
    cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
EOF
    # No daemons started by package scripts; keep .debs in our cache (bind-mounted), not in the image.
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
    mount -t proc proc "$root/proc"; mounted="$root/proc $mounted"
    mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"; mounted="$root/var/cache/apt/archives $mounted"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    # Added before ca-certificates(-java) install, whose hooks put them in /etc/ssl/certs and Java's cacerts.
    for c in $cas; do mkdir -p "$root/usr/local/share/ca-certificates" && cp "$c" "$root/usr/local/share/ca-certificates/"; done
    log "$name: apt-get install $pkgs"
    if ! chroot "$root" /bin/sh -c "
        set -e
        export DEBIAN_FRONTEND=noninteractive LC_ALL=C
        apt-get -q update
        apt-get -q -y -o Dpkg::Options::=--force-confold dist-upgrade
        apt-get -q -y --no-install-recommends install $pkgs
        apt-get -q -y autoremove --purge
        java -version" >"$work/apt.log" 2>&1; then
      tail -n 40 "$work/apt.log" >&2; log "$name: package installation failed"; exit 1
    fi
    umount "$root/var/cache/apt/archives" "$root/proc"; mounted=""
    # Trim: docs, man pages (keep the directories: the JRE's postinst links man1 pages), apt lists, logs.
    rm -f "$root/usr/sbin/policy-rc.d"
    : >"$root/etc/resolv.conf"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
           "$root"/var/cache/debconf/*-old \
           "$root"/var/log/apt/* "$root"/var/log/*.log "$root"/usr/share/doc/* "$root"/usr/share/info/* \
           "$root"/usr/share/locale/* "$root"/tmp/* "$root"/root/.cache
    find "$root/usr/share/man" -type f -delete 2>/dev/null || true
    mkdir -p "$root/usr/share/man/man1"
    chmod 1777 "$root/tmp"
    rm -f "$cache/$(echo "$name" | tr '/:' '__')"-*.tar   # stale tarballs of this image
    tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$root"
    log "$name: root filesystem built in $(( $(date +%s) - start )) s"
  fi
  log "$name: docker import"
  old=$($DOCKER image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
  $DOCKER import "$@" -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' \
    -m "debootstrap $SUITE minbase + $pkgs" "$tarball" "$name" >/dev/null
  new=$($DOCKER image inspect -f '{{.Id}}' "$name")
  # The replaced image, now untagged (kept if something still uses it).
  [ -z "$old" ] || [ "$old" = "$new" ] || $DOCKER rmi "$old" >/dev/null 2>&1 || true
  log "$name: $($DOCKER image inspect -f '{{.Size}}' "$name") bytes"
}

make_image "$BUILD_IMAGE" "$BUILD_PKGS" "$extra_cas" \
  -c "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
make_image "$RUNTIME_IMAGE" "$RUNTIME_PKGS" "" \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
