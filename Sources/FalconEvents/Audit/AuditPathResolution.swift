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
