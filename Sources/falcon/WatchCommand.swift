import ArgumentParser
import FalconCapture
import FalconEngine
import FalconEvents
import Glibc
import PolicyCore

/// Set by SIGINT/SIGTERM; the watch loop checks it between polls and then undoes its changes.
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

/// `falcon watch --pid N`: follow a process tree live and print events or alerts.
struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Follow a process and its descendants live; print alerts (with --rules) or a trace of events.",
    discussion: """
      Sources: `proc` (the proc connector, CAP_NET_ADMIN; exec/fork/exit enriched from /proc), `audit`
      (the kernel audit feed with rules Falcon installs for the event types its rules need, scoped to the
      tree's audit session when it has one; CAP_AUDIT_CONTROL), `auto` (audit when permitted, else proc,
      else /proc scanning). The watch ends when every process of the tree has exited, or on Ctrl-C;
      either way the audit rules it added are deleted and the audit state restored.
      """)

  @Option(help: "The process to watch (with all its descendants, including later ones).")
  var pid: Int32

  @Option(name: .customLong("rules"), help: "A Falco rules file or folder (repeatable).")
  var rules: [String] = []

  @Option(help: "Event source: auto, proc, audit.")
  var source: String = "auto"

  @Option(help: "With the audit source: automatic, daemon or multicast.")
  var auditMode: String = "automatic"

  @Flag(help: "Print alerts as Falco's JSON alert objects, one per line.")
  var json = false

  @Flag(help: "Print every event of the tree (the default when no rules are given).")
  var events = false

  @Option(help: "Stop after this many seconds (default: when the tree has exited).")
  var seconds: Double?

  func run() throws {
    guard kill(pid, 0) == 0 || errno == EPERM else {
      StandardStreams.writeError("falcon: no process \(pid)")
      throw ExitCode(2)
    }
    // Which sources the capabilities allow, and which this run uses.
    let capabilities = (try? CapabilitySet.current())?.effective ?? []
    func has(_ name: String) -> Bool { CapabilitySet.number(named: name).map { capabilities.contains($0) } ?? false }
    let canAudit = has("cap_audit_control")
    let canProc = has("cap_net_admin")
    StandardStreams.writeError(
      "falcon: capabilities allow: audit \(canAudit ? "yes" : "no (needs CAP_AUDIT_CONTROL)"), proc connector \(canProc ? "yes" : "no (needs CAP_NET_ADMIN)"), /proc scanning yes")
    let wanted = source.lowercased()
    guard ["auto", "audit", "proc"].contains(wanted) else {
      StandardStreams.writeError("falcon: unknown --source \(source) (auto, proc, audit)")
      throw ExitCode(2)
    }
    let planned: FieldSources =
      wanted == "audit" || (wanted == "auto" && canAudit) ? .audit : (wanted == "proc" || canProc ? .procConnector : .procScan)

    let matcher: WatchMatcher?
    do {
      matcher = rules.isEmpty ? nil : try WatchMatcher(paths: rules, sources: planned)
    } catch let failure as WatchMatcher.LoadFailure {
      StandardStreams.writeError(failure.text)
      throw ExitCode(1)
    }
    let printEvents = events || matcher == nil

    var tree = ProcessTreeFilter(root: Int64(pid))
    let target = ProcFS.thread(pid: Int64(pid))
    var sources: [any LiveEventSource] = []
    do {
      if planned == .audit {
        var filters: [AuditRule.Filter] = []
        if let session = target?.auditSessionID, session != ThreadInfo.unsetID {
          filters.append(AuditRule.Filter(.session, .equal, session))
          StandardStreams.writeError("falcon: audit rules scoped to session \(session) of pid \(pid)")
        } else {
          StandardStreams.writeError(
            "falcon: pid \(pid) has no audit session; auditing every process and keeping the tree's events")
        }
        let syscalls = matcher?.auditSyscalls ?? AuditSource.defaultSyscalls
        guard let mode = AuditFeed.Mode(rawValue: auditMode) else {
          StandardStreams.writeError("falcon: unknown --audit-mode \(auditMode)")
          throw ExitCode(2)
        }
        let audit = try AuditSource(rules: AuditSource.rules(syscalls: syscalls, filters: filters), mode: mode)
        StandardStreams.writeError(
          "falcon: audit source on (\(audit.feed.mode.rawValue)), \(audit.feed.installedRules.count) rules for \(syscalls.count) system calls")
        sources.append(audit)
      }
      if planned == .procConnector {
        sources.append(try ProcConnectorSource())
        StandardStreams.writeError("falcon: proc connector source on")
      }
      if planned == .procScan {
        sources.append(ProcScanSource())
        StandardStreams.writeError("falcon: no CAP_NET_ADMIN or CAP_AUDIT_CONTROL: falling back to /proc scanning (short-lived processes are missed)")
      }
      guard !sources.isEmpty else {
        StandardStreams.writeError("falcon: unknown or unavailable --source \(source)")
        throw ExitCode(2)
      }
    } catch let error as CaptureError {
      for opened in sources { _ = opened.close() }
      StandardStreams.writeError("falcon: cannot open the \(wanted) source: \(error)")
      throw ExitCode(1)
    }

    // Keep only what the open sources still need: deleting audit rules at exit, reading /proc.
    let keep = ["cap_audit_control", "cap_audit_read", "cap_sys_ptrace", "cap_dac_read_search"]
      .compactMap(CapabilitySet.number(named:)).filter { capabilities.contains($0) }
    do {
      try CapabilitySet.dropPrivileges(keeping: Set(keep))
      StandardStreams.writeError("falcon: capabilities dropped to: \(CapabilitySet.falcoString(Set(keep)))")
    } catch {
      StandardStreams.writeError("falcon: could not drop capabilities: \(error)")
    }

    signal(SIGINT) { _ in stopRequested = 1 }
    signal(SIGTERM) { _ in stopRequested = 1 }
    StandardStreams.writeError("falcon: watching pid \(pid)")

    var table = ProcessTable()
    var alerts = 0
    let clock = ContinuousClock()
    let started = clock.now
    var quietSince: ContinuousClock.Instant? = nil
    func handle(_ incoming: Event) {
      var event = incoming
      table.apply(&event)
      guard tree.admit(event) else { return }
      if printEvents { StandardStreams.writeOutput(WatchTrace.line(event) + "\n") }
      if let matcher {
        for alert in matcher.match(event, json: json) {
          alerts += 1
          StandardStreams.writeOutput(alert + "\n")
        }
      }
    }
    loop: while stopRequested == 0 {
      for each in sources {
        do {
          try each.poll(timeout: .milliseconds(100), emit: handle)
        } catch {
          StandardStreams.writeError("falcon: \(each.name) source failed: \(error)")
          break loop
        }
      }
      if let seconds, clock.now - started > .milliseconds(Int64(seconds * 1000)) { break }
      if tree.isFinished {
        // Give the kernel a moment to deliver the tree's last records, then stop.
        if quietSince == nil { quietSince = clock.now }
        if let since = quietSince, clock.now - since > .milliseconds(500) { break }
      }
    }
    for each in sources {
      if let audit = each as? AuditSource { audit.flush(emit: handle) }
    }
    var failed = false
    for each in sources {
      let problems = each.close()
      for problem in problems { StandardStreams.writeError("falcon: undoing \(each.name) changes: \(problem)") }
      failed = failed || !problems.isEmpty
      let losses = each.losses.filter { $0.value != 0 }.sorted { $0.key < $1.key }
      if !losses.isEmpty {
        StandardStreams.writeError("falcon: \(each.name) losses: " + losses.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
      }
    }
    StandardStreams.writeError("falcon: stopped; \(alerts) alerts")
    if failed { throw ExitCode(1) }
  }
}

/// One line per event for `--events`: time, pid, ppid, user, event, exe, then argv, path or address.
enum WatchTrace {
  static func line(_ event: Event) -> String {
    let thread = event.thread
    var detail = ""
    if event.type.isExec {
      detail = ([thread.exe] + thread.args).joined(separator: " ")
    } else if let fd = event.fd {
      detail = fd.name
    } else if case .path(let path)? = event.arguments["filename"] ?? event.arguments["name"] {
      detail = path
    }
    let seconds = event.timestamp / 1_000_000_000
    let nanos = event.timestamp % 1_000_000_000
    let nanoText = String(nanos)
    let padded = String(repeating: "0", count: max(0, 9 - nanoText.count)) + nanoText
    let result = event.result.map { " res=\($0)" } ?? ""
    return "\(seconds).\(padded) pid=\(thread.pid) ppid=\(thread.ppid) uid=\(thread.euid) \(event.type.name)\(result) exe=\(thread.exePath.isEmpty ? thread.exe : thread.exePath) \(detail)"
  }
}
