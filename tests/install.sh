#!/usr/bin/env bash
# make install and make deb give an icpgen that builds a site with no
# checkout, no npm tree and no ICPGEN_* variables: each runs in a mount
# namespace where the install is overlaid on its real prefix and the
# checkout is hidden under an empty folder.  Needs root (unshare -m);
# skipped otherwise.
set -u
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset ICPGEN_THEMEDIR ICPGEN_NODEDIR

if ! unshare -m --propagation private true 2>/dev/null; then
	ok "install # SKIP needs unshare -m (root)"
	exit 0
fi

# The demo, outside the checkout, as a repository of its own.
make_repo "$TOP/content" "$tmp/site" >/dev/null

# run_hidden LOWER MOUNTPOINT CMD...: run CMD with LOWER overlaid on
# MOUNTPOINT, the checkout and ICPGEN_* out of sight, from $tmp.
run_hidden() {
	local lower=$1 at=$2
	shift 2
	unshare -m --propagation private bash -c '
		set -e
		mount -t overlay overlay -o lowerdir="$1":"$2" "$2"
		mount -t tmpfs tmpfs "$3"
		shift 3
		cd "$TMPDIR_T"
		env -u ICPGEN_THEMEDIR -u ICPGEN_NODEDIR "$@"
	' run "$lower" "$at" "$TOP" "$@"
}
export TMPDIR_T=$tmp

check_install() {	# name bin-dir-inside out-dir
	local name=$1 bin=$2
	if run_hidden "${@:4}" "$bin/icpgen" build "$tmp/site" --out \
	    "$tmp/$name-out" -q >"$tmp/$name.log" 2>&1 &&
	    [ -f "$tmp/$name-out/index.html" ] &&
	    ls "$tmp/$name-out"/assets/main.*.css >/dev/null 2>&1 &&
	    grep -q nhsuk-header "$tmp/$name-out"/assets/main.*.css; then
		ok "$name: the installed icpgen builds the demo with the checkout hidden"
	else
		not_ok "$name: the installed icpgen cannot build the demo"
		sed 's/^/    /' "$tmp/$name.log" | head -20
	fi
	if grep -q -a -F "$TOP/" "$3"; then
		not_ok "$name: the installed binary names the checkout"
	else
		ok "$name: the installed binary does not name the checkout"
	fi
}

# 1. make install with DESTDIR and PREFIX.
if make -s -C "$TOP" install DESTDIR="$tmp/dest" PREFIX=/opt/icpgen-test \
    >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR PREFIX"
	check_install install /opt/icpgen-test/bin \
	    "$tmp/dest/opt/icpgen-test/bin/icpgen" "$tmp/dest/opt" /opt
	for f in share/man/man1/icpgen.1 share/man/man5/icpgen.5 \
	    share/man/man7/icpgen-lua.7 bin/icpgen-publish \
	    share/icpgen/themes/default/theme.yaml \
	    share/icpgen/node_modules/nhsuk-frontend/packages/nhsuk.scss; do
		[ -f "$tmp/dest/opt/icpgen-test/$f" ] ||
		    { not_ok "make install: $f missing"; continue; }
	done
else
	not_ok "make install DESTDIR PREFIX"
	sed 's/^/    /' "$tmp/install.log" | tail -20
fi

# 2. make deb, unpacked as dpkg would install it.
if make -s -C "$TOP" deb >"$tmp/deb.log" 2>&1 &&
    deb=$(ls "$TOP"/icpgen_*_*.deb) && dpkg-deb -x "$deb" "$tmp/root"; then
	ok "make deb"
	dep=$(dpkg-deb -f "$deb" Depends)
	# libqpdf and libmicrohttpd are loaded on first use, not linked.
	if echo "$dep" | grep -q libgit2 && echo "$dep" | grep -q libqpdf &&
	    echo "$dep" | grep -q libmicrohttpd; then
		ok "deb: Depends lists the libraries linked and loaded"
	else
		not_ok "deb: Depends lacks libgit2, libqpdf or libmicrohttpd: $dep"
	fi
	check_install deb /usr/bin "$tmp/root/usr/bin/icpgen" \
	    "$tmp/root/usr" /usr
else
	not_ok "make deb"
	sed 's/^/    /' "$tmp/deb.log" | tail -20
fi
exit 0
