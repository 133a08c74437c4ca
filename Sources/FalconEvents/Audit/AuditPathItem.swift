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
      let start = field.valueStart
      let end = field.valueEnd
      switch AuditKey.code(bytes, field) {
      case AuditKey.item: item = AuditValue.decimal(bytes, start, end).map { Int($0) } ?? -1
      case AuditKey.name: name = AuditValue.untrustedString(bytes, field)
      case AuditKey.mode: mode = AuditValue.octal(bytes, start, end)
      case AuditKey.dev: device = Self.deviceNumber(bytes, start, end)
      case AuditKey.inode: inode = AuditValue.decimal(bytes, start, end).map { UInt64($0) }
      case AuditKey.nametype, AuditKey.objtype:
        nameType = Self.nameType(bytes, field)
        // What follows (`cap_fp=... cap_frootid=`, `obj=`) is not read: stop here.
        return
      default: break
      }
    }
  }

  /// Whether the object is a directory (`S_IFDIR` in `mode`).
  var isDirectory: Bool { (mode ?? 0) & 0o170000 == 0o040000 }

  private static func nameType(_ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField)
    -> NameType
  {
    let length = field.valueEnd - field.valueStart
    guard length == 6 || length == 7 else { return .other }
    func value(_ literal: StaticString) -> Bool {
      guard literal.utf8CodeUnitCount == length else { return false }
      for index in 0..<length where bytes[field.valueStart + index] != literal.utf8Start[index] {
        return false
      }
      return true
    }
    if value("NORMAL") { return .normal }
    if value("PARENT") { return .parent }
    if value("CREATE") { return .create }
    if value("DELETE") { return .delete }
    if value("UNKNOWN") { return .unknown }
    return .other
  }

  /// `fe:00` (hex major:minor) as the kernel's `new_encode_dev`:
  /// `minor & 0xff | major << 8 | (minor & ~0xff) << 12`.
  private static func deviceNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
    -> UInt32?
  {
    var colon = start
    while colon < end, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
    guard colon < end, let major = AuditValue.hex(bytes, start, colon),
      let minor = AuditValue.hex(bytes, colon + 1, end), major <= 0xFFF, minor <= 0xF_FFFF
    else { return nil }
    return UInt32(minor & 0xFF | major << 8 | (minor & ~0xFF) << 12)
  }
}
