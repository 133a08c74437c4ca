/// Arguments and file descriptor of a system-call event, shaped after libsinsp's event table
/// (the exit event's parameters, in its order) from what audit records carry.
///
/// Audit logs the first four argument registers (`a0`-`a3`) as raw numbers, the file names the
/// call looked up (`PATH`), the socket address it passed (`SOCKADDR`) and the result. Pointer
/// arguments are known only through those records, so a parameter audit cannot see (the data of
/// a `write`, the fifth argument of `renameat2`) is left out rather than invented.
///
/// | call | arguments |
/// |---|---|
/// | execve, execveat | res, exe, args, tid, pid, ptid, cwd, tty, comm, loginuid, uid, gid, cap_inheritable, cap_permitted, cap_effective, trusted_exepath, filename |
/// | open | fd, name, flags, mode, dev, ino |
/// | openat, openat2 | fd, dirfd, name, flags, mode, dev, ino (openat2: flags, mode, resolve from OPENAT2) |
/// | creat | fd, name, mode, dev, ino |
/// | connect | res, tuple, fd, addr |
/// | bind | res, addr, fd |
/// | accept, accept4 | fd, tuple (accept4: flags) |
/// | socket | fd, domain, type, proto |
/// | set*uid, set*gid | res, the IDs |
/// | ptrace | res, addr, data, request, pid |
/// | chmod, fchmodat, fchmod | res, (dirfd,) filename or fd, mode |
/// | unlink, unlinkat, rmdir | res, (dirfd,) path or name, (flags) |
/// | rename, renameat, renameat2 | res, (olddirfd,) oldpath, (newdirfd,) newpath |
/// | mkdir, mkdirat | res, (dirfd,) path, mode |
/// | init_module, finit_module, delete_module | res, length or fd, flags |
/// | write | res, fd, size |
/// | kill, tkill | res, pid, sig |
/// | anything else | ID, nativeID (libsinsp's generic event) |
enum AuditSyscallArguments {
  /// `AT_FDCWD` as a 32-bit register value.
  private static let atFdcwd: Int64 = -100

  /// The argument layouts, one per family of calls in the table above.
  private enum Shape {
    case exec, open, connect, bind, accept, socket, setid, setids, ptrace, chmod, fchmodat
    case fchmod, unlink, unlinkat, rename, mkdir, initModule, finitModule, deleteModule, write
    case kill
  }

  /// Call names to layouts: one hash lookup per event instead of a long string `switch`.
  private static let shapes: [String: Shape] = [
    "execve": .exec, "execveat": .exec, "open": .open, "openat": .open, "openat2": .open,
    "creat": .open, "connect": .connect, "bind": .bind, "accept": .accept, "accept4": .accept,
    "socket": .socket, "setuid": .setid, "setuid32": .setid, "setgid": .setid,
    "setgid32": .setid, "setreuid": .setids, "setreuid32": .setids, "setresuid": .setids,
    "setresuid32": .setids, "setregid": .setids, "setregid32": .setids, "setresgid": .setids,
    "setresgid32": .setids, "ptrace": .ptrace, "chmod": .chmod, "fchmodat": .fchmodat,
    "fchmod": .fchmod, "unlink": .unlink, "rmdir": .unlink, "unlinkat": .unlinkat,
    "rename": .rename, "renameat": .rename, "renameat2": .rename, "mkdir": .mkdir,
    "mkdirat": .mkdir, "init_module": .initModule, "finit_module": .finitModule,
    "delete_module": .deleteModule, "write": .write, "kill": .kill, "tkill": .kill,
  ]

