internal import FalconEvents

extension FalconFieldTable {
  /// `fd.*`: the file or socket the event is about.
  static func fileDescriptorFields() -> [FieldDefinition] {
    typealias Read = @Sendable (borrowing FileDescriptorInfo) -> FieldValue
    func fd(_ name: String, _ type: String, _ description: String, flags: FieldDescriptor.Flags = [], _ read: @escaping Read) -> FieldDefinition {
      // The descriptor is lent in place: copying it out of the event would retain each of
      // its strings for every field read.
      FieldDefinition(name, type, .audit, description, flags: flags) { event in event.withFileDescriptor(read) ?? .none }
    }
    @Sendable func isSocket(_ descriptor: FileDescriptorInfo) -> Bool { descriptor.kind == .ipv4 || descriptor.kind == .ipv6 }
    @Sendable func address(_ endpoint: SocketEndpoint?, _ descriptor: FileDescriptorInfo) -> FieldValue {
      guard isSocket(descriptor), let endpoint else { return .none }
      return .ip(endpoint.address)
    }
    @Sendable func port(_ endpoint: SocketEndpoint?, _ descriptor: FileDescriptorInfo) -> FieldValue {
      guard isSocket(descriptor), let endpoint else { return .none }
      return .uint(UInt64(endpoint.port))
    }
    @Sendable func both(_ descriptor: borrowing FileDescriptorInfo, _ read: (SocketEndpoint) -> FieldValue) -> FieldValue {
      guard isSocket(descriptor) else { return .none }
      switch (descriptor.client, descriptor.server) {
      case (let client?, let server?): return .values([read(client), read(server)])
      case (let client?, nil): return .values([read(client)])
      case (nil, let server?): return .values([read(server)])
      case (nil, nil): return .none
      }
    }
    let network: FieldDescriptor.Flags = [.noRightHandSide, .noTransformer]
    return [
      fd("fd.num", "PT_INT64", "The descriptor number.") { .int($0.number) },
      fd("fd.name", "PT_CHARBUF", "Full name: the file path, or for sockets the connection as client:port->server:port.") { text($0.name) },
      fd("fd.nameraw", "PT_CHARBUF", "The name as the call gave it (the same as fd.name here).") { text($0.name) },
      fd("fd.directory", "PT_CHARBUF", "For files, the directory holding the file.") { descriptor in descriptor.directory.map { .string($0) } ?? .none },
      fd("fd.filename", "PT_CHARBUF", "For files, the file's name without its directory.") { descriptor in descriptor.filename.map { .string($0) } ?? .none },
      fd("fd.typechar", "PT_CHARBUF", "One letter for the descriptor's kind: f file, d directory, 4 or 6 IP socket, u Unix socket, p pipe, ...") { .string(String($0.kind.typeChar)) },
      fd("fd.type", "PT_CHARBUF", "The descriptor's kind: file, directory, ipv4, ipv6, unix, pipe, ...") { .string($0.kind.typeName) },
      fd("fd.ino", "PT_INT64", "Inode number of the file.") { descriptor in descriptor.inode.map { .int(Int64(bitPattern: $0)) } ?? .none },
      fd("fd.dev", "PT_INT32", "Device number of the file.") { descriptor in descriptor.device.map { .int(Int64($0)) } ?? .none },
      fd("fd.l4proto", "PT_CHARBUF", "Transport protocol of a socket: tcp, udp, icmp, raw.") { descriptor in
        descriptor.l4Protocol == .notApplicable ? .none : .string(descriptor.l4Protocol.name)
      },
      fd("fd.sockfamily", "PT_CHARBUF", "Socket family: ip for IPv4 and IPv6 sockets, unix for Unix sockets.") { descriptor in
        switch descriptor.kind {
        case .ipv4, .ipv6: return .string("ip")
        case .unix: return .string("unix")
        default: return .none
        }
      },
      fd("fd.is_server", "PT_BOOL", "True when this end of the connection is the server.") { descriptor in isSocket(descriptor) ? .bool(descriptor.isServer) : .none },
      fd("fd.cip", "PT_IPADDR", "Client address of a connection.") { address($0.client, $0) },
      fd("fd.sip", "PT_IPADDR", "Server address of a connection.") { address($0.server, $0) },
      fd("fd.lip", "PT_IPADDR", "Local address (this process's end).") { address($0.local, $0) },
      fd("fd.rip", "PT_IPADDR", "Remote address (the other end).") { address($0.remote, $0) },
      fd("fd.cport", "PT_PORT", "Client port.") { port($0.client, $0) },
      fd("fd.sport", "PT_PORT", "Server port.") { port($0.server, $0) },
      fd("fd.lport", "PT_PORT", "Local port.") { port($0.local, $0) },
      fd("fd.rport", "PT_PORT", "Remote port.") { port($0.remote, $0) },
      fd("fd.ip", "PT_IPADDR", "Either address of a connection: a comparison holds when the client's or the server's does (filters only).", flags: network) { both($0) { .ip($0.address) } },
      fd("fd.port", "PT_PORT", "Either port of a connection (filters only).", flags: network) { both($0) { .uint(UInt64($0.port)) } },
      fd("fd.net", "PT_IPNET", "Either address of a connection, compared with a network (fd.net = 10.0.0.0/8).", flags: network) { both($0) { .ip($0.address) } },
      fd("fd.cnet", "PT_IPNET", "Client address compared with a network.", flags: network) { address($0.client, $0) },
      fd("fd.snet", "PT_IPNET", "Server address compared with a network.", flags: network) { address($0.server, $0) },
      fd("fd.lnet", "PT_IPNET", "Local address compared with a network.", flags: network) { address($0.local, $0) },
      fd("fd.rnet", "PT_IPNET", "Remote address compared with a network.", flags: network) { address($0.remote, $0) },
      FieldDefinition("fd.connected", "PT_BOOL", .audit, "True when a connect or accept on the socket succeeded in this event.") { event in
        guard let descriptor = event.fd, isSocket(descriptor) || descriptor.kind == .unix else { return .none }
        let name = event.type.name
        return .bool((name == "connect" || name.hasPrefix("accept")) && (event.result ?? -1) >= 0)
      },
      .unavailable("fd.name_changed", "PT_BOOL", "True when the event changed the descriptor's name; needs libsinsp's descriptor table."),
      .unavailable("fd.cip.name", "PT_CHARBUF", "Domain name of the client address; needs a DNS cache.", flags: network),
      .unavailable("fd.sip.name", "PT_CHARBUF", "Domain name of the server address; needs a DNS cache.", flags: network),
      .unavailable("fd.lip.name", "PT_CHARBUF", "Domain name of the local address; needs a DNS cache.", flags: network),
      .unavailable("fd.rip.name", "PT_CHARBUF", "Domain name of the remote address; needs a DNS cache.", flags: network),
      .unavailable("fd.cproto", "PT_CHARBUF", "Service name of the client port; not looked up."),
      .unavailable("fd.sproto", "PT_CHARBUF", "Service name of the server port; not looked up."),
      .unavailable("fd.lproto", "PT_CHARBUF", "Service name of the local port; not looked up."),
      .unavailable("fd.rproto", "PT_CHARBUF", "Service name of the remote port; not looked up."),
      .unavailable("fd.types", "PT_CHARBUF", "Kinds of every descriptor the process has open; needs a descriptor table.", argument: .index(required: false), flags: [.isList, .noRightHandSide]),
      .unavailable("fd.containername", "PT_CHARBUF", "Container ID joined with the descriptor name; not built."),
      .unavailable("fd.containerdirectory", "PT_CHARBUF", "Container ID joined with the directory; not built."),
    ]
  }

