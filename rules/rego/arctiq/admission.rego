# Arctiq admission control: denies `kubectl exec` into pods that Falcon flagged, privileged
# containers, and workloads without the labels cost attribution needs; allows the rest.
package arctiq.admission

import rego.v1

# Labels every workload carries so its cost can be attributed.
required_labels := {"team", "service", "env"}

# METADATA
# title: Admission decision
# description: The AdmissionReview response a validating webhook returns.
# entrypoint: true
review := {
	"apiVersion": "admission.k8s.io/v1",
	"kind": "AdmissionReview",
	"response": response,
}

response := {"uid": input.request.uid, "allowed": true} if count(deny) == 0

response := {
	"uid": input.request.uid,
	"allowed": false,
	"status": {"code": 403, "reason": "Forbidden", "message": concat("; ", sort(deny))},
} if count(deny) > 0

# kubectl exec and attach reach admission as CONNECT on the pods/exec (pods/attach) subresource.
is_exec if {
	input.request.operation == "CONNECT"
	input.request.resource.resource == "pods"
	input.request.subResource in {"exec", "attach"}
}

deny contains msg if {
	is_exec
	finding := data.falcon.flagged_pods[input.request.namespace][input.request.name]
	msg := sprintf(
		"%s into %s/%s denied: Falcon flagged the pod (%s, %s: %s)",
		[input.request.subResource, input.request.namespace, input.request.name, finding.rule, finding.priority, finding.proc],
	)
}

pod_spec := input.request.object.spec if input.request.kind.kind == "Pod"

pod_spec := input.request.object.spec.template.spec if input.request.kind.kind in workload_kinds

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

containers contains container if {
	some field in ["containers", "initContainers", "ephemeralContainers"]
	some container in pod_spec[field]
}

deny contains msg if {
	input.request.operation in {"CREATE", "UPDATE"}
	some container in containers
	container.securityContext.privileged == true
	msg := sprintf("container %q is privileged", [container.name])
}

labels := input.request.object.metadata.labels if input.request.kind.kind == "Pod"

labels := input.request.object.spec.template.metadata.labels if input.request.kind.kind in workload_kinds

deny contains msg if {
	input.request.operation in {"CREATE", "UPDATE"}
	input.request.kind.kind in workload_kinds | {"Pod"}
	missing := required_labels - {key | some key, _ in object.get(labels, [], {})}
	count(missing) > 0
	msg := sprintf("missing labels required for cost attribution: %s", [concat(", ", sort(missing))])
}
