/// Field keys as 64-bit codes: up to eight key bytes packed little-endian (the first byte in
/// the low bits), so matching a key is one integer comparison instead of a byte loop.
///
/// Every record is a run of `key=value` fields and the decoder looks each key up against a
/// handful of names; with ~30 fields per `SYSCALL` record this is the decoder's inner loop.
/// Keys longer than eight bytes get code 0 and are matched by bytes where needed
/// (`proctitle`). `AuditKeyTests` checks every constant against its spelling.
enum AuditKey {
  /// The code of a field's key, or 0 for an empty key or one longer than eight bytes.
  @inline(__always)
  static func code(_ bytes: UnsafeBufferPointer<UInt8>, _ field: RawAuditField) -> UInt64 {
    let length = field.keyEnd - field.keyStart
    guard length > 0, length <= 8 else { return 0 }
    var value: UInt64 = 0
    var index = field.keyEnd - 1
    while index >= field.keyStart {
      value = value << 8 | UInt64(bytes[index])
      index -= 1
    }
    return value
  }

  /// The code of a key spelled as text (for tests and tables).
  static func code(_ key: String) -> UInt64 {
    let utf8 = Array(key.utf8)
    guard !utf8.isEmpty, utf8.count <= 8 else { return 0 }
    return utf8.reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }

  static let a0: UInt64 = 0x3061  // "a0"
  static let a1: UInt64 = 0x3161  // "a1"
  static let a2: UInt64 = 0x3261  // "a2"
  static let a3: UInt64 = 0x3361  // "a3"
  static let arch: UInt64 = 0x6863_7261  // "arch"
  static let syscall: UInt64 = 0x6C_6C61_6373_7973  // "syscall"
  static let success: UInt64 = 0x73_7365_6363_7573  // "success"
  static let exit: UInt64 = 0x7469_7865  // "exit"
  static let items: UInt64 = 0x73_6D65_7469  // "items"
  static let ppid: UInt64 = 0x6469_7070  // "ppid"
  static let pid: UInt64 = 0x64_6970  // "pid"
  static let auid: UInt64 = 0x6469_7561  // "auid"
  static let uid: UInt64 = 0x64_6975  // "uid"
  static let gid: UInt64 = 0x64_6967  // "gid"
  static let euid: UInt64 = 0x6469_7565  // "euid"
  static let suid: UInt64 = 0x6469_7573  // "suid"
  static let fsuid: UInt64 = 0x64_6975_7366  // "fsuid"
  static let egid: UInt64 = 0x6469_6765  // "egid"
  static let sgid: UInt64 = 0x6469_6773  // "sgid"
  static let fsgid: UInt64 = 0x64_6967_7366  // "fsgid"
  static let tty: UInt64 = 0x79_7474  // "tty"
  static let ses: UInt64 = 0x73_6573  // "ses"
  static let comm: UInt64 = 0x6D6D_6F63  // "comm"
  static let exe: UInt64 = 0x65_7865  // "exe"
  static let key: UInt64 = 0x79_656B  // "key"
  static let item: UInt64 = 0x6D65_7469  // "item"
  static let name: UInt64 = 0x656D_616E  // "name"
  static let inode: UInt64 = 0x65_646F_6E69  // "inode"
  static let dev: UInt64 = 0x76_6564  // "dev"
  static let mode: UInt64 = 0x6564_6F6D  // "mode"
  static let nametype: UInt64 = 0x6570_7974_656D_616E  // "nametype"
  static let objtype: UInt64 = 0x65_7079_746A_626F  // "objtype"
  static let argc: UInt64 = 0x6367_7261  // "argc"
  static let cwd: UInt64 = 0x64_7763  // "cwd"
  static let saddr: UInt64 = 0x72_6464_6173  // "saddr"
  static let pp: UInt64 = 0x7070  // "pp"
  static let pi: UInt64 = 0x6970  // "pi"
  static let pe: UInt64 = 0x6570  // "pe"
  static let newPp: UInt64 = 0x7070_5F77_656E  // "new_pp"
  static let newPi: UInt64 = 0x6970_5F77_656E  // "new_pi"
  static let newPe: UInt64 = 0x6570_5F77_656E  // "new_pe"
  static let oflag: UInt64 = 0x67_616C_666F  // "oflag"
  static let resolve: UInt64 = 0x65_766C_6F73_6572  // "resolve"

  /// Every constant with its spelling, for the test that keeps them honest.
  static let all: [(String, UInt64)] = [
    ("a0", a0),
    ("a1", a1),
    ("a2", a2),
    ("a3", a3),
    ("arch", arch),
    ("syscall", syscall),
    ("success", success),
    ("exit", exit),
    ("items", items),
    ("ppid", ppid),
    ("pid", pid),
    ("auid", auid),
    ("uid", uid),
    ("gid", gid),
    ("euid", euid),
    ("suid", suid),
    ("fsuid", fsuid),
    ("egid", egid),
    ("sgid", sgid),
    ("fsgid", fsgid),
    ("tty", tty),
    ("ses", ses),
    ("comm", comm),
    ("exe", exe),
    ("key", key),
    ("item", item),
    ("name", name),
    ("inode", inode),
    ("dev", dev),
    ("mode", mode),
    ("nametype", nametype),
    ("objtype", objtype),
    ("argc", argc),
    ("cwd", cwd),
    ("saddr", saddr),
    ("pp", pp),
    ("pi", pi),
    ("pe", pe),
    ("new_pp", newPp),
    ("new_pi", newPi),
    ("new_pe", newPe),
    ("oflag", oflag),
    ("resolve", resolve),
  ]
}