  /// `container.*` and `k8s.*`, from the process's cgroups; host processes get Falco's host
  /// values.
  static func containerFields() -> [FieldDefinition] {
    let everyone: FieldSources = .all
    /// Host processes answer `host`; inside a container the runtime's metadata is unknown.
    func hostOr(_ hostValue: FieldValue) -> FieldExtractor {
      { event in event.thread.containerID.isEmpty ? hostValue : .none }
    }
    @Sendable func podUID(_ event: Event) -> FieldValue {
      for entry in event.thread.cgroups {
        guard let range = entry.path.range(of: "pod") else { continue }
        var uid = String(entry.path[range.upperBound...].prefix { $0 != "/" && $0 != "." })
        uid = String(uid.map { $0 == "_" ? "-" : $0 })
        if uid.count >= 32 { return .string(uid) }
      }
      return .none
    }
    return [
      FieldDefinition("container.id", "PT_CHARBUF", everyone, "Short (12-character) container ID from the cgroup path; host for processes outside containers.") { event in
        .string(event.thread.containerID.isEmpty ? "host" : event.thread.containerID)
      },
      FieldDefinition("container.name", "PT_CHARBUF", everyone, "Container name: host outside containers; unknown inside (needs the runtime's API).", hostOr(.string("host"))),
      FieldDefinition("container.type", "PT_CHARBUF", everyone, "Container runtime: host outside containers; unknown inside.", hostOr(.string("host"))),
      FieldDefinition("container.image", "PT_CHARBUF", everyone, "Container image: empty outside containers; unknown inside.", hostOr(.string(""))),
      FieldDefinition("container.image.repository", "PT_CHARBUF", everyone, "Image repository: empty outside containers; unknown inside.", hostOr(.string(""))),
      FieldDefinition("container.image.tag", "PT_CHARBUF", everyone, "Image tag: empty outside containers; unknown inside.", hostOr(.string(""))),
      FieldDefinition("container.image.id", "PT_CHARBUF", everyone, "Image ID: empty outside containers; unknown inside.", hostOr(.string(""))),
      FieldDefinition("container.privileged", "PT_BOOL", everyone, "Whether the container is privileged: false outside containers; unknown inside.", hostOr(.bool(false))),
      FieldDefinition("k8s.pod.uid", "PT_CHARBUF", everyone, "Kubernetes pod UID, from a kubepods cgroup path.", podUID),
      FieldDefinition("k8s.pod.name", "PT_CHARBUF", everyone, "Kubernetes pod name: missing (the cgroup path has only the UID).") { _ in .none },
      FieldDefinition("k8s.ns.name", "PT_CHARBUF", everyone, "Kubernetes namespace: missing (the cgroup path does not name it).") { _ in .none },
      .unavailable("container.full_id", "PT_CHARBUF", "The full 64-character container ID; the cgroup path is shortened by the event model."),
      .unavailable("container.mounts", "PT_CHARBUF", "The container's mounts; needs the runtime's API."),
      .unavailable("container.mount", "PT_CHARBUF", "One mount of the container; needs the runtime's API.", argument: .key(required: true)),
      .unavailable("container.mount.source", "PT_CHARBUF", "Source of a container mount; needs the runtime's API.", argument: .key(required: true)),
      .unavailable("container.mount.dest", "PT_CHARBUF", "Destination of a container mount; needs the runtime's API.", argument: .key(required: true)),
      .unavailable("container.mount.mode", "PT_CHARBUF", "Mode of a container mount; needs the runtime's API.", argument: .key(required: true)),
      .unavailable("container.mount.rdwr", "PT_CHARBUF", "Whether a container mount is writable; needs the runtime's API.", argument: .key(required: true)),
      .unavailable("container.start_ts", "PT_ABSTIME", "When the container started; needs the runtime's API."),
      .unavailable("container.duration", "PT_RELTIME", "How long the container has run; needs the runtime's API."),
      .unavailable("container.healthcheck", "PT_CHARBUF", "The container's health check command; needs the runtime's API."),
      .unavailable("container.ip", "PT_CHARBUF", "The container's address; needs the runtime's API."),
      .unavailable("container.label", "PT_CHARBUF", "A container label; needs the runtime's API.", argument: .key(required: true)),
      .unavailable("container.labels", "PT_CHARBUF", "Every container label; needs the runtime's API."),
      .unavailable("container.host_pid", "PT_BOOL", "Whether the container shares the host's PID namespace; needs the runtime's API."),
      .unavailable("container.host_network", "PT_BOOL", "Whether the container shares the host's network; needs the runtime's API."),
      .unavailable("proc.is_container_healthcheck", "PT_BOOL", "Whether the process is the container's health check; needs the runtime's API."),
      .unavailable("proc.is_container_liveness_probe", "PT_BOOL", "Whether the process is a liveness probe; needs the runtime's API."),
      .unavailable("proc.is_container_readiness_probe", "PT_BOOL", "Whether the process is a readiness probe; needs the runtime's API."),
      .unavailable("k8s.pod.label", "PT_CHARBUF", "A pod label; needs the Kubernetes API.", argument: .key(required: true)),
      .unavailable("k8s.pod.labels", "PT_CHARBUF", "Every pod label; needs the Kubernetes API."),
      .unavailable("k8s.pod.ip", "PT_CHARBUF", "The pod's address; needs the Kubernetes API."),
      .unavailable("k8s.ns.label", "PT_CHARBUF", "A namespace label; needs the Kubernetes API.", argument: .key(required: true)),
    ]
  }
}