  static func build(
    name: String?, summary: AuditSyscallSummary, thread: ThreadInfo, argv: [String]?,
    paths: [AuditPathItem], sockaddr: SocketAddress?
  ) -> (arguments: EventArguments, fd: FileDescriptorInfo?) {
    var arguments = EventArguments()
    arguments.reserveCapacity(8)
    let result = summary.exit ?? 0
    let cwd = thread.cwd.isEmpty ? nil : thread.cwd

    func register(_ value: UInt64?) -> UInt64 { value ?? 0 }
    /// A descriptor register: the low 32 bits, sign-extended (`ffffff9c` is `AT_FDCWD`).
    func descriptor(_ value: UInt64?) -> Int64 { Int64(Int32(truncatingIfNeeded: value ?? 0)) }
    func path(_ item: AuditPathItem?, dirfd: Int64?) -> String {
      guard let name = item?.name else { return "" }
      return AuditPathResolution.resolve(
        name, cwd: cwd, relativeToCwd: dirfd == nil || dirfd == atFdcwd)
    }
    func item(_ types: [AuditPathItem.NameType]) -> AuditPathItem? {
      for type in types {
        if let match = paths.first(where: { $0.nameType == type }) { return match }
      }
      return nil
    }
    /// The object a file call used: what it created, else the existing object, else the first
    /// name that is not a parent directory.
    func target() -> AuditPathItem? {
      item([.create, .normal]) ?? paths.first { $0.nameType != .parent } ?? paths.first
    }
    func fileDescriptor(number: Int64, item: AuditPathItem?, name: String) -> FileDescriptorInfo {
      FileDescriptorInfo(
        number: number, kind: item?.isDirectory == true ? .directory : .file, name: name,
        device: item?.device, inode: item?.inode)
    }

    switch name.flatMap({ shapes[$0] }) {
    case .exec:
      arguments.append("res", .errno(result))
      if let argv {
        arguments.append("exe", .string(argv.first ?? ""))
        var block: [UInt8] = []
        for argument in argv.dropFirst() {
          block.append(contentsOf: argument.utf8)
          block.append(0)
        }
        arguments.append("args", .bytes(block))
      }
      arguments.append("tid", .pid(thread.tid))
      arguments.append("pid", .pid(thread.pid))
      arguments.append("ptid", .pid(thread.ppid))
      arguments.append("cwd", .string(thread.cwd))
      arguments.append("comm", .string(thread.name))
      arguments.append("tty", .uint(UInt64(thread.tty)))
      arguments.append("loginuid", .uid(thread.loginUID))
      arguments.append("uid", .uid(thread.euid))
      arguments.append("gid", .gid(thread.egid))
      if let caps = thread.capInheritable { arguments.append("cap_inheritable", .uint(caps)) }
      if let caps = thread.capPermitted { arguments.append("cap_permitted", .uint(caps)) }
      if let caps = thread.capEffective { arguments.append("cap_effective", .uint(caps)) }
      arguments.append("trusted_exepath", .path(thread.exePath))
      let dirfd = name == "execveat" ? descriptor(summary.a0) : nil
      if name == "execveat" {
        arguments.append("dirfd", .fd(dirfd ?? atFdcwd))
        arguments.append("flags", .flags(UInt32(truncatingIfNeeded: register(summary.a3))))
      }
      arguments.append(
        "filename", .path(path(paths.first { $0.item == 0 } ?? paths.first, dirfd: dirfd)))
      return (arguments, nil)

    case .open:
      let dirfd: Int64? = name == "openat" || name == "openat2" ? descriptor(summary.a0) : nil
      let object = target()
      let resolved = path(object, dirfd: dirfd)
      arguments.append("fd", .fd(result))
      if let dirfd { arguments.append("dirfd", .fd(dirfd)) }
      arguments.append("name", .path(resolved))
      switch name {
      case "open":
        arguments.append("flags", .flags(UInt32(truncatingIfNeeded: register(summary.a1))))
        arguments.append("mode", .mode(UInt32(truncatingIfNeeded: register(summary.a2))))
      case "openat":
        arguments.append("flags", .flags(UInt32(truncatingIfNeeded: register(summary.a2))))
        arguments.append("mode", .mode(UInt32(truncatingIfNeeded: register(summary.a3))))
      case "creat":
        arguments.append("mode", .mode(UInt32(truncatingIfNeeded: register(summary.a1))))
      case "openat2":
        // The flags live in `struct open_how`, which the kernel logs in an OPENAT2 record.
        if let flags = summary.openHow.flags {
          arguments.append("flags", .flags(UInt32(truncatingIfNeeded: flags)))
        }
        if let mode = summary.openHow.mode {
          arguments.append("mode", .mode(UInt32(truncatingIfNeeded: mode)))
        }
        if let resolve = summary.openHow.resolve {
          arguments.append("resolve", .flags(UInt32(truncatingIfNeeded: resolve)))
        }
      default:
        break
      }
      if let device = object?.device { arguments.append("dev", .uint(UInt64(device))) }
      if let inode = object?.inode { arguments.append("ino", .uint(inode)) }
      return (
        arguments, fileDescriptor(number: result >= 0 ? result : -1, item: object, name: resolved)
      )

    case .connect:
      let fd = descriptor(summary.a0)
      arguments.append("res", .errno(result))
      if let sockaddr {
        arguments.append("tuple", .socketTuple(SocketTuple(source: nil, destination: sockaddr)))
      }
      arguments.append("fd", .fd(fd))
      if let sockaddr { arguments.append("addr", .socketAddress(sockaddr)) }
      return (arguments, sockaddr.map { socketDescriptor(fd, $0, role: .client) })

    case .bind:
      let fd = descriptor(summary.a0)
      arguments.append("res", .errno(result))
      if let sockaddr { arguments.append("addr", .socketAddress(sockaddr)) }
      arguments.append("fd", .fd(fd))
      return (arguments, sockaddr.map { socketDescriptor(fd, $0, role: .bound) })

    case .accept:
      arguments.append("fd", .fd(result))
      if let sockaddr {
        arguments.append("tuple", .socketTuple(SocketTuple(source: sockaddr, destination: nil)))
      }
      if name == "accept4" {
        arguments.append("flags", .flags(UInt32(truncatingIfNeeded: register(summary.a3))))
      }
      return (
        arguments, sockaddr.map { socketDescriptor(result >= 0 ? result : -1, $0, role: .accepted) }
      )

    case .socket:
      let domain = UInt32(truncatingIfNeeded: register(summary.a0))
      let type = UInt32(truncatingIfNeeded: register(summary.a1))
      arguments.append("fd", .fd(result))
      arguments.append("domain", .flags(domain))
      arguments.append("type", .uint(UInt64(type)))
      arguments.append("proto", .uint(register(summary.a2)))
      let kind: FileDescriptorKind
      switch domain {
      case 1: kind = .unix
      case 2: kind = .ipv4
      case 10: kind = .ipv6
      case 16: kind = .netlink
      default: kind = .unknown
      }
      var l4: L4Protocol = .notApplicable
      if kind == .ipv4 || kind == .ipv6 {
        switch type & 0xF {
        case 1: l4 = .tcp
        case 2: l4 = .udp
        case 3: l4 = .raw
        default: l4 = .unknown
        }
      }
      return (
        arguments,
        FileDescriptorInfo(number: result >= 0 ? result : -1, kind: kind, name: "", l4Protocol: l4)
      )

    case .setid:
      arguments.append("res", .errno(result))
      let id = UInt32(truncatingIfNeeded: register(summary.a0))
      if name?.hasPrefix("setuid") == true {
        arguments.append("uid", .uid(id))
      } else {
        arguments.append("gid", .gid(id))
      }
      return (arguments, nil)

    case .setids:
      arguments.append("res", .errno(result))
      let isUser = name?.contains("uid") == true
      let names = isUser ? ["ruid", "euid", "suid"] : ["rgid", "egid", "sgid"]
      let registers = [summary.a0, summary.a1, summary.a2]
      let count = name?.hasPrefix("setres") == true ? 3 : 2
      for index in 0..<count {
        let id = UInt32(truncatingIfNeeded: register(registers[index]))
        arguments.append(names[index], isUser ? .uid(id) : .gid(id))
      }
      return (arguments, nil)

    case .ptrace:
      arguments.append("res", .errno(result))
      arguments.append("addr", .uint(register(summary.a2)))
      arguments.append("data", .uint(register(summary.a3)))
      arguments.append("request", .flags(UInt32(truncatingIfNeeded: register(summary.a0))))
      arguments.append("pid", .pid(descriptor(summary.a1)))
      return (arguments, nil)

    case .chmod:
      arguments.append("res", .errno(result))
      arguments.append("filename", .path(path(target(), dirfd: nil)))
      arguments.append("mode", .mode(UInt32(truncatingIfNeeded: register(summary.a1))))
      return (arguments, nil)

    case .fchmodat:
      let dirfd = descriptor(summary.a0)
      arguments.append("res", .errno(result))
      arguments.append("dirfd", .fd(dirfd))
      arguments.append("filename", .path(path(target(), dirfd: dirfd)))
      arguments.append("mode", .mode(UInt32(truncatingIfNeeded: register(summary.a2))))
      return (arguments, nil)

    case .fchmod:
      arguments.append("res", .errno(result))
      arguments.append("fd", .fd(descriptor(summary.a0)))
      arguments.append("mode", .mode(UInt32(truncatingIfNeeded: register(summary.a1))))
      return (arguments, nil)

    case .unlink:
      arguments.append("res", .errno(result))
      arguments.append("path", .path(path(item([.delete]) ?? target(), dirfd: nil)))
      return (arguments, nil)

    case .unlinkat:
      let dirfd = descriptor(summary.a0)
      arguments.append("res", .errno(result))
      arguments.append("dirfd", .fd(dirfd))
      arguments.append("name", .path(path(item([.delete]) ?? target(), dirfd: dirfd)))
      arguments.append("flags", .flags(UInt32(truncatingIfNeeded: register(summary.a2))))
      return (arguments, nil)

    case .rename:
      let at = name != "rename"
      let oldDirfd: Int64? = at ? descriptor(summary.a0) : nil
      let newDirfd: Int64? = at ? descriptor(summary.a2) : nil
      arguments.append("res", .errno(result))
      if let oldDirfd { arguments.append("olddirfd", .fd(oldDirfd)) }
      arguments.append("oldpath", .path(path(item([.delete]), dirfd: oldDirfd)))
      if let newDirfd { arguments.append("newdirfd", .fd(newDirfd)) }
      arguments.append("newpath", .path(path(item([.create]), dirfd: newDirfd)))
      return (arguments, nil)

    case .mkdir:
      let dirfd: Int64? = name == "mkdirat" ? descriptor(summary.a0) : nil
      arguments.append("res", .errno(result))
      if let dirfd { arguments.append("dirfd", .fd(dirfd)) }
      arguments.append("path", .path(path(item([.create]), dirfd: dirfd)))
      arguments.append(
        "mode", .mode(UInt32(truncatingIfNeeded: register(dirfd == nil ? summary.a1 : summary.a2))))
      return (arguments, nil)

    case .initModule:
      arguments.append("res", .errno(result))
      arguments.append("length", .uint(register(summary.a1)))
      return (arguments, nil)

    case .finitModule:
      arguments.append("res", .errno(result))
      arguments.append("fd", .fd(descriptor(summary.a0)))
      arguments.append("flags", .flags(UInt32(truncatingIfNeeded: register(summary.a2))))
      return (arguments, nil)

    case .deleteModule:
      arguments.append("res", .errno(result))
      arguments.append("flags", .flags(UInt32(truncatingIfNeeded: register(summary.a1))))
      return (arguments, nil)

    case .write:
      arguments.append("res", .errno(result))
      arguments.append("fd", .fd(descriptor(summary.a0)))
      arguments.append("size", .uint(register(summary.a2)))
      return (arguments, nil)

    case .kill:
      arguments.append("res", .errno(result))
      arguments.append("pid", .pid(descriptor(summary.a0)))
      arguments.append("sig", .uint(register(summary.a1)))
      return (arguments, nil)

    case nil:
      let number = UInt64(truncatingIfNeeded: summary.number ?? -1)
      arguments.append("ID", .uint(number))
      arguments.append("nativeID", .uint(number))
      return (arguments, nil)
    }
  }

