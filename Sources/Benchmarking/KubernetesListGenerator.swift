internal import PolicyCore

/// Builds a deterministic Kubernetes `PodList` of at least a given size, as `kubectl get pods -o json`
/// would print it (four-space indentation), for benchmarks that need realistic large documents
/// without shipping megabytes of data.
public enum KubernetesListGenerator {
  /// Returns the pretty-printed JSON bytes of a PodList at least `minimumBytes` long.
  public static func podList(minimumBytes: Int) -> [UInt8] {
    var pods: [Value] = []
    var index = 0
    var estimate = 0
    while estimate < minimumBytes {
      let pod = makePod(index)
      // Inside the list each line of a pod is indented two more levels (8 spaces).
      let text = JSONPrinter(options: .init(indent: 4)).bytes(pod)
      estimate += text.count + 8 * (text.count(where: { $0 == UInt8(ascii: "\n") }) + 1) + 2
      pods.append(pod)
      index += 1
    }
    let list: Value = [
      "apiVersion": "v1",
      "kind": "List",
      "items": .array(pods),
      "metadata": ["resourceVersion": ""],
    ]
    return JSONPrinter(options: .init(indent: 4)).bytes(list)
  }

  private static let teams = ["orders", "payments", "catalog", "search", "checkout", "ledger", "auth"]
  private static let images = ["nginx:1.25.3", "redis:7.2.4", "ghcr.io/arctiq/app:2.14.1", "envoyproxy/envoy:v1.29.1"]

  static func makePod(_ index: Int) -> Value {
    let team = teams[index % teams.count]
    let hash = String(UInt32(truncatingIfNeeded: index &* 2_654_435_761), radix: 36)
    let name = "\(team)-\(hash)-\(String(index, radix: 36))"
    let uid = "\(hash)-\(index)-4c6e-9a1b-3e8f2d6c4b\(index % 100)"
    let containers: [Value] = (0..<(1 + index % 3)).map { container in
      [
        "name": .string(container == 0 ? team : "sidecar-\(container)"),
        "image": .string(images[(index + container) % images.count]),
        "imagePullPolicy": "IfNotPresent",
        "ports": [["containerPort": .int(8080 + container), "name": "http", "protocol": "TCP"]],
        "env": [
          ["name": "POD_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.name"]]],
          ["name": "LOG_LEVEL", "value": index % 5 == 0 ? "debug" : "info"],
          ["name": "GREETING", "value": "héllo wörld \"quoted\"\tand tabbed"],
        ],
        "resources": [
          "limits": ["cpu": "500m", "memory": "512Mi"],
          "requests": ["cpu": .string("\(100 + index % 400)m"), "memory": "128Mi"],
        ],
        "securityContext": [
          "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
          "runAsNonRoot": true, "runAsUser": .int(1000 + index % 50),
          "capabilities": ["drop": ["ALL"]],
        ],
        "terminationMessagePath": "/dev/termination-log",
        "volumeMounts": [
          ["mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access", "readOnly": true]
        ],
      ]
    }
    return [
      "apiVersion": "v1",
      "kind": "Pod",
      "metadata": [
        "name": .string(name),
        "namespace": .string(index % 4 == 0 ? "kube-system" : "shop"),
        "uid": .string(uid),
        "resourceVersion": .string(String(1_000_000 + index * 37)),
        "creationTimestamp": "2026-11-26T21:58:03Z",
        "generateName": .string("\(team)-\(hash)-"),
        "labels": ["app": .string(team), "pod-template-hash": .string(hash), "tier": "backend"],
        "annotations": [
          "kubectl.kubernetes.io/restartedAt": "2026-11-20T10:00:00Z",
          "prometheus.io/scrape": index % 2 == 0 ? "true" : "false",
        ],
        "ownerReferences": [
          [
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string("\(team)-\(hash)"),
            "uid": .string(uid), "controller": true, "blockOwnerDeletion": true,
          ]
        ],
      ],
      "spec": [
        "containers": .array(containers),
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": true,
        "nodeName": .string("node-\(index % 12)"),
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "serviceAccountName": .string(team),
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
          ["effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300]
        ],
        "volumes": [
          [
            "name": "kube-api-access",
            "projected": ["defaultMode": 420, "sources": [["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]]]],
          ]
        ],
      ],
      "status": [
        "phase": "Running",
        "podIP": .string("10.42.\(index % 256).\(index / 256 % 256)"),
        "hostIP": .string("192.0.2.\(index % 12)"),
        "qosClass": "Burstable",
        "startTime": "2026-11-26T21:58:03Z",
        "conditions": [
          ["type": "Ready", "status": "True", "lastTransitionTime": "2026-11-26T21:58:09Z", "lastProbeTime": .null],
          ["type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-11-26T21:58:03Z", "lastProbeTime": .null],
        ],
        "containerStatuses": .array(containers.enumerated().map { offset, container in
          [
            "name": container["name"], "image": container["image"], "ready": true,
            "restartCount": .int(index % 3), "started": true,
            "containerID": .string("containerd://\(hash)\(offset)0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
            "state": ["running": ["startedAt": "2026-11-26T21:58:08Z"]],
            "cpuShare": .number(Number(literal: "0.\(25 + index % 70)") ?? 0),
          ]
        }),
      ],
    ]
  }
}
