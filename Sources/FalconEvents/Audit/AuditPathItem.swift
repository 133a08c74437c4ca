/// One `PATH` record: a file name a system call looked up, and what it found.
struct AuditPathItem {
  /// What the lookup was for (`nametype=`, `objtype=` in older kernels).
  enum NameType {
    /// An existing object was used.
    case normal
    /// The parent directory of a name being created or deleted.
    case parent
    /// A name that was created.
    case create
    /// A name that was removed (unlink, or the old name of a rename).
    case delete
    /// The lookup failed (the name does not exist).
    case unknown
    case other
  }

  var item = -1
  var name: String?
  var nameType = NameType.other
  var inode: UInt64?
  /// `dev=MAJOR:MINOR` (hex) in `new_encode_dev` form.
  var device: UInt32?
  /// `mode=` (octal), including the file-type bits.
  var mode: UInt32?

  /// Reads a PATH record's fields.
  init(_ bytes: UnsafeBufferPointer<UInt8>, fields range: Range<Int>) {
    var scanner = AuditFieldScanner(bytes, range: range)
    while let field = scanner.next() {
      switch field.keyEnd - field.keyStart {
      case 3:
        if AuditValue.keyEquals(bytes, field, "dev") {
          device = Self.deviceNumber(bytes, field.valueStart, field.valueEnd)
        }
      case 4:
        if AuditValue.keyEquals(bytes, field, "item") {
          item = AuditValue.decimal(bytes, field.valueStart, field.valueEnd).map { Int($0) } ?? -1
        } else if AuditValue.keyEquals(bytes, field, "name") {
          name = AuditValue.untrustedString(bytes, field)
        } else if AuditValue.keyEquals(bytes, field, "mode") {
          mode = AuditValue.octal(bytes, field.valueStart, field.valueEnd)
        }
      case 5:
        if AuditValue.keyEquals(bytes, field, "inode") {
          inode = AuditValue.decimal(bytes, field.valueStart, field.valueEnd).map { UInt64($0) }
        }
      case 7, 8:
        if AuditValue.keyEquals(bytes, field, "nametype") || AuditValue.keyEquals(bytes, field, "objtype") {
          nameType = Self.nameType(bytes, field)
        }
      default:
        break
      }
    }
  }

  /// Whether the object is a directory (`S_IFDIR` in `mode`).
  var isDirectory: Bool { (mode ?? 0) & 0o170000 == 0o040000 }

  private static func nameType(_ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField) -> NameType {
    let value = UnsafeBufferPointer(rebasing: bytes[field.valueStart..<field.valueEnd])
    switch String(decoding: value, as: UTF8.self) {
    case "NORMAL": return .normal
    case "PARENT": return .parent
    case "CREATE": return .create
    case "DELETE": return .delete
    case "UNKNOWN": return .unknown
    default: return .other
    }
  }

  /// `fe:00` (hex major:minor) as the kernel's `new_encode_dev`:
  /// `minor & 0xff | major << 8 | (minor & ~0xff) << 12`.
  private static func deviceNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32? {
    var colon = start
    while colon < end, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
    guard colon < end, let major = AuditValue.hex(bytes, start, colon),
      let minor = AuditValue.hex(bytes, colon + 1, end), major <= 0xFFF, minor <= 0xF_FFFF
    else { return nil }
    return UInt32(minor & 0xFF | major << 8 | (minor & ~0xFF) << 12)
  }
}

/// Lexical path resolution, as libsinsp builds `fd.name` and `evt.arg.name` from a relative name.
enum AuditPathResolution {
  /// `name` made absolute against `cwd` when it is relative and was resolved from the working
  /// directory (`relativeToCwd`: no dirfd, or `AT_FDCWD`); `.` and `..` components and repeated
  /// or trailing slashes are removed. A relative name against another directory descriptor is
  /// returned as logged: the log does not say which directory that descriptor was.
  static func resolve(_ name: String, cwd: String?, relativeToCwd: Bool) -> String {
    if name.isEmpty { return name }
    if name.utf8.first == UInt8(ascii: "/") {
      return needsNormalizing(name) ? normalize(name) : name
    }
    guard relativeToCwd, let cwd, cwd.utf8.first == UInt8(ascii: "/") else { return name }
    return normalize(cwd + "/" + name)
  }

  private static func needsNormalizing(_ path: String) -> Bool {
    var previous: UInt8 = 0
    var beforePrevious: UInt8 = 0
    for byte in path.utf8 {
      if byte == UInt8(ascii: "/") {
        if previous == UInt8(ascii: "/") { return true }
        if previous == UInt8(ascii: "."),
          beforePrevious == UInt8(ascii: "/") || beforePrevious == UInt8(ascii: ".")
        {
          return true
        }
      }
      beforePrevious = previous
      previous = byte
    }
    if path.utf8.count > 1, previous == UInt8(ascii: "/") { return true }
    return previous == UInt8(ascii: ".")
      && (beforePrevious == UInt8(ascii: "/") || beforePrevious == UInt8(ascii: "."))
  }

  /// Resolves `.` and `..` lexically in an absolute path (`..` at the root stays at the root).
  static func normalize(_ path: String) -> String {
    var components: [Substring] = []
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      if component == "." { continue }
      if component == ".." {
        if !components.isEmpty { components.removeLast() }
        continue
      }
      components.append(component)
    }
    return "/" + components.joined(separator: "/")
  }
}
