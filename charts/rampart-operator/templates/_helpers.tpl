{{/* Chart name, truncated to the 63 characters a label value may hold. */}}
{{- define "rampart-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects: <release>-rampart-operator, or the release name if it holds the chart name. */}}
{{- define "rampart-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rampart-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "rampart-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rampart-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "rampart-operator.labels" -}}
helm.sh/chart: {{ include "rampart-operator.chart" . }}
{{ include "rampart-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: rampart
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "rampart-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rampart-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rampart-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The leader-election Lease, one per release: two releases in one namespace never share it. */}}
{{- define "rampart-operator.leaseName" -}}
{{- printf "%s-leader" (include "rampart-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The operator's rights on namespaced objects: exactly what it does, nothing more. The same rules go into the
ClusterRole (all namespaces) or into one Role per watched namespace. Owned children are written with
server-side apply: an apply that creates an object is authorised as both "patch" and "create"; children no
longer desired (a removed service, the Ingress once the Gateway API appears) are deleted; JOSDK's informers
list and watch them. No "get" and no "update": reads come from the informer caches, writes are applies.
*/}}
{{- define "rampart-operator.namespacedRules" -}}
# The primary resource: JOSDK's informer lists and watches MicroserviceSystems; it adds and removes its
# finalizer with a PATCH (a GET to retry on a conflict). The finalizer lets retained topics be unmanaged
# before the garbage collector deletes their KafkaTopics with the system; every child is still
# garbage-collected through its ownerReference, so no microservicesystems/finalizers.
- apiGroups: ["rampart.dev"]
  resources: ["microservicesystems"]
  verbs: ["get", "list", "watch", "patch"]
# The status roll-up, written with server-side apply (a PATCH of the status subresource).
- apiGroups: ["rampart.dev"]
  resources: ["microservicesystems/status"]
  verbs: ["patch"]
# Per service: its Deployment (and the gateway's).
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Per service: a ClusterIP Service (gRPC; the gateway's is HTTP) and the ServiceAccount its pods run as.
- apiGroups: [""]
  resources: ["services", "serviceaccounts"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Per service: a Role (pods get/list/watch, for Akka's kubernetes-api discovery) and its RoleBinding.
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Per service: a PodDisruptionBudget (maxUnavailable 1).
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Per autoscaled service: a HorizontalPodAutoscaler (autoscaling/v2) that owns the Deployment's replicas.
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# The system's wall (NetworkPolicies) and the gateway's Ingress where the Gateway API is absent.
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies", "ingresses"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# A Strimzi KafkaTopic per declared topic (only where the KafkaTopic CRD exists).
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkatopics"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# The gateway's HTTPRoute where the Gateway API exists.
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Pods: the operator watches the systems' pods (list/watch: stuck pods, and which pods to ask for their Akka
# membership) and patches one annotation of the service pods, controller.kubernetes.io/pod-deletion-cost (the
# Akka oldest costs most, so the ReplicaSet controller deletes it last). get is here only because the
# per-service Roles grant pods get/list/watch, and Kubernetes lets nobody grant a right it does not hold (RBAC
# escalation prevention); the services themselves only read pods. Nothing else on pods: no create, update,
# delete, exec, log, status.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "patch"]
# The Secrets and ConfigMaps a system references, hashed onto the pod template (a config change rolls
# the pods). Watched, so a change rolls within seconds and no reconcile reads them with a GET: an
# informer lists and watches them. Users' Secrets carry no label of ours, so no selector can narrow
# the watch to the referenced ones. No get, no writes.
- apiGroups: [""]
  resources: ["secrets", "configmaps"]
  verbs: ["list", "watch"]
# Events on a MicroserviceSystem (kubectl describe msys tells what the operator did).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/*
The operator's rights on cluster-scoped objects: whether the optional CRDs (Strimzi KafkaTopic, Gateway API
HTTPRoute) are installed decides whether their children are made. Those two only: the KafkaTopic CRD read by
name; the HTTPRoute CRD watched by name (a metadata.name field selector, which RBAC matches against
resourceNames), so its arrival or departure switches the route between HTTPRoute and Ingress at once.
*/}}
{{- define "rampart-operator.clusterRules" -}}
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  resourceNames: ["kafkatopics.kafka.strimzi.io"]
  verbs: ["get"]
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  resourceNames: ["httproutes.gateway.networking.k8s.io"]
  verbs: ["list", "watch"]
{{- end }}
