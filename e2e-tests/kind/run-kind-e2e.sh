#!/usr/bin/env bash
# The end-to-end journey on kind, for machines with Docker (CI here has no container engine and runs the local
# e2e instead: LocalKubernetesJourneyTest). Same scenario code as the local e2e (KubernetesJourneyScenario):
#   kind cluster -> Strimzi + a one-node Kafka (KRaft) -> Gateway API + Envoy Gateway -> PostgreSQL ->
#   Jib images to the Docker daemon -> kind load -> helm install of the operator -> the journey (KindJourneyTest):
#   Ready, traffic through the gateway, every order DELIVERED by the carrier simulator (its own namespace,
#   booked through the gateway's egress, webhooks back through the gateway), scale-up, pod deletions with no
#   order lost, deletion garbage-collects.
# Needs on PATH: docker, kind (>= 0.30 for the pinned node image; NetworkPolicies are enforced by kindnet since
# 0.24, which KindEgressWallTest relies on), kubectl, helm; Java 17. Resources: about
# 4.5 CPU of requests and 10 GiB in use on the node with Strimzi, Envoy and PostgreSQL; give Docker >= 6 CPUs and
# 14 GiB (README, "The kind e2e").
# Usage: e2e-tests/kind/run-kind-e2e.sh [--delete-cluster]
#        e2e-tests/kind/run-kind-e2e.sh --check        no Docker: shellcheck, then everything the script applies
#                                                      rendered and validated by a real kube-apiserver
#                                                      (kubectl apply --dry-run=server; KindManifestsTest)
#        e2e-tests/kind/run-kind-e2e.sh --render DIR   writes those manifests to DIR (relative: to the repository
#                                                      root; used by --check)
# Environment: RAMPART_KIND_CLUSTER (default rampart-e2e), KIND_NODE_IMAGE, STRIMZI_VERSION, ENVOY_GATEWAY_VERSION.
# The cluster's kubeconfig is e2e-tests/kind/target/kubeconfig; ~/.kube/config is never touched.
set -euo pipefail
cd "$(dirname "$0")/../.."

CLUSTER="${RAMPART_KIND_CLUSTER:-rampart-e2e}"
# Pinned: Strimzi 0.51 needs Kubernetes >= 1.30.
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-kindest/node:v1.34.0}"
DELETE_CLUSTER=false
MODE=run
case "${1:-}" in
  "") ;;
  --delete-cluster) DELETE_CLUSTER=true ;;
  --check) MODE=check ;;
  --render) MODE=render; RENDER_DIR="${2:?--render needs a directory}" ;;
  *) echo "usage: $0 [--delete-cluster | --check | --render DIR]" >&2; exit 2 ;;
esac
STRIMZI_VERSION="${STRIMZI_VERSION:-0.51.0}"            # matches io.strimzi:api in the root pom
ENVOY_GATEWAY_VERSION="${ENVOY_GATEWAY_VERSION:-v1.5.0}" # any release implementing Gateway API v1.x HTTPRoute
# A tag of its own per run: on a reused cluster, helm upgrade then really rolls the operator.
TAG="kind-$(date +%Y%m%d%H%M%S)"
# The carrier simulator is the third party: KindShop runs it in namespace carrier (KindCarrier).
IMAGES=(ghcr.io/rampart/rampart-operator ghcr.io/rampart/order-service ghcr.io/rampart/user-service
        ghcr.io/rampart/shipping-service ghcr.io/rampart/gateway ghcr.io/rampart/carrier-simulator)
KUBECONFIG_FILE="$(pwd)/e2e-tests/kind/target/kubeconfig"

started=$(date +%s)
step() { printf '\n=== [kind-e2e %4ss] %s\n' "$(( $(date +%s) - started ))" "$*"; }

# Everything the script applies, as functions, so the run and --check/--render use the same text.
kafka_manifests() {
  cat <<'YAML'
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaNodePool
metadata: {name: dual-role, namespace: kafka, labels: {strimzi.io/cluster: rampart-kafka}}
spec: {replicas: 1, roles: [controller, broker], storage: {type: ephemeral}}
---
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: rampart-kafka
  namespace: kafka
  annotations: {strimzi.io/node-pools: enabled, strimzi.io/kraft: enabled}
spec:
  kafka:
    listeners: [{name: plain, port: 9092, type: internal, tls: false}]
    config:
      offsets.topic.replication.factor: 1
      transaction.state.log.replication.factor: 1
      transaction.state.log.min.isr: 1
      default.replication.factor: 1
      min.insync.replicas: 1
  entityOperator:
    topicOperator: {watchedNamespace: shop}
YAML
}
gateway_manifests() {
  cat <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public-gateway, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes: {namespaces: {from: All}}
YAML
}
postgres_manifests() {
  cat <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: postgres, namespace: database}
