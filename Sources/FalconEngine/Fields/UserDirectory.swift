internal import PolicyCore

/// User and group names by ID, read once from `passwd` and `group` files (`user.name`,
/// `user.loginname`, `user.homedir`, `user.shell`, `group.name`).
///
/// The engine never reads the system itself: a caller builds the directory (from the host's
/// `/etc` with ``read(root:)``, or by hand in tests) and hands it to the field table, which
/// answers every lookup from this in-memory copy.
public struct UserDirectory: Sendable {
  /// One `passwd` entry.
  public struct User: Sendable, Hashable {
    /// The login name.
    public var name: String
    /// The home directory.
    public var home: String
    /// The login shell.
    public var shell: String

    /// Creates an entry.
    public init(name: String, home: String = "", shell: String = "") {
      self.name = name
      self.home = home
      self.shell = shell
    }
  }

  /// Users by user ID.
  public var users: [UInt32: User]
  /// Group names by group ID.
  public var groups: [UInt32: String]

  /// A directory that knows no one.
  public static let empty = UserDirectory(users: [:], groups: [:])

  /// Creates a directory from known entries.
  public init(users: [UInt32: User], groups: [UInt32: String]) {
    self.users = users
    self.groups = groups
  }

  /// Reads `<root>/etc/passwd` and `<root>/etc/group`; a missing or unreadable file leaves
  /// that half empty.
  public static func read(root: String = "/") -> UserDirectory {
    let base = root.hasSuffix("/") ? root : root + "/"
    var directory = UserDirectory.empty
    if let file = try? SourceFile.read(path: base + "etc/passwd") {
      directory.users = parsePasswd(String(decoding: file.bytes, as: UTF8.self))
    }
    if let file = try? SourceFile.read(path: base + "etc/group") {
      directory.groups = parseGroup(String(decoding: file.bytes, as: UTF8.self))
    }
    return directory
  }

  /// Entries of a `passwd` text (`name:x:uid:gid:gecos:home:shell`); the first entry of a
  /// user ID wins, as `getpwuid` returns it.
  public static func parsePasswd(_ text: String) -> [UInt32: User] {
    var result: [UInt32: User] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count >= 7, let uid = UInt32(parts[2]), result[uid] == nil else { continue }
      result[uid] = User(name: String(parts[0]), home: String(parts[5]), shell: String(parts[6]))
    }
    return result
  }

  /// Group names of a `group` text (`name:x:gid:members`).
  public static func parseGroup(_ text: String) -> [UInt32: String] {
    var result: [UInt32: String] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count >= 3, let gid = UInt32(parts[2]), result[gid] == nil else { continue }
      result[gid] = String(parts[0])
    }
    return result
  }

  /// The name of a user ID, when known.
  public func userName(_ uid: UInt32) -> String? { users[uid]?.name }
  /// The name of a group ID, when known.
  public func groupName(_ gid: UInt32) -> String? { groups[gid] }
}
