/// The file descriptor an event is about: the file an `openat` opened, the socket a `connect`
/// used. Falco's `fd.*` fields read it.
public struct FileDescriptorInfo: Sendable, Hashable {
  /// The descriptor number (`fd.num`); -1 when the call failed or the number is unknown.
  public var number: Int64
  /// What the descriptor refers to (`fd.type`, `fd.typechar`).
  public var kind: FileDescriptorKind
  /// `fd.name`: the absolute path of a file or directory, `client->server` for a connected IP
  /// socket (`127.0.0.1:43512->127.0.0.1:80`), the path of a Unix socket.
  public var name: String
  /// The transport protocol of a socket (`fd.l4proto`).
  public var l4Protocol: L4Protocol
  /// The connecting side of an IP socket (`fd.cip`, `fd.cport`), when known.
  public var client: SocketEndpoint?
  /// The listening side of an IP socket (`fd.sip`, `fd.sport`), when known.
  public var server: SocketEndpoint?
  /// Whether this process is the server side (`fd.is_server`): it bound or accepted the socket.
  public var isServer: Bool
  /// The device number of a file (`fd.dev`), in the kernel's `new_encode_dev` form.
  public var device: UInt32?
  /// The inode number of a file (`fd.ino`).
  public var inode: UInt64?

  /// Creates descriptor information.
  public init(
    number: Int64, kind: FileDescriptorKind, name: String, l4Protocol: L4Protocol = .notApplicable,
    client: SocketEndpoint? = nil, server: SocketEndpoint? = nil, isServer: Bool = false,
    device: UInt32? = nil, inode: UInt64? = nil
  ) {
    self.number = number
    self.kind = kind
    self.name = name
    self.l4Protocol = l4Protocol
    self.client = client
    self.server = server
    self.isServer = isServer
    self.device = device
    self.inode = inode
  }

  /// `fd.directory`: the directory part of a file's name (the name itself for a directory),
  /// nil for sockets and other kinds.
  public var directory: String? {
    switch kind {
    case .directory: return name
    case .file:
      guard let slash = name.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
      if slash == name.utf8.startIndex { return "/" }
      return String(name[name.startIndex..<slash])
    default: return nil
    }
  }

  /// `fd.filename`: the last path component of a file's name, nil for other kinds.
  public var filename: String? {
    guard kind == .file else { return nil }
    guard let slash = name.utf8.lastIndex(of: UInt8(ascii: "/")) else { return name }
    return String(name[name.utf8.index(after: slash)...])
  }

  /// The local side of an IP socket (`fd.lip`, `fd.lport`).
  public var local: SocketEndpoint? { isServer ? server : client }
  /// The remote side of an IP socket (`fd.rip`, `fd.rport`).
  public var remote: SocketEndpoint? { isServer ? client : server }
}
