#!/usr/bin/env bash
# Builds the Jib image on a machine with neither a registry nor a container engine, and runs it.
#
#   deploy/images/offline-smoke.sh [WORK_DIR]        (as root: it uses chroot and mounts /proc)
#
# 1. a stand-in base image: a jlink'ed runtime of the build's JDK (>= 21) at /opt/java/openjdk, the glibc
#    libraries it links, /bin/sh (dash) and an /etc/passwd with user 10001, written as a `docker save` tar;
# 2. the real image from it: mvn -Pimage -pl dist -am package -Dmeshlens.image.base=tar://... (Jib, as documented
#    in deploy/images/README.md, only the base differs);
# 3. the image's layers unpacked in manifest order, then, as the image's user in a chroot with the image's
#    environment and working directory: the default command (entrypoint + CMD), every service's --help, and the
#    collector's and query API's --check on small configs.
# Not a production base: use eclipse-temurin (pinned by digest) where a registry is reachable.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/meshlens-image-XXXXXX)}"
[ "$(id -u)" = 0 ] || { echo "offline-smoke: needs root (chroot, mount -t proc)" >&2; exit 2; }
JDK="${JAVA_HOME:?set JAVA_HOME to a JDK 21 or newer}"
CHROOT="$(command -v chroot || echo /usr/sbin/chroot)"
mkdir -p "$WORK"
echo "offline-smoke: working in $WORK"

# ---- 1. the stand-in base image ----
BASE="$WORK/base"
rm -rf "$BASE" && mkdir -p "$BASE/rootfs"
# the JDK's runtime modules, without the development tools (a JRE's module set)
modules="$("$JDK/bin/java" --list-modules | sed 's/@.*//' \
  | grep -Ev '^jdk\.(internal\.(vm\.ci|ed|le|opt)|graal|jcmd|jconsole|jdeps|jdi|jlink|jpackage|jshell|javadoc|hotspot\.agent|jartool|jstatd|editpad|compiler|jsobject|incubator)' \
  | paste -sd, -)"
"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$modules" --strip-debug --no-man-pages \
  --no-header-files --output "$BASE/rootfs/opt/java/openjdk"
(
  cd "$BASE/rootfs"
  mkdir -p bin lib64 etc tmp proc
  chmod 1777 tmp
  cp /bin/dash bin/sh
  cp -L /lib64/ld-linux-x86-64.so.2 lib64/
  # what the runtime's own libraries link (libjvm, libjava, libnet...), less the desktop ones nothing here loads
  find opt/java/openjdk -name '*.so' -exec ldd {} \; 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' \
    | grep -Ev 'libX|libxcb|libasound|libbsd|libmd' | sort -u | while read -r lib; do
      mkdir -p ".$(dirname "$lib")" && cp -L "$lib" ".$lib"
    done
  mkdir -p lib/x86_64-linux-gnu && cp -L /lib/x86_64-linux-gnu/libc.so.6 lib/x86_64-linux-gnu/
  printf 'root:x:0:0:root:/root:/bin/sh\nmeshlens:x:10001:10001:meshlens:/tmp:/bin/sh\n' > etc/passwd
  printf 'root:x:0:\nmeshlens:x:10001:\n' > etc/group
)
python3 - "$BASE" <<'EOF'
import hashlib, io, json, os, sys, tarfile
base = sys.argv[1]
layer = os.path.join(base, "layer.tar")
with tarfile.open(layer, "w") as t:
    for name in sorted(os.listdir(os.path.join(base, "rootfs"))):
        t.add(os.path.join(base, "rootfs", name), arcname=name)
with open(layer, "rb") as f:
    diff = "sha256:" + hashlib.sha256(f.read()).hexdigest()
config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/opt/java/openjdk/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java/openjdk"]},
    "rootfs": {"type": "layers", "diff_ids": [diff]},
    "history": [{"created_by": "meshlens offline-smoke: jlink of the build JDK, glibc, dash"}]}).encode()
name = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": name, "RepoTags": ["meshlens-offline-base:latest"], "Layers": ["layer.tar"]}]).encode()
with tarfile.open(os.path.join(base, "base.tar"), "w") as t:
    for n, data in ((name, config), ("manifest.json", manifest)):
        info = tarfile.TarInfo(n)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    t.add(layer, arcname="layer.tar")