  private enum SocketRole { case client, bound, accepted }

  /// The descriptor of a socket call. An audit record names one side only: the peer a client
  /// connected to, the address a server bound, the client an accept returned. The side the log
  /// does not show is the family's unspecified address with port 0 in `fd.name`, which keeps
  /// libsinsp's `client->server` shape.
  private static func socketDescriptor(_ number: Int64, _ address: SocketAddress, role: SocketRole)
    -> FileDescriptorInfo
  {
    switch address {
    case .inet(let endpoint):
      let kind: FileDescriptorKind = endpoint.address.family == .ipv4 ? .ipv4 : .ipv6
      let unspecified = SocketEndpoint(
        address: endpoint.address.family == .ipv4
          ? IPAddress(ipv4: 0) : IPAddress(ipv6High: 0, low: 0),
        port: 0)
      switch role {
      case .client:
        return FileDescriptorInfo(
          number: number, kind: kind, name: "\(unspecified)->\(endpoint)", l4Protocol: .unknown,
          server: endpoint)
      case .bound:
        return FileDescriptorInfo(
          number: number, kind: kind, name: endpoint.description, l4Protocol: .unknown,
          server: endpoint, isServer: true)
      case .accepted:
        return FileDescriptorInfo(
          number: number, kind: kind, name: "\(endpoint)->\(unspecified)", l4Protocol: .unknown,
          client: endpoint, isServer: true)
      }
    case .unix(let path):
      return FileDescriptorInfo(number: number, kind: .unix, name: path, isServer: role != .client)
    case .netlink:
      return FileDescriptorInfo(number: number, kind: .netlink, name: "", isServer: role != .client)
    case .other:
      return FileDescriptorInfo(number: number, kind: .unknown, name: "", isServer: role != .client)
    }
  }
}
