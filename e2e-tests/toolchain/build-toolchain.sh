#!/usr/bin/env bash
# Builds the local Kubernetes toolchain from the Go module proxy (no Docker, no release downloads):
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, helm and grpcurl, each with real version
# ldflags, into a version-keyed cache; then lays etcd/kube-apiserver/kubectl out where fabric8
# kube-api-test looks for them offline. Idempotent: a binary already in the cache is not rebuilt.
set -euo pipefail

K8S_VERSION="${RAMPART_K8S_VERSION:-1.34.4}"
ETCD_VERSION="${RAMPART_ETCD_VERSION:-3.6.16}"
HELM_VERSION="${RAMPART_HELM_VERSION:-3.22.0}"
GRPCURL_VERSION="${RAMPART_GRPCURL_VERSION:-1.9.3}"
CACHE="${RAMPART_TOOLCHAIN_CACHE:-$HOME/.cache/rampart}"
KUBEAPITEST_DIR="$HOME/.kubeapitest/k8s/${K8S_VERSION}-linux-amd64"

started=$(date +%s)
say() { printf '[toolchain %4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }
die() { printf '[toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is not installed (need go >= 1.24 on PATH). Install it (e.g. 'apt-get install golang-go' or from your distribution) and re-run."
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false}"
proxy=$(go env GOPROXY)
[ "$proxy" != "off" ] || die "GOPROXY is 'off': the toolchain is built from the Go module proxy. Set GOPROXY (default https://proxy.golang.org,direct)."

k8s_dir="$CACHE/k8s/$K8S_VERSION"
etcd_dir="$CACHE/etcd/$ETCD_VERSION"
helm_dir="$CACHE/helm/$HELM_VERSION"
grpcurl_dir="$CACHE/grpcurl/$GRPCURL_VERSION"
mkdir -p "$k8s_dir" "$etcd_dir" "$helm_dir" "$grpcurl_dir"

build_dir() { local d="$CACHE/build/$1"; mkdir -p "$d"; echo "$d"; }

# --- Kubernetes -------------------------------------------------------------------------------------------
k8s_bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
missing=()
for b in "${k8s_bins[@]}"; do [ -x "$k8s_dir/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ]; then
  say "Kubernetes v$K8S_VERSION: cached in $k8s_dir"
else
  say "Kubernetes v$K8S_VERSION: building ${missing[*]} (cold build takes several minutes on 2 cores)"
  w=$(build_dir "k8s-$K8S_VERSION")
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging/src/...;
  # a consumer must replace each with its published v0.<minor>.<patch>. Derive the list from that go.mod.
  modjson=$(cd "$w" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$K8S_VERSION") \
    || die "cannot fetch k8s.io/kubernetes@v$K8S_VERSION from the Go module proxy ($proxy)"
  gomod=$(printf '%s' "$modjson" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
  [ -f "$gomod" ] || die "go mod download gave no go.mod for k8s.io/kubernetes@v$K8S_VERSION"
  staging_version="v0.${K8S_VERSION#1.}"
  go_line=$(grep -m1 '^go ' "$gomod")
  {
    echo "module rampart.dev/toolchain/k8s"
    echo
    echo "$go_line"
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    echo "replace ("
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" \
      | awk -v v="$staging_version" '{print "\t" $1 " => " $1 " " v}'
    echo ")"
  } > "$w/go.mod"
  {
    echo "//go:build tools"
    echo
    echo "// Package tools pins the Kubernetes commands this module builds."
    echo "package tools"
    echo
    echo "import ("
    for b in "${k8s_bins[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$b\""; done
    echo ")"
  } > "$w/tools.go"
  say "  wrapper module: $(grep -c ' => ' "$w/go.mod") staging replaces at $staging_version; resolving modules"
  (cd "$w" && go mod tidy) || die "go mod tidy failed for the Kubernetes wrapper module in $w"
  minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=$now"
  done
  for b in "${missing[@]}"; do
    say "  go build $b"
    (cd "$w" && go build -trimpath -ldflags "$ld" -o "$k8s_dir/$b.tmp" "k8s.io/kubernetes/cmd/$b") \
      || die "go build of $b failed"
    mv "$k8s_dir/$b.tmp" "$k8s_dir/$b"
  done
fi

# --- etcd -------------------------------------------------------------------------------------------------
if [ -x "$etcd_dir/etcd" ]; then
  say "etcd v$ETCD_VERSION: cached in $etcd_dir"
else
  say "etcd v$ETCD_VERSION: building"
  w=$(build_dir "etcd-$ETCD_VERSION")
  cat > "$w/main.go" <<'GO'
// Command etcd is the etcd server, built from go.etcd.io/etcd/server/v3 (its own main lives in a module
// that is not meant to be required).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  printf 'module rampart.dev/toolchain/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 v%s\n' "$ETCD_VERSION" > "$w/go.mod"
  (cd "$w" && go mod tidy) || die "go mod tidy failed for the etcd wrapper module in $w"
  (cd "$w" && go build -trimpath -ldflags "-s -w" -o "$etcd_dir/etcd.tmp" .) || die "go build of etcd failed"
  mv "$etcd_dir/etcd.tmp" "$etcd_dir/etcd"
fi

# --- helm -------------------------------------------------------------------------------------------------
if [ -x "$helm_dir/helm" ]; then
  say "helm v$HELM_VERSION: cached in $helm_dir"
else
  say "helm v$HELM_VERSION: building"
  GOBIN="$helm_dir/.bin" go install -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" || die "go install of helm v$HELM_VERSION failed"
  mv "$helm_dir/.bin/helm" "$helm_dir/helm"; rmdir "$helm_dir/.bin"
fi

# --- grpcurl (the tests call the services with it as a real gRPC client would: reflection, grpc.health.v1) -----
if [ -x "$grpcurl_dir/grpcurl" ]; then
  say "grpcurl v$GRPCURL_VERSION: cached in $grpcurl_dir"
else
  say "grpcurl v$GRPCURL_VERSION: building"
  GOBIN="$grpcurl_dir/.bin" go install -trimpath -ldflags "-s -w -X main.version=v$GRPCURL_VERSION" \
    "github.com/fullstorydev/grpcurl/cmd/grpcurl@v$GRPCURL_VERSION" || die "go install of grpcurl v$GRPCURL_VERSION failed"
  mv "$grpcurl_dir/.bin/grpcurl" "$grpcurl_dir/grpcurl"; rmdir "$grpcurl_dir/.bin"
fi

# --- layout for kube-api-test -----------------------------------------------------------------------------
mkdir -p "$KUBEAPITEST_DIR"
for b in kube-apiserver kubectl; do cp -f "$k8s_dir/$b" "$KUBEAPITEST_DIR/$b"; done
cp -f "$etcd_dir/etcd" "$KUBEAPITEST_DIR/etcd"
{
  echo "K8S_VERSION=$K8S_VERSION"
  echo "K8S_BIN=$k8s_dir"
  echo "ETCD_BIN=$etcd_dir"
  echo "HELM_BIN=$helm_dir"
  echo "GRPCURL_BIN=$grpcurl_dir"
  echo "KUBEAPITEST_DIR=$KUBEAPITEST_DIR"
} > "$CACHE/toolchain.env"

say "kubectl:        $("$k8s_dir/kubectl" version --client 2>/dev/null | head -1)"
say "kube-apiserver: $("$k8s_dir/kube-apiserver" --version)"
say "etcd:           $("$etcd_dir/etcd" --version | head -1)"
say "helm:           $("$helm_dir/helm" version --short)"
say "grpcurl:        $("$grpcurl_dir/grpcurl" -version 2>&1)"
say "kube-api-test layout: $KUBEAPITEST_DIR; summary in $CACHE/toolchain.env"
say "done in $(( $(date +%s) - started ))s"