spec:
  replicas: 1
  selector: {matchLabels: {app: postgres}}
  template:
    metadata: {labels: {app: postgres}}
    spec:
      containers:
        - name: postgres
          image: postgres:16
          env:
            - {name: POSTGRES_USER, value: rampart}
            - {name: POSTGRES_PASSWORD, value: rampart}
            - {name: POSTGRES_DB, value: shop}
            - {name: POSTGRES_INITDB_ARGS, value: "-c max_connections=400"}
          ports: [{containerPort: 5432}]
          # -h: over TCP, so initdb's temporary socket-only server does not count as ready
          readinessProbe: {exec: {command: [pg_isready, -h, 127.0.0.1, -U, rampart]}, periodSeconds: 2}
---
apiVersion: v1
kind: Service
metadata: {name: postgres, namespace: database}
spec: {selector: {app: postgres}, ports: [{port: 5432}]}
YAML
}
# The operator chart's values for this run (helm upgrade --install, and helm template in --render).
CHART_VALUES=(--set image.tag="$TAG" --set image.pullPolicy=IfNotPresent)

render() {
  local dir="$1"
  mkdir -p "$dir"
  kafka_manifests > "$dir/kafka.yaml"
  gateway_manifests > "$dir/gateway.yaml"
  postgres_manifests > "$dir/postgres.yaml"
  "${HELM:-helm}" template rampart charts/rampart-operator --namespace rampart-system "${CHART_VALUES[@]}" \
    > "$dir/operator-chart.yaml"
}

if [ "$MODE" = render ]; then
  render "$RENDER_DIR"
  exit 0
fi
if [ "$MODE" = check ]; then
  step "shellcheck $0"
  command -v shellcheck >/dev/null || { echo "--check needs shellcheck (apt-get install shellcheck)" >&2; exit 1; }
  shellcheck "$0"
  step "render and validate on a local kube-apiserver with the CRDs (KindManifestsTest; no Docker)"
  report=e2e-tests/journey/target/surefire-reports/TEST-dev.rampart.e2e.kube.KindManifestsTest.xml
  rm -f "$report"
  ./mvnw -B -ntp -q -pl e2e-tests/journey -am verify -Dtest=KindManifestsTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dspotless.check.skip=true -Drampart.e2e.kind.check=true -Drampart.test.redirectOutput=false
  ran=$(sed -n 's/.*<testsuite [^>]*tests="\([0-9]*\)".*/\1/p' "$report" 2>/dev/null | head -n 1)
  [ "${ran:-0}" -ge 1 ] || { echo "KindManifestsTest did not run ($report)" >&2; exit 1; }
  step "kind e2e --check passed"
  exit 0
fi

for tool in docker kind kubectl helm java; do
  command -v "$tool" >/dev/null || { echo "kind e2e needs '$tool' on PATH" >&2; exit 1; }
done
docker info >/dev/null 2>&1 || { echo "kind e2e needs a running Docker daemon" >&2; exit 1; }
mkdir -p "$(dirname "$KUBECONFIG_FILE")"
k() { kubectl --kubeconfig "$KUBECONFIG_FILE" "$@"; }
h() { helm --kubeconfig "$KUBECONFIG_FILE" "$@"; }

# On any failure: what a person needs to see. On any exit: the cluster goes if asked.
diagnostics() {
  [ -s "$KUBECONFIG_FILE" ] || return 0
  echo "---- pods"; k get pods -A -o wide || true
  echo "---- events (shop)"; k get events -n shop --sort-by=.lastTimestamp | tail -n 40 || true
  echo "---- MicroserviceSystems"; k get msys -A -o yaml || true
  echo "---- Gateways, HTTPRoutes, KafkaTopics"; k get gateway,httproute,kafkatopic -A -o wide || true
  echo "---- operator log"; k logs -n rampart-system -l app.kubernetes.io/name=rampart-operator --tail=200 || true
  echo "---- topic operator log"
  k logs -n kafka -l strimzi.io/name=rampart-kafka-entity-operator -c topic-operator --tail=100 || true
}
finish() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    step "FAILED (exit $rc): diagnostics"
    diagnostics
  fi
  if [ "$DELETE_CLUSTER" = true ]; then
    step "deleting kind cluster $CLUSTER"
    kind delete cluster --name "$CLUSTER" --kubeconfig "$KUBECONFIG_FILE" || true
  fi
  exit "$rc"
}
trap finish EXIT

step "build and test-compile first (fails fast, before any cluster work)"
./mvnw -B -ntp install -DskipTests

step "kind cluster $CLUSTER ($KIND_NODE_IMAGE)"
if ! kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  kind create cluster --name "$CLUSTER" --image "$KIND_NODE_IMAGE" --kubeconfig "$KUBECONFIG_FILE" --wait 180s
fi
kind get kubeconfig --name "$CLUSTER" > "$KUBECONFIG_FILE"

step "Strimzi $STRIMZI_VERSION and a one-node Kafka (KRaft) in namespace kafka; its topic operator watches 'shop'"
h upgrade --install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "$STRIMZI_VERSION" \
  --namespace kafka --create-namespace --set watchAnyNamespace=true --wait --timeout 10m
k create namespace shop --dry-run=client -o yaml | k apply -f -
kafka_manifests | k apply -f -
k wait kafka/rampart-kafka -n kafka --for=condition=Ready --timeout=15m

