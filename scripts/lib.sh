# Shared by scripts/example and scripts/test: install the pinned tools into .tools/.
# shellcheck shell=bash

# The mdBook versions this project is built and tested against.
MDBOOK_PINNED=0.5.4
MDBOOK_PREVIOUS=0.4.52

# ensure_mdbook VERSION: installs mdBook VERSION into .tools/mdbook-VERSION (once) and prints
# the binary's path. The search feature is kept; `serve`/`watch` are left out to build faster.
ensure_mdbook() {
  local version=$1 root=".tools/mdbook-$1"
  local bin="$root/bin/mdbook"
  if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -qx "mdbook v$version"; then
    echo "installing mdbook $version into $root (once; takes a few minutes)" >&2
    cargo install --locked --quiet --no-default-features --features search \
      --root "$root" mdbook --version "$version" >&2
  fi
  printf '%s\n' "$PWD/$bin"
}

# The mdbook-mermaid release the preprocessor-chain test runs beside mdbook-trd.
MERMAID_PINNED=0.17.1

# ensure_mermaid: installs mdbook-mermaid into .tools/mdbook-mermaid-VERSION (once) and prints
# the binary's path.
ensure_mermaid() {
  local root=".tools/mdbook-mermaid-$MERMAID_PINNED"
  local bin="$root/bin/mdbook-mermaid"
  if [ ! -x "$bin" ]; then
    echo "installing mdbook-mermaid $MERMAID_PINNED into $root (once)" >&2
    cargo install --locked --quiet --root "$root" mdbook-mermaid --version "$MERMAID_PINNED" >&2
  fi
  printf '%s\n' "$PWD/$bin"
}

# ensure_chromium: installs Debian's chromium package for the browser test when it is missing.
ensure_chromium() {
  if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    return
  fi
  echo "installing chromium from Debian's packages (for the browser test)" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
  fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
}

# The cargo-fuzz release the fuzz targets are run with.
CARGO_FUZZ_PINNED=0.13.2

# ensure_cargo_fuzz: installs cargo-fuzz into .tools/cargo-fuzz-VERSION (once) and prints the
# folder to put on PATH.
ensure_cargo_fuzz() {
  local root=".tools/cargo-fuzz-$CARGO_FUZZ_PINNED"
  if [ ! -x "$root/bin/cargo-fuzz" ]; then
    echo "installing cargo-fuzz $CARGO_FUZZ_PINNED into $root (once)" >&2
    cargo install --locked --quiet --root "$root" cargo-fuzz --version "$CARGO_FUZZ_PINNED" >&2
  fi
  printf '%s\n' "$PWD/$root/bin"
}
