import Glibc
import XCTest

@testable import FalconCapture

/// Subscribes to live process events and watches a spawned /bin/true; needs root.
final class ProcConnectorTests: XCTestCase {
  func testSeesExecOfSpawnedChild() throws {
    guard geteuid() == 0 else {
      throw XCTSkip(
        "the process-events connector test runs only as root (kernels before 6.6 require "
          + "CAP_NET_ADMIN); running as uid \(geteuid())")
    }
    let connector: ProcConnector
    do {
      connector = try ProcConnector()
    } catch let error as CaptureError
      where [EPERM, ECONNREFUSED, EPROTONOSUPPORT].contains(error.errno ?? 0)
    {
      throw XCTSkip("the kernel refused the connector socket: \(error)")
    }

    let child = try ChildProcess.spawn("/bin/true", arguments: ["true"]).get()
    var childReaped = false
    defer {
      if !childReaped { _ = ChildProcess.reap(child, deadline: .now.advanced(by: .seconds(5))) }
    }

    var sawFork = false
    var sawExec = false
    var exitStatus: UInt32?
    var eventCount = 0
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .seconds(5))
    do {
      while clock.now < deadline && !(sawExec && exitStatus != nil) {
        for event in try connector.nextEvents(timeout: .milliseconds(250)) {
          eventCount += 1
          switch event {
          case .fork(_, let parentTGID, _, let childTGID) where childTGID == child:
            XCTAssertEqual(parentTGID, getpid())
            sawFork = true
          case .exec(let pid, let tgid) where tgid == child:
            XCTAssertEqual(pid, child)
            sawExec = true
          case .exit(let pid, let tgid, let status, _) where tgid == child && pid == child:
            exitStatus = status
          default:
            break
          }
        }
      }
    } catch let error as CaptureError where error.errno == EPERM {
      throw XCTSkip("the kernel refused PROC_CN_MCAST_LISTEN: \(error)")
    }

    let outcome = ChildProcess.reap(child, deadline: .now.advanced(by: .seconds(5)))
    childReaped = true
    XCTAssertEqual(outcome, .exited(0))
    if eventCount == 0 && !connector.isAcknowledged {
      throw XCTSkip("no process events and no acknowledgement: the kernel ignores the connector "
        + "outside the initial user and PID namespaces (containers)")
    }
    XCTAssertTrue(sawFork, "no fork event for child \(child)")
    XCTAssertTrue(sawExec, "no exec event for child \(child) among \(eventCount) events")
    XCTAssertEqual(exitStatus, 0, "exit event for child \(child)")
  }
}
