package arctiq.admission_test

import rego.v1

import data.arctiq.admission

exec_request := {"request": {
	"uid": "u1",
	"operation": "CONNECT",
	"kind": {"kind": "PodExecOptions"},
	"resource": {"resource": "pods"},
	"subResource": "exec",
	"namespace": "shop",
	"name": "orders-1",
	"object": {"command": ["/bin/sh"]},
}}

flagged := {"shop": {"orders-1": {"rule": "Process outside allowed list", "priority": "WARNING", "proc": "nc -e /bin/sh"}}}

pod(spec, labels) := {"request": {
	"uid": "u2",
	"operation": "CREATE",
	"kind": {"kind": "Pod"},
	"resource": {"resource": "pods"},
	"namespace": "shop",
	"name": "orders-2",
	"object": {"metadata": {"labels": labels}, "spec": spec},
}}

good_labels := {"team": "shop", "service": "orders", "env": "prod"}

test_exec_into_flagged_pod_denied if {
	resp := admission.response with input as exec_request with data.falcon.flagged_pods as flagged
	resp.allowed == false
	contains(resp.status.message, "exec into shop/orders-1 denied")
}

test_exec_into_clean_pod_allowed if {
	resp := admission.response with input as exec_request with data.falcon.flagged_pods as {}
	resp.allowed == true
}

test_attach_counts_as_exec if {
	req := object.union(exec_request, {"request": {"subResource": "attach"}})
	count(admission.deny) == 1 with input as req with data.falcon.flagged_pods as flagged
}

test_privileged_container_denied if {
	spec := {"containers": [{"name": "app", "securityContext": {"privileged": true}}]}
	admission.deny == {"container \"app\" is privileged"} with input as pod(spec, good_labels)
}

test_privileged_init_container_denied if {
	spec := {"containers": [{"name": "app"}], "initContainers": [{"name": "setup", "securityContext": {"privileged": true}}]}
	"container \"setup\" is privileged" in admission.deny with input as pod(spec, good_labels)
}

test_missing_labels_denied if {
	spec := {"containers": [{"name": "app"}]}
	admission.deny == {"missing labels required for cost attribution: env, service"} with input as pod(spec, {"team": "shop"})
}

test_deployment_template_labels_checked if {
	req := {"request": {
		"uid": "u3", "operation": "CREATE", "kind": {"kind": "Deployment"}, "resource": {"resource": "deployments"},
		"object": {"spec": {"template": {"metadata": {"labels": good_labels}, "spec": {"containers": [{"name": "app"}]}}}},
	}}
	count(admission.deny) == 0 with input as req
}

test_compliant_pod_allowed if {
	spec := {"containers": [{"name": "app", "securityContext": {"privileged": false}}]}
	resp := admission.review with input as pod(spec, good_labels)
	resp.response == {"uid": "u2", "allowed": true}
}
