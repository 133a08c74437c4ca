public import FalconEvents
internal import Glibc

/// Reads what `/proc/PID` says about a process into a ``ThreadInfo``.
///
/// The proc connector reports only process IDs, so every fork and exec is enriched from here; a
/// process that exits before it is read is gone (the audit source's EXECVE record is the
/// reliable argv, which is why `falcon watch` combines the two when it can). Reading another
/// user's `exe` and `cwd` links needs `CAP_SYS_PTRACE`; without it those fields stay empty.
public enum ProcFS {
  /// Where procfs is mounted (tests may point elsewhere).
  public static let root = "/proc"
  /// Longest file read from procfs (cmdline and environ of huge argv are cut here).
  public static let maximumFileBytes = 256 * 1024

  /// The process's current state, or nil when it no longer exists.
  public static func thread(pid: Int64) -> ThreadInfo? {
    let base = "\(root)/\(pid)"
    guard let statBytes = readFile("\(base)/stat") else { return nil }
    var info = ThreadInfo()
    info.pid = pid
    info.tid = pid
    guard parseStat(statBytes, into: &info) else { return nil }
    if let status = readFile("\(base)/status") { parseStatus(status, into: &info) }
    if let cmdline = readFile("\(base)/cmdline") {
      var parts = cmdline.split(separator: 0, omittingEmptySubsequences: false)
      if parts.last?.isEmpty == true { parts.removeLast() }
      info.exe = parts.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
      info.args = parts.dropFirst().map { String(decoding: $0, as: UTF8.self) }
    }
    info.exePath = readLink("\(base)/exe") ?? ""
    info.cwd = readLink("\(base)/cwd") ?? ""
    if let text = readText("\(base)/loginuid"), let value = UInt32(text) { info.loginUID = value }
    if let text = readText("\(base)/sessionid"), let value = UInt32(text) { info.auditSessionID = value }
    if let cgroup = readFile("\(base)/cgroup") {
      let text = String(decoding: cgroup, as: UTF8.self)
      info.cgroups = text.split(separator: "\n").compactMap { line in
        // "hierarchy-ID:controllers:path"; cgroup v2 has one line "0::/path".
        let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        let controller = fields[1].isEmpty ? "unified" : String(fields[1])
        return CGroupEntry(controller: controller, path: String(fields[2]))
      }
      info.containerID = ContainerID.fromCgroups(info.cgroups.map(\.path))
    }
    var status = Glibc.stat()
    if fstatat(AT_FDCWD, "\(base)/exe", &status, 0) == 0 { info.exeInode = UInt64(status.st_ino) }
    return info
  }