EOF
echo "offline-smoke: base image $BASE/base.tar"

# ---- 2. the image, as documented, from that base ----
(cd "$ROOT" && mvn -B -ntp -q -Pimage -pl dist -am package -DskipTests "-Dmeshlens.image.base=tar://$BASE/base.tar")
IMAGE_TAR="$ROOT/dist/target/jib-image.tar"
echo "offline-smoke: image $IMAGE_TAR ($(du -h "$IMAGE_TAR" | cut -f1))"

# ---- 3. unpack and run it ----
IMG="$WORK/image"
rm -rf "$IMG" && mkdir -p "$IMG/rootfs" && tar -xf "$IMAGE_TAR" -C "$IMG"
# prints the image config's user, working dir, entrypoint + cmd and env, one per line (NAME=value)
python3 - "$IMG" > "$IMG/run.env" <<'EOF'
import json, os, sys, tarfile
img = sys.argv[1]
manifest = json.load(open(os.path.join(img, "manifest.json")))[0]
for layer in manifest["Layers"]:
    with tarfile.open(os.path.join(img, layer)) as t:
        t.extractall(os.path.join(img, "rootfs"), filter="fully_trusted")
c = json.load(open(os.path.join(img, manifest["Config"])))["config"]
print("USER=" + c.get("User", "0:0"))
print("WORKDIR=" + c.get("WorkingDir", "/"))
print("ENTRY=" + " ".join(c.get("Entrypoint", []) + c.get("Cmd", [])))
print("ENTRYPOINT=" + " ".join(c.get("Entrypoint", [])))
for e in c.get("Env", []):
    print("ENV " + e)
EOF
USER_SPEC="$(sed -n 's/^USER=//p' "$IMG/run.env")"
WORKDIR="$(sed -n 's/^WORKDIR=//p' "$IMG/run.env")"
DEFAULT="$(sed -n 's/^ENTRY=//p' "$IMG/run.env")"
ENTRYPOINT="$(sed -n 's/^ENTRYPOINT=//p' "$IMG/run.env")"
mapfile -t IMAGE_ENV < <(sed -n 's/^ENV //p' "$IMG/run.env")
mkdir -p "$IMG/rootfs/proc" "$IMG/rootfs/tmp/smoke"
chmod 1777 "$IMG/rootfs/tmp"
cat > "$IMG/rootfs/tmp/smoke/collector.yaml" <<'EOF'
mesh: {id: istio-east, kind: istio}
sources:
  files:
    - globs: ["/tmp/logs/*.log"]
      format: istio
kafka: {bootstrap_servers: "kafka:9092"}
spool: {dir: /tmp/spool}
EOF
cat > "$IMG/rootfs/tmp/smoke/query-api.yaml" <<'EOF'
kafka: {bootstrap_servers: "kafka:9092"}
elasticsearch: {urls: ["http://elasticsearch:9200"]}
EOF
mount -t proc proc "$IMG/rootfs/proc"
trap 'umount "$IMG/rootfs/proc" 2>/dev/null || true' EXIT

failed=0
in_image() { # $1 = what, rest = the command line inside the image
  local what="$1"; shift
  if env -i "${IMAGE_ENV[@]}" "$CHROOT" --userspec="$USER_SPEC" "$IMG/rootfs" /bin/sh -c "cd '$WORKDIR' && exec $*" \
      > "$WORK/out.txt" 2>&1; then
    echo "ok - $what"
  else
    echo "not ok - $what"; sed 's/^/    /' "$WORK/out.txt" | tail -20; failed=$((failed + 1))
  fi
}
in_image "default command ($DEFAULT) as user $USER_SPEC" "$DEFAULT"
grep -q "^meshlens " "$WORK/out.txt" || { echo "not ok - the default command printed no version"; failed=$((failed + 1)); }
for c in collector redactor query-api correlator explain redact what-if fix; do
  in_image "$c --help" "$ENTRYPOINT $c --help"
done
in_image "collector --check" "$ENTRYPOINT collector -c /tmp/smoke/collector.yaml --check"
in_image "query-api --check" "$ENTRYPOINT query-api -c /tmp/smoke/query-api.yaml --check"
[ "$failed" = 0 ] && echo "offline-smoke: the image runs ($IMAGE_TAR)" || echo "offline-smoke: $failed failed"
exit "$failed"
