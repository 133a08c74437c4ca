import FalconCapture
import FalconEvents
import PolicyCore
import Testing

/// Replays the recorded auditd logs (RAW and ENRICHED) and reproduces their truth files field by
/// field: every exec (pid, ppid, IDs, comm, exe, full argv, cwd, path, result), every open of
/// /etc/shadow, every connect/bind/accept with its socket address, the LOGIN record and the su
/// PAM messages. System calls are named by libseccomp (`AuditSyscallNames`).
@Suite(
  "Audit replay against the truth files",
  .enabled(
    if: AuditReplayCorpus.isAvailable,
    "audit corpus not found at \(AuditReplayCorpus.directory) (set RAMPART_SHARED)"))
struct AuditReplayTests {
  @Test(
    "raw.log reproduces truth.json",
    arguments: [("raw.log", "truth.json"), ("enriched.log", "truth.enriched.json")])
  func replay(log: String, truthFile: String) throws {
    let truth = try JSON.parse(try AuditReplayCorpus.file(truthFile))
    let (pairs, decoder) = try AuditReplayCorpus.decode(log)
    #expect(decoder.issues.isEmpty, "\(decoder.issues.prefix(5))")
    #expect(decoder.recordCount == 1646)
    #expect(pairs.count == 369)
    let bySerial = Dictionary(
      pairs.map { (Int($0.event.number), $0) }, uniquingKeysWith: { first, _ in first })

    var execs = TruthCheck("execve")
    for entry in truth["execve"].arrayValue ?? [] {
      let serial = entry["serial"].int ?? -1
      guard let (audit, event) = bySerial[serial] else {
        execs.record(serial: serial, ["no event"])
        continue
      }
      var problems = commonProblems(entry, audit, event)
      let thread = event.thread
      problems.append(differ("cwd", thread.cwd, entry["cwd"].string))
      problems.append(
        differ("filename", event.arguments["filename"]?.stringValue, entry["path"].string))
      if let argv = entry["argv"].strings {
        problems.append(differ("argv", [thread.exe] + thread.args, argv))
        problems.append(differ("argc", thread.args.count + 1, entry["argc"].int))
        problems.append(differ("exe arg", event.arguments["exe"]?.stringValue, argv.first))
      } else {
        problems.append(differ("no EXECVE", event.arguments["exe"]?.stringValue, nil))
        // A failed exec's thread keeps the caller's argv, from PROCTITLE.
        problems.append(
          differ("caller argv", [thread.exe] + thread.args, entry["proctitle"].strings))
      }
      let proctitle = audit.first(.proctitle)?.field("proctitle")?.decodedValue
        .map { $0.split(separator: "\0", omittingEmptySubsequences: false).map(String.init) }
      problems.append(differ("proctitle", proctitle, entry["proctitle"].strings))
      problems.append(differ("bprm_fcaps", thread.capEffective != nil, entry["bprm_fcaps"].bool))
      execs.record(serial: serial, problems.compactMap { $0 })
    }

    var shadow = TruthCheck("shadow_opens")
    for entry in truth["shadow_opens"].arrayValue ?? [] {
      let serial = entry["serial"].int ?? -1
      guard let (audit, event) = bySerial[serial] else {
        shadow.record(serial: serial, ["no event"])
        continue
      }
      var problems = commonProblems(entry, audit, event)
      problems.append(differ("cwd", event.thread.cwd, entry["cwd"].string))
      problems.append(differ("name", event.arguments["name"]?.stringValue, entry["path"].string))
      problems.append(differ("fd.name", event.fd?.name, entry["path"].string))
      problems.append(
        differ(
          "fd.num", event.fd?.number,
          entry["success"].bool == true ? Int64(entry["exit"].int ?? 0) : -1))
      shadow.record(serial: serial, problems.compactMap { $0 })
    }

    var network = TruthCheck("network")
    for entry in truth["network"].arrayValue ?? [] {
      let serial = entry["serial"].int ?? -1
      guard let (audit, event) = bySerial[serial] else {
        network.record(serial: serial, ["no event"])
        continue
      }
      var problems = commonProblems(entry, audit, event)
      let address: SocketAddress?
      switch event.arguments["tuple"] ?? event.arguments["addr"] {
      case .socketTuple(let tuple)?:
        address = event.type == .connect ? tuple.destination : tuple.source
      case .socketAddress(let socket)?: address = socket
      default: address = nil
      }
      if event.type == .connect || event.type == .bind {
        if case .socketAddress(let socket)? = event.arguments["addr"] {
          problems.append(differ("addr", socket, address))
        } else {
          problems.append("no addr argument")
        }
      }
      let sockaddr = entry["sockaddr"]
      switch sockaddr["family"].string {
      case "unix":
        problems.append(differ("unix path", address, .unix(path: sockaddr["path"].string ?? "")))
        problems.append(differ("fd.type", event.fd?.kind, .unix))
      case "inet", "inet6":
        let endpoint = address?.endpoint
        problems.append(differ("ip", endpoint?.address.description, sockaddr["addr"].string))
        problems.append(differ("port", endpoint.map { Int($0.port) }, sockaddr["port"].int))
        problems.append(
          differ("family", address?.family, sockaddr["family"].string == "inet" ? 2 : 10))
        problems.append(
          differ("fd.type", event.fd?.kind, sockaddr["family"].string == "inet" ? .ipv4 : .ipv6))
      default:
        problems.append("unexpected family \(sockaddr["family"])")
      }
      network.record(serial: serial, problems.compactMap { $0 })
    }

    var logins = TruthCheck("logins")
    for entry in truth["logins"].arrayValue ?? [] {
      let serial = entry["serial"].int ?? -1
      guard let (audit, event) = bySerial[serial], let login = audit.first(.login) else {
        logins.record(serial: serial, ["no LOGIN record"])
        continue
      }
      let problems: [String?] = [
        differ("pid", login.field("pid")?.value, entry["pid"].int.map(String.init)),
        differ("old-auid", login.field("old-auid")?.value, entry["old_auid"].int.map(String.init)),
        differ("auid", login.field("auid")?.value, entry["auid"].int.map(String.init)),
        differ("old-ses", login.field("old-ses")?.value, entry["old_ses"].int.map(String.init)),
        differ("ses", login.field("ses")?.value, entry["ses"].int.map(String.init)),
        differ("res", login.field("res")?.value, entry["res"].string),
        // The event is the write(2) to /proc/self/loginuid, already under the new login.
        differ("event type", event.type.name, "write"),
        differ("loginuid", Int(event.thread.loginUID), entry["auid"].int),
        differ("timestamp", event.timestamp, nanoseconds(entry["timestamp"].string)),
      ]
      logins.record(serial: serial, problems.compactMap { $0 })
    }

    var userMessages = TruthCheck("user_msgs")
    for entry in truth["user_msgs"].arrayValue ?? [] {
      let serial = entry["serial"].int ?? -1
      guard let (_, event) = bySerial[serial] else {
        userMessages.record(serial: serial, ["no event"])
        continue
      }
      let problems: [String?] = [
        differ("type", event.type.name, entry["type"].string),
        differ("pid", Int(event.thread.pid), entry["pid"].int),
        differ("uid", Int(event.thread.uid), entry["uid"].int),
        differ("auid", Int(event.thread.loginUID), entry["auid"].int),
        differ("ses", Int(event.thread.auditSessionID), entry["ses"].int),
        differ("exe", event.thread.exePath, entry["exe"].string),
        differ("op", event.arguments["op"]?.stringValue, entry["op"].string),
        differ("acct", event.arguments["acct"]?.stringValue, entry["acct"].string),
        differ("res", event.arguments["res"]?.stringValue, entry["res"].string),
        differ("timestamp", event.timestamp, nanoseconds(entry["timestamp"].string)),
      ]
      userMessages.record(serial: serial, problems.compactMap { $0 })
    }

    let checks = [execs, shadow, network, logins, userMessages]
    print(
      "audit replay \(log): \(pairs.count) events, \(decoder.recordCount) records, \(decoder.issueCount) issues; matched "
        + checks.map(\.summary).joined(separator: ", "))
    #expect(execs.checked == 110)
    #expect(shadow.checked == 5)
    #expect(network.checked == 79)
    #expect(logins.checked == 1)
    #expect(userMessages.checked == 6)
    for check in checks {
      #expect(check.mismatches.isEmpty, "\(check.mismatches)")
      #expect(check.matched == check.checked)
    }
  }

