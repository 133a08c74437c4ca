import Glibc
import XCTest

@testable import FalconCapture

/// Queries the live audit status; needs root in the initial namespaces.
final class AuditControlTests: XCTestCase {
  func testStatusQuery() throws {
    guard geteuid() == 0 else {
      throw XCTSkip("AUDIT_GET needs root (CAP_AUDIT_CONTROL); running as uid \(geteuid())")
    }
    let status: AuditStatus
    do {
      status = try AuditControl.status()
    } catch let error as CaptureError
      where [EPERM, ECONNREFUSED, EPROTONOSUPPORT].contains(error.errno ?? 0)
    {
      throw XCTSkip("the kernel refused AUDIT_GET (container or no audit support): \(error)")
    }
    XCTAssertLessThanOrEqual(status.enabled, 2)
    XCTAssertLessThanOrEqual(status.failure, 2)
    XCTAssertGreaterThan(status.backlogLimit, 0)
    if status.pid != 0 {
      XCTAssertEqual(kill(pid_t(bitPattern: status.pid), 0), 0, "auditd pid should be alive")
    }
  }
}
