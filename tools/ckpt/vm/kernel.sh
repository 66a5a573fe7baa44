#!/bin/bash
# Build the ckpt kernel: Debian's linux-source-6.12, with our overlay and hook
# patches, in a cache directory outside the work tree, so that later builds
# recompile only what changed.
#
#   tools/ckpt/vm/kernel.sh [debug|release]     prints the bzImage path last
#
# Layout of $CKPT_CACHE (default /var/cache/ckpt):
#   pristine/        the unpacked tarball, never modified
#   src/             pristine + overlay + patches (hard links where untouched)
#   build-FLAVOR/    the O= build tree of each flavor
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cache=${CKPT_CACHE:-/var/cache/ckpt}
flavor=${1:-debug}
jobs=${JOBS:-$(nproc)}

case $flavor in
debug)	 fragments="ckpt.config ckpt-debug.config" ;;
release) fragments="ckpt.config" ;;
*)	 echo "kernel.sh: unknown flavor '$flavor' (debug or release)" >&2; exit 2 ;;
esac

log() { echo "kernel: $*" >&2; }

tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "kernel.sh: linux-source-6.12 is not installed (run tools/ckpt/vm/deps.sh)" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.12)

pristine=$cache/pristine
src=$cache/src
build=$cache/build-$flavor
mkdir -p "$cache"

# 1. A new point release of the source: start over from it.
if [ "$(cat "$pristine/.ckpt-version" 2>/dev/null)" != "$version" ]; then
	log "unpacking linux-source-6.12 $version"
	rm -rf "$pristine" "$src" "$cache"/build-*
	mkdir -p "$pristine"
	tar -xf "$tarball" -C "$pristine" --strip-components=1
	echo "$version" > "$pristine/.ckpt-version"
fi
if [ ! -d "$src" ]; then
	cp -al "$pristine" "$src"
	rm -f "$src/.ckpt-manifest"
fi

# 2. Stage the files we own: patched upstream files and the overlay.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
while read -r p; do
	[ -n "$p" ] || continue
	for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$top/patches/$p"); do
		if [ ! -e "$stage/$f" ] && [ -e "$pristine/$f" ]; then
			mkdir -p "$stage/$(dirname "$f")"
			cp "$pristine/$f" "$stage/$f"
		fi
	done
	patch -p1 -s -d "$stage" --no-backup-if-mismatch < "$top/patches/$p" ||
		{ echo "kernel.sh: patches/$p does not apply to linux-source $version" >&2; exit 1; }
done < "$top/patches/series"
(cd "$top" && find kernel include arch -type f) | while read -r f; do
	mkdir -p "$stage/$(dirname "$f")"
	cp "$top/$f" "$stage/$f"
done

# 3. Install what changed into src (replacing, never writing through, the
#    hard links to pristine), and put back what we no longer own.
(cd "$stage" && find . -type f | sed 's|^\./||' | sort) > "$stage.manifest"
while read -r f; do
	if ! cmp -s "$stage/$f" "$src/$f"; then
		mkdir -p "$src/$(dirname "$f")"
		cp --remove-destination "$stage/$f" "$src/$f"
	fi
done < "$stage.manifest"
if [ -f "$src/.ckpt-manifest" ]; then
	comm -23 "$src/.ckpt-manifest" "$stage.manifest" | while read -r f; do
		rm -f "$src/$f"
		[ ! -e "$pristine/$f" ] || cp "$pristine/$f" "$src/$f"
	done
fi
mv "$stage.manifest" "$src/.ckpt-manifest"

# 4. Configure, when the fragments changed: tinyconfig plus our fragments,
#    and check that every line of them survived olddefconfig.
mkdir -p "$build"
stamp=$( (cd "$top/kernel/configs" && cat $fragments; echo "$version") | sha1sum | cut -c1-40)
if [ "$(cat "$build/.ckpt-config-stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$build/.config" ]; then
	log "configuring the $flavor kernel (tinyconfig + $fragments)"
	make -s -C "$src" O="$build" tinyconfig >/dev/null
	for frag in $fragments; do
		make -s -C "$src" O="$build" "$frag" >/dev/null
	done
	missing=0
	for frag in $fragments; do
		while read -r line; do
			case $line in
			CONFIG_*=n) want="# ${line%=n} is not set" ;;
			CONFIG_*)   want=$line ;;
			*) continue ;;
			esac
			if ! grep -qxF "$want" "$build/.config"; then
				echo "kernel.sh: $frag: '$line' did not survive olddefconfig" >&2
				missing=1
			fi
		done < "$top/kernel/configs/$frag"
	done
	[ $missing = 0 ] || exit 1
	echo "$stamp" > "$build/.ckpt-config-stamp"
fi

# 5. Build.  (No ccache: Debian 12's ccache 4.7 loses kbuild's -Wp,-MMD
#    dependency files now and then, and the kept build tree makes it moot.)
log "building the $flavor kernel in $build"
make -s -C "$src" O="$build" -j"$jobs" bzImage >&2
echo "$build/arch/x86/boot/bzImage"