  /// Fields every truth section shares: stamp, syscall, result, process identity, key.
  private func commonProblems(_ entry: Value, _ audit: AuditEvent, _ event: Event) -> [String?] {
    let thread = event.thread
    let syscall = audit.first(.syscall)
    let arch = syscall?.field("arch")?.value
    let archName = arch.flatMap { UInt32($0, radix: 16) }.map {
      AuditArchitecture(rawValue: $0).description
    }
    let success = entry["success"].bool
    return [
      differ("timestamp", event.timestamp, nanoseconds(entry["timestamp"].string)),
      differ("syscall", event.type.name, entry["syscall"].string),
      differ("arch", archName, entry["arch"].string),
      differ("result", event.result.map(Int.init), entry["exit"].int),
      differ("failed", event.failed, success.map { !$0 }),
      differ("pid", Int(thread.pid), entry["pid"].int),
      differ("tid", Int(thread.tid), entry["pid"].int),
      differ("ppid", Int(thread.ppid), entry["ppid"].int),
      differ("uid", Int(thread.uid), entry["uid"].int),
      differ("euid", Int(thread.euid), entry["euid"].int),
      differ("gid", Int(thread.gid), entry["gid"].int),
      differ("egid", Int(thread.egid), entry["egid"].int),
      differ("auid", Int(thread.loginUID), entry["auid"].int),
      differ("ses", Int(thread.auditSessionID), entry["ses"].int),
      differ("comm", thread.name, entry["comm"].string),
      differ("exe", thread.exePath, entry["exe"].string),
      differ("key", syscall?.field("key")?.decodedValue, entry["key"].string),
    ]
  }

  /// `"1795728638.806"` as nanoseconds since the epoch.
  private func nanoseconds(_ text: String?) -> UInt64? {
    guard let text, let dot = text.firstIndex(of: ".") else { return nil }
    guard let seconds = UInt64(text[..<dot]), let millis = UInt64(text[text.index(after: dot)...])
    else {
      return nil
    }
    return seconds * 1_000_000_000 + millis * 1_000_000
  }
}
