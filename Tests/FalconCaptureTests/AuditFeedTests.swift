import Foundation
import Glibc
import XCTest

@testable import FalconCapture
import FalconEvents

/// Installs a scoped execve rule, runs a child under a fresh login UID, reads its records from the
/// live feed, and checks that the audit state afterwards equals the state before.
final class AuditFeedTests: XCTestCase {
  func testScopedExecveRecordsAndCleanRestore() throws {
    guard geteuid() == 0 else {
      throw XCTSkip("the audit feed needs root (CAP_AUDIT_CONTROL, CAP_AUDIT_READ); running as uid \(geteuid())")
    }
    let statusBefore: AuditStatus
    let rulesBefore: [[UInt8]]
    do {
      statusBefore = try AuditControl.status()
      rulesBefore = try AuditControl.ruleListing()
    } catch let error as CaptureError where [EPERM, ECONNREFUSED, EPROTONOSUPPORT].contains(error.errno ?? 0) {
      throw XCTSkip("the kernel refused audit control here (container or no audit support): \(error)")
    }
    // A login UID nothing else on the host has, so the rule sees only the child.
    let loginUID = UInt32(420_000 + Int(getpid() % 10_000))
    let rule = try AuditRule(
      architecture: .native, syscallNames: ["execve", "execveat"],
      filters: [AuditRule.Filter(.loginUID, .equal, loginUID)], key: "rampart-test")
    let feed = try AuditFeed(rules: [rule])
    defer {
      let problems = feed.close()
      XCTAssertEqual(problems, [], "undoing the audit changes failed")
    }
    XCTAssertEqual(feed.installedRules.count, 1)
    if ProcessInfo.processInfo.environment["RAMPART_DEBUG_AUDIT"] != nil {
      print("status now:", try AuditControl.status(), "rules:", try AuditControl.ruleListing().count)
    }

    // The child sets its login UID (allowed once while unset, with CAP_AUDIT_CONTROL) and then
    // execs /bin/true, which the rule must report.
    let script = "echo \(loginUID) > /proc/self/loginuid && exec /bin/true rampart-audit-probe"
    let path = "/bin/sh"
    let arguments = ["/bin/sh", "-c", script]
    let child = ChildProcess.run(timeout: .seconds(10)) { _ in
      var cArguments = arguments.map { strdup($0) }
      cArguments.append(nil)
      execv(path, &cArguments)
      return 127
    }
    XCTAssertEqual(child.outcome, .exited(0))

    var sawExecve = false
    var sawKey = false
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(5))
    while clock.now < deadline, !(sawExecve && sawKey) {
      for record in try feed.receive(timeout: .milliseconds(200)) {
        let text = String(decoding: record.text, as: UTF8.self)
        if ProcessInfo.processInfo.environment["RAMPART_DEBUG_AUDIT"] != nil { print("record \(record.type): \(text)") }
        if record.type == 1309, text.contains("rampart-audit-probe") { sawExecve = true }
        if record.type == 1300, text.contains("key=\"rampart-test\"") { sawKey = true }
      }
    }
    XCTAssertTrue(sawExecve, "no EXECVE record with the probe argument arrived (mode \(feed.mode))")
    XCTAssertTrue(sawKey, "no SYSCALL record carried the rule key")

    XCTAssertEqual(feed.close(), [])
    let statusAfter = try AuditControl.status()
    XCTAssertEqual(statusAfter.enabled, statusBefore.enabled)
    XCTAssertEqual(statusAfter.pid, statusBefore.pid)
    XCTAssertEqual(try AuditControl.ruleListing(), rulesBefore)
  }

  func testRuleEncodingLimits() throws {
    let tooMany = [AuditRule.Filter](repeating: AuditRule.Filter(.pid, .equal, 1), count: AuditRule.maximumFilters + 1)
    let rule = AuditRule(architecture: AuditArchitecture.x86_64.rawValue, syscalls: [59], filters: tooMany, key: "k")
    XCTAssertThrowsError(try rule.encoded())
    let longKey = AuditRule(architecture: AuditArchitecture.x86_64.rawValue, syscalls: [59], key: String(repeating: "k", count: 300))
    XCTAssertThrowsError(try longKey.encoded())
    let good = AuditRule(architecture: AuditArchitecture.x86_64.rawValue, syscalls: [59, 322], key: "exec")
    let bytes = try good.encoded()
    // 3 header words, 64 mask words, 3 x 64 field words, buflen, then the key.
    XCTAssertEqual(bytes.count, (3 + 64 + 192 + 1) * 4 + 4)
  }
}
