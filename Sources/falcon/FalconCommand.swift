import ArgumentParser
import FalconCapture
import PolicyCore

/// `falcon`: Falco-compatible runtime security from the command line. Argument parsing and
/// printing only; capture and matching live in the libraries.
@main
struct FalconCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "falcon",
    abstract: "Watch processes and system calls with Falco-compatible rules.",
    subcommands: [
      WatchCommand.self, ReplayCommand.self, ValidateCommand.self, ListCommand.self, BenchCommand.self,
      SyscallsCommand.self, CapsCommand.self, AuditStatusCommand.self, ProcEventsCommand.self,
    ])
}

/// `falcon syscalls`: the syscall table of an architecture, from libseccomp.
struct SyscallsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "syscalls", abstract: "Print the system call table of an architecture (number and name).")

  @Option(help: "Architecture: \(SeccompArchitecture.allCases.map(\.rawValue).joined(separator: ", ")).")
  var arch: String = "native"

  @Argument(help: "Names or numbers to look up; all calls when empty.")
  var lookups: [String] = []

  func run() throws {
    guard let architecture = SeccompArchitecture(rawValue: arch) else {
      StandardStreams.writeError("invalid_argument: unknown architecture '\(arch)'")
      throw ExitCode(2)
    }
    if lookups.isEmpty {
      let table = SyscallTable(architecture: architecture)
      StandardStreams.writeOutput(table.entries.map { "\($0.number)\t\($0.name)\n" }.joined())
      return
    }
    var missing = false
    for lookup in lookups {
      if let number = Int32(lookup) {
        if let name = SyscallTable.name(of: number, arch: architecture) {
          StandardStreams.writeOutput("\(number)\t\(name)\n")
          continue
        }
      } else if let number = SyscallTable.number(of: lookup, arch: architecture) {
        StandardStreams.writeOutput("\(number)\t\(lookup)\n")
        continue
      }
      StandardStreams.writeError("\(lookup): no such system call on \(architecture.rawValue)")
      missing = true
    }
    if missing { throw ExitCode(1) }
  }
}

/// `falcon caps`: a process's capability sets as Falco prints `thread.cap_*`.
struct CapsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "caps", abstract: "Print a process's effective, permitted and inheritable capabilities.")

  @Option(help: "Process ID (default: this process).")
  var pid: Int32?

  func run() throws {
    let set: CapabilitySet
    do {
      set = try pid.map { try CapabilitySet(pid: $0) } ?? CapabilitySet.current()
    } catch {
      StandardStreams.writeError("io_error: \(error)")
      throw ExitCode(1)
    }
    StandardStreams.writeOutput(
      """
      thread.cap_effective=\(CapabilitySet.falcoString(set.effective))
      thread.cap_permitted=\(CapabilitySet.falcoString(set.permitted))
      thread.cap_inheritable=\(CapabilitySet.falcoString(set.inheritable))

      """)
  }
}

/// `falcon audit-status`: the kernel audit subsystem's state (needs CAP_AUDIT_CONTROL).
struct AuditStatusCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit-status", abstract: "Print the kernel audit status (enabled, pid, backlog, lost).")

  func run() throws {
    do {
      let status = try AuditControl.status()
      let rules = try AuditControl.ruleListing()
      StandardStreams.writeOutput(
        """
        enabled=\(status.enabled) failure=\(status.failure) pid=\(status.pid) rate_limit=\(status.rateLimit) \
        backlog_limit=\(status.backlogLimit) lost=\(status.lost) backlog=\(status.backlog) rules=\(rules.count)

        """)
    } catch {
      StandardStreams.writeError("io_error: \(error)")
      throw ExitCode(1)
    }
  }
}

/// `falcon proc-events`: raw process events from the kernel's proc connector.
struct ProcEventsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "proc-events", abstract: "Print fork/exec/exit events from the proc connector for a while.")

  @Option(help: "Seconds to listen.")
  var seconds: Int = 5

  func run() throws {
    do {
      let connector = try ProcConnector()
      let deadline = ContinuousClock.now + .seconds(seconds)
      while ContinuousClock.now < deadline {
        for event in try connector.nextEvents(timeout: .milliseconds(200)) {
          StandardStreams.writeOutput("\(event)\n")
        }
      }
      if connector.overruns > 0 {
        StandardStreams.writeError("warning: the kernel dropped events \(connector.overruns) time(s) (receive buffer overrun)")
      }
    } catch {
      StandardStreams.writeError("io_error: \(error)")
      throw ExitCode(1)
    }
  }
}
