import Glibc
import XCTest

@testable import FalconCapture

/// Exercises filter construction and export in-process, and loading only in forked children.
final class SeccompFilterTests: XCTestCase {
  func testPFCExportContainsTheRule() throws {
    let filter = try SeccompFilter(defaultAction: .allow)
    try filter.addRule(action: .errno(UInt16(EPERM)), syscall: "mkdirat")
    let pfc = try filter.exportPFC()
    XCTAssertTrue(pfc.contains("mkdirat"), pfc)
    XCTAssertTrue(pfc.contains("ERRNO(\(EPERM))"), pfc)
    XCTAssertTrue(pfc.contains("ALLOW"), pfc)
  }

  func testAddedArchitectureAppearsInExport() throws {
    let filter = try SeccompFilter(defaultAction: .allow)
    try filter.addArchitecture(.x86)
    try filter.addArchitecture(.x86)  // adding twice is not an error
    try filter.addArchitecture(.native)
    try filter.addRule(action: .killProcess, syscall: "ptrace")
    let pfc = try filter.exportPFC()
    XCTAssertTrue(pfc.contains("x86"), pfc)
    XCTAssertTrue(pfc.contains("ptrace"), pfc)
    XCTAssertTrue(pfc.contains("KILL_PROCESS"), pfc)
  }

  func testBPFExportIsWholeInstructions() throws {
    let filter = try SeccompFilter(defaultAction: .allow)
    try filter.addRule(action: .log, syscall: "execve")
    let program = try filter.exportBPF()
    XCTAssertGreaterThan(program.count, 0)
    XCTAssertEqual(program.count % 8, 0, "struct sock_filter is 8 bytes")
  }

  func testUnknownSyscallIsRejected() throws {
    let filter = try SeccompFilter(defaultAction: .allow)
    XCTAssertThrowsError(try filter.addRule(action: .log, syscall: "not_a_syscall")) { error in
      guard case .invalidArgument(let operation, _) = error as? CaptureError else {
        return XCTFail("unexpected error \(error)")
      }
      XCTAssertEqual(operation, "seccomp_rule_add")
    }
  }

  func testAllActionsBuildFilters() throws {
    let actions: [SeccompAction] = [
      .allow, .log, .killProcess, .killThread, .errno(1), .trace(7), .notify,
    ]
    for action in actions {
      let filter = try SeccompFilter(defaultAction: action == .allow ? .killProcess : .allow)
      try filter.addRule(action: action, syscall: "getpid")
      XCTAssertFalse(try filter.exportPFC().isEmpty, "\(action)")
    }
  }

  /// Loads an errno filter in a forked child; the child's mkdir must fail with EPERM.
  func testLoadedFilterFailsBlockedCallInChild() throws {
    let filter = try SeccompFilter(defaultAction: .allow)
    for name in ["mkdir", "mkdirat"] {
      try filter.addRule(action: .errno(UInt16(EPERM)), syscall: name)
    }
    let path = try XCTUnwrap(strdup("/tmp/rampart-seccomp-test-\(getpid())"))
    defer {
      rmdir(path)  // only exists if the filter failed to block
      free(path)
    }
    let result = ChildProcess.run { _ in
      do { try filter.load() } catch { return 2 }
      if mkdir(path, 0o700) == 0 { return 3 }
      return errno == EPERM ? 0 : 4
    }
    XCTAssertEqual(result.outcome, .exited(0), "2: load failed, 3: mkdir ran, 4: other errno")
    // The parent is unfiltered.
    XCTAssertEqual(mkdir(path, 0o700), 0)
  }

  /// Loads a kill-process filter in a forked child; calling the rule's syscall must kill it.
  func testKillActionKillsChildWithSIGSYS() throws {
    let filter = try SeccompFilter(defaultAction: .allow)
    try filter.addRule(action: .killProcess, syscall: "getppid")
    let result = ChildProcess.run { _ in
      var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
      _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)  // a SIGSYS death would otherwise dump core
      do { try filter.load() } catch { return 2 }
      _ = getppid()
      return 0
    }
    XCTAssertEqual(result.outcome, .signaled(SIGSYS))
  }
}