step "Gateway API + Envoy Gateway $ENVOY_GATEWAY_VERSION; Gateway infra/public-gateway (the sample's parentRef)"
h upgrade --install eg oci://docker.io/envoyproxy/gateway-helm --version "$ENVOY_GATEWAY_VERSION" \
  --namespace envoy-gateway-system --create-namespace --wait --timeout 10m
k create namespace infra --dry-run=client -o yaml | k apply -f -
gateway_manifests | k apply -f -

step "PostgreSQL in namespace database"
k create namespace database --dry-run=client -o yaml | k apply -f -
postgres_manifests | k apply -f -
k rollout status deployment/postgres -n database --timeout=5m

step "images with Jib (tag $TAG) to the Docker daemon, loaded into kind"
./mvnw -B -ntp -pl operator,services/order,services/user,services/shipping,services/carrier-simulator,gateway \
  jib:dockerBuild -Drampart.image.tag="$TAG"
for image in "${IMAGES[@]}"; do kind load docker-image "$image:$TAG" --name "$CLUSTER"; done

step "helm install the operator"
h upgrade --install rampart charts/rampart-operator --namespace rampart-system --create-namespace \
  "${CHART_VALUES[@]}" --wait --timeout 5m

step "a system left by an earlier run is deleted first (its children are garbage-collected)"
k delete msys --all -n shop --ignore-not-found --wait --timeout=5m

step "the journey (KindJourneyTest: the same scenario as the local e2e), its output shown"
report=e2e-tests/journey/target/surefire-reports/TEST-dev.rampart.e2e.kube.KindJourneyTest.xml
rm -f "$report"
# allowRestrictedHeaders: the journey sends the route's hostname as Host through the port-forward to Envoy
./mvnw -B -ntp -pl e2e-tests/journey test -Dtest=KindJourneyTest -Drampart.test.redirectOutput=false \
  -DargLine=-Djdk.httpclient.allowRestrictedHeaders=host \
  -Drampart.e2e.kind.kubeconfig="$KUBECONFIG_FILE" -Drampart.e2e.kind.imageTag="$TAG" \
  -Drampart.e2e.kind.kafka=rampart-kafka-kafka-bootstrap.kafka:9092 -Drampart.e2e.kind.kafkaCluster=rampart-kafka \
  -Drampart.e2e.kind.jdbcUrl=jdbc:postgresql://postgres.database:5432/shop
# Every step of the scenario must have run: a skipped or filtered class must not read as a pass.
expected=$(grep -cE '^[[:space:]]*@Test[[:space:]]*$' e2e-tests/journey/src/test/java/dev/rampart/e2e/kube/KubernetesJourneyScenario.java)
ran=$(sed -n 's/.*<testsuite [^>]*tests="\([0-9]*\)".*/\1/p' "$report" | head -n 1)
skipped=$(sed -n 's/.*<testsuite [^>]*skipped="\([0-9]*\)".*/\1/p' "$report" | head -n 1)
if [ "${ran:-0}" -lt "$expected" ] || [ "${skipped:-0}" -ne 0 ]; then
  echo "expected $expected journey tests to run, $ran ran and ${skipped:-?} were skipped ($report)" >&2
  exit 1
fi
step "the egress wall (KindEgressWallTest: kindnet enforcing the system's NetworkPolicies)"
wall=e2e-tests/journey/target/surefire-reports/TEST-dev.rampart.e2e.kube.KindEgressWallTest.xml
rm -f "$wall"
./mvnw -B -ntp -pl e2e-tests/journey test -Dtest=KindEgressWallTest -Drampart.test.redirectOutput=false \
  -DargLine=-Djdk.httpclient.allowRestrictedHeaders=host \
  -Drampart.e2e.kind.kubeconfig="$KUBECONFIG_FILE" -Drampart.e2e.kind.imageTag="$TAG" \
  -Drampart.e2e.kind.kafka=rampart-kafka-kafka-bootstrap.kafka:9092 -Drampart.e2e.kind.kafkaCluster=rampart-kafka \
  -Drampart.e2e.kind.jdbcUrl=jdbc:postgresql://postgres.database:5432/shop
wall_expected=$(grep -cE '^[[:space:]]*@Test[[:space:]]*$' e2e-tests/journey/src/test/java/dev/rampart/e2e/kube/KindEgressWallTest.java)
wall_ran=$(sed -n 's/.*<testsuite [^>]*tests="\([0-9]*\)".*/\1/p' "$wall" | head -n 1)
wall_skipped=$(sed -n 's/.*<testsuite [^>]*skipped="\([0-9]*\)".*/\1/p' "$wall" | head -n 1)
if [ "${wall_ran:-0}" -lt "$wall_expected" ] || [ "${wall_skipped:-0}" -ne 0 ]; then
  echo "expected $wall_expected egress wall tests to run, $wall_ran ran and ${wall_skipped:-?} were skipped ($wall)" >&2
  exit 1
fi
step "kind e2e passed: $ran of $expected journey steps, $wall_ran of $wall_expected egress wall steps"