  /// Every process ID under /proc now.
  public static func processIDs() -> [Int64] {
    guard let directory = opendir(root) else { return [] }
    defer { closedir(directory) }
    var result: [Int64] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
      if let pid = Int64(name) { result.append(pid) }
    }
    return result
  }

  // MARK: - Parsing

  /// `/proc/PID/stat`: the command name sits in parentheses and may itself contain spaces and
  /// parentheses, so the fields after it are found from the last `)`.
  static func parseStat(_ bytes: [UInt8], into info: inout ThreadInfo) -> Bool {
    guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
      let close = bytes.lastIndex(of: UInt8(ascii: ")")), open < close
    else { return false }
    info.name = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
    let rest = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
    // rest[0] = state, 1 = ppid, 2 = pgrp, 3 = session, 4 = tty_nr, ... 19 = starttime (ticks).
    func field(_ index: Int) -> Int64? {
      guard index < rest.count else { return nil }
      return Int64(String(decoding: rest[index], as: UTF8.self))
    }
    info.ppid = field(1) ?? -1
    info.pgid = field(2) ?? -1
    info.sid = field(3) ?? -1
    info.tty = UInt32(truncatingIfNeeded: field(4) ?? 0)
    if let ticks = field(19) { info.startTime = bootTime + UInt64(max(ticks, 0)) * (1_000_000_000 / clockTicks) }
    return true
  }

  /// `/proc/PID/status`: `Uid:`/`Gid:` (real, effective, saved, filesystem), `Cap*:` in hex,
  /// `NSpid:`/`NStgid:` (the last number is the ID inside the process's own namespace).
  static func parseStatus(_ bytes: [UInt8], into info: inout ThreadInfo) {
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
      let key = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
      let values = line[(colon + 1)...].split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map {
        String(decoding: $0, as: UTF8.self)
      }
      switch key {
      case "Uid" where values.count >= 4:
        info.uid = UInt32(values[0]) ?? ThreadInfo.unsetID
        info.euid = UInt32(values[1]) ?? ThreadInfo.unsetID
        info.suid = UInt32(values[2]) ?? ThreadInfo.unsetID
        info.fsuid = UInt32(values[3]) ?? ThreadInfo.unsetID
      case "Gid" where values.count >= 4:
        info.gid = UInt32(values[0]) ?? ThreadInfo.unsetID
        info.egid = UInt32(values[1]) ?? ThreadInfo.unsetID
        info.sgid = UInt32(values[2]) ?? ThreadInfo.unsetID
        info.fsgid = UInt32(values[3]) ?? ThreadInfo.unsetID
      case "CapInh": info.capInheritable = values.first.flatMap { UInt64($0, radix: 16) }
      case "CapPrm": info.capPermitted = values.first.flatMap { UInt64($0, radix: 16) }
      case "CapEff": info.capEffective = values.first.flatMap { UInt64($0, radix: 16) }
      case "NSpid": if let last = values.last, let value = Int64(last) { info.vpid = value; info.vtid = value }
      case "NSsid": if let last = values.last, let value = Int64(last) { info.sid = info.sid < 0 ? value : info.sid }
      default: continue
      }
    }
  }

  // MARK: - Clock

  /// Clock ticks per second for `starttime` (`sysconf(_SC_CLK_TCK)`, 100 on Linux).
  static let clockTicks: UInt64 = {
    let ticks = sysconf(Int32(_SC_CLK_TCK))
    return ticks > 0 ? UInt64(ticks) : 100
  }()

  /// Boot time in nanoseconds since the epoch (`btime` in /proc/stat), so start times are
  /// wall-clock like the event timestamps.
  static let bootTime: UInt64 = {
    guard let bytes = readFile("\(root)/stat") else { return 0 }
    for line in bytes.split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("btime ".utf8)) {
      let text = String(decoding: line.dropFirst(6), as: UTF8.self)
      return (UInt64(text) ?? 0) * 1_000_000_000
    }
    return 0
  }()

  // MARK: - Files

  static func readFile(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while result.count < maximumFileBytes {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return result.isEmpty ? nil : result
      }
      if count == 0 { break }
      result.append(contentsOf: chunk[0..<count])
    }
    return result
  }

  static func readText(_ path: String) -> String? {
    guard let bytes = readFile(path) else { return nil }
    return String(decoding: bytes, as: UTF8.self).trimmingSpaces()
  }

  static func readLink(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// Container IDs from cgroup paths, as libsinsp's container engines recognise them: Docker
/// (`/docker/<64 hex>`, `docker-<64 hex>.scope`), containerd/CRI-O under kubepods
/// (`cri-containerd-<id>.scope`, `crio-<id>.scope`, `/kubepods/.../<64 hex>`), podman
/// (`libpod-<id>.scope`). Falco prints the first 12 hex digits; "host" when none matches.
public enum ContainerID {
  public static func fromCgroups(_ paths: [String]) -> String {
    for path in paths {
      for component in path.split(separator: "/").reversed() {
        var text = Substring(component)
        for prefix in ["docker-", "cri-containerd-", "crio-", "libpod-", "containerd-"] where text.hasPrefix(prefix) {
          text = text.dropFirst(prefix.count)
        }
        if text.hasSuffix(".scope") { text = text.dropLast(6) }
        if text.count == 64, text.allSatisfy(\.isHexDigit) { return String(text.prefix(12)) }
      }
    }
    return "host"
  }

  /// The Kubernetes pod UID a kubepods cgroup path carries (`pod<uid>` with `_` for `-`), if any.
  public static func podUID(fromCgroups paths: [String]) -> String? {
    for path in paths {
      for component in path.split(separator: "/") {
        // "kubepods-besteffort-pod<uid>.slice" (systemd) or "pod<uid>" (cgroupfs).
        guard let marker = component.lastIndexOfPod() else { continue }
        var rest = component[marker...]
        if rest.hasSuffix(".slice") { rest = rest.dropLast(6) }
        let uid = rest.replacingOccurrences(of: "_", with: "-")
        if uid.count == 36 { return uid }
      }
    }
    return nil
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    var text = Substring(self)
    while let last = text.last, last == "\n" || last == " " || last == "\t" { text = text.dropLast() }
    while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
    return String(text)
  }
}

extension Substring {
  /// Where the text after the last "pod" starts, if "pod" occurs.
  fileprivate func lastIndexOfPod() -> Index? {
    let bytes = Array(utf8)
    guard bytes.count >= 3 else { return nil }
    var offset = bytes.count - 3
    while offset >= 0 {
      if bytes[offset] == UInt8(ascii: "p"), bytes[offset + 1] == UInt8(ascii: "o"), bytes[offset + 2] == UInt8(ascii: "d") {
        return utf8.index(startIndex, offsetBy: offset + 3)
      }
      offset -= 1
    }
    return nil
  }

  fileprivate func replacingOccurrences(of target: Character, with replacement: Character) -> String {
    String(map { $0 == target ? replacement : $0 })
  }
}
