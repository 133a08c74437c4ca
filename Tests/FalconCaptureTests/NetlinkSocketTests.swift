import Glibc
import XCTest

@testable import FalconCapture

/// Exercises the netlink socket on NETLINK_ROUTE (open to unprivileged processes) and the
/// message and connector decoders on hand-built bytes.
final class NetlinkSocketTests: XCTestCase {
  // Stable kernel ABI numbers from linux/rtnetlink.h and linux/netlink.h, used only here.
  private let rtmNewLink: UInt16 = 16
  private let rtmGetLink: UInt16 = 18
  private let dumpFlags: UInt16 = 0x300  // NLM_F_ROOT | NLM_F_MATCH

  func testBindAssignsPortAndBufferIsGranted() throws {
    let socket = try NetlinkSocket(family: .route)
    try socket.bind()
    XCTAssertNotEqual(socket.portID, 0)
    let granted = try socket.setReceiveBufferSize(1 << 20)
    XCTAssertGreaterThan(granted, 0)
    if geteuid() == 0 {
      // SO_RCVBUFFORCE ignores rmem_max; the kernel doubles the request.
      XCTAssertGreaterThanOrEqual(granted, 1 << 20)
    }
  }

  func testReceiveTimesOutWithNothingPending() throws {
    let socket = try NetlinkSocket(family: .route)
    try socket.bind()
    let clock = ContinuousClock()
    let start = clock.now
    XCTAssertEqual(try socket.receive(timeout: .milliseconds(100)).count, 0)
    XCTAssertGreaterThanOrEqual(start.duration(to: clock.now), .milliseconds(90))
  }

  /// Dumps the network interfaces: a multipart reply that must end with NLMSG_DONE.
  func testLinkDumpRoundTrip() throws {
    let socket = try NetlinkSocket(family: .route)
    try socket.bind()
    // struct rtgenmsg { unsigned char rtgen_family; }, padded by the socket to 4 bytes.
    let sequence = try socket.send(
      type: rtmGetLink, flags: NetlinkMessage.requestFlag | dumpFlags,
      payload: [UInt8(AF_UNSPEC)])
    var links = 0
    var finished = false
    for _ in 0..<100 where !finished {
      let messages = try socket.receive(timeout: .seconds(2))
      if messages.isEmpty { break }
      for message in messages where message.sequence == sequence {
        XCTAssertEqual(message.portID, socket.portID)
        switch message.kind {
        case .data where message.type == rtmNewLink: links += 1
        case .done: finished = true
        case .error(let code): XCTFail("RTM_GETLINK failed with errno \(code)")
        default: break
        }
      }
    }
    XCTAssertTrue(finished, "no NLMSG_DONE")
    XCTAssertGreaterThanOrEqual(links, 1, "at least the loopback interface")
  }

  func testMessageKinds() {
    func message(_ type: UInt16, _ payload: [UInt8] = []) -> NetlinkMessage {
      NetlinkMessage(type: type, flags: 0, sequence: 1, portID: 0, payload: payload)
    }
    XCTAssertEqual(message(2, [0xff, 0xff, 0xff, 0xff]).kind, .error(1))  // -EPERM
    XCTAssertEqual(message(2, [0, 0, 0, 0]).kind, .acknowledgement)
    XCTAssertEqual(message(2, []).kind, .error(EPROTO))
    XCTAssertEqual(message(3).kind, .done)
    XCTAssertEqual(message(1).kind, .control)
    XCTAssertEqual(message(rtmNewLink).kind, .data)
  }

  func testConnectorControlPayloadLayout() {
    let payload = ProcConnector.controlPayload(listen: true, sequence: 7)
    // cn_msg { idx, val, seq, ack: u32; len, flags: u16 } then the u32 operation.
    XCTAssertEqual(payload.count, 24)
    XCTAssertEqual(words(payload), [1, 1, 7, 0, 4, 1])
    XCTAssertEqual(words(ProcConnector.controlPayload(listen: false, sequence: 9)), [1, 1, 9, 0, 4, 2])
  }

  func testConnectorFrameDecoding() {
    // exec: what=2, cpu=3, timestamp, pid/tgid.
    XCTAssertEqual(
      frame(what: 0x2, data: [1234, 1200]), .event(.exec(pid: 1234, tgid: 1200)))
    XCTAssertEqual(
      frame(what: 0x1, data: [10, 11, 12, 13]),
      .event(.fork(parentPID: 10, parentTGID: 11, childPID: 12, childTGID: 13)))
    XCTAssertEqual(
      frame(what: 0x8000_0000, data: [5, 5, 256, 17, 1, 1]),
      .event(.exit(pid: 5, tgid: 5, status: 256, exitSignal: 17)))
    XCTAssertEqual(
      frame(what: 0x4, data: [5, 5, 1000, 0]),
      .event(.uid(pid: 5, tgid: 5, real: 1000, effective: 0)))
    XCTAssertEqual(
      frame(what: 0x40, data: [5, 5, 100, 101]),
      .event(.gid(pid: 5, tgid: 5, real: 100, effective: 101)))
    XCTAssertEqual(frame(what: 0x80, data: [8, 8]), .event(.sid(pid: 8, tgid: 8)))
    XCTAssertEqual(
      frame(what: 0x100, data: [8, 8, 1, 1]),
      .event(.ptrace(pid: 8, tgid: 8, tracerPID: 1, tracerTGID: 1)))
    XCTAssertEqual(frame(what: 0x4000_0000, data: [9, 9, 1, 1]), .event(.coredump(pid: 9, tgid: 9)))
    // comm: "bash" in a 16-byte NUL-padded field.
    let bash = UInt32(0x6873_6162)  // "bash" little-endian
    XCTAssertEqual(
      frame(what: 0x200, data: [7, 7, bash, 0, 0, 0]),
      .event(.comm(pid: 7, tgid: 7, name: "bash")))
    XCTAssertEqual(
      frame(what: 0, data: [UInt32(EPERM)], sequence: 42, ack: 1),
      .acknowledgement(sequence: 42, acknowledgement: 1, error: EPERM))
    XCTAssertEqual(frame(what: 0x400, data: [1, 1]), .event(.other(what: 0x400)))
    XCTAssertEqual(frame(what: 0x2, data: [1, 1], index: 2), .unrelated)
    XCTAssertEqual(ProcConnector.Frame(connectorPayload: [1, 0, 0, 0]), .unrelated)
  }

  /// Builds a connector payload: cn_msg header, proc_event header, then 32-bit data words.
  private func frame(
    what: UInt32, data: [UInt32], sequence: UInt32 = 0, ack: UInt32 = 0, index: UInt32 = 1
  ) -> ProcConnector.Frame {
    var bytes: [UInt8] = []
    func append<T>(_ value: T) { withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) } }
    let eventLength = 16 + 4 * data.count
    append(index)
    append(UInt32(1))
    append(sequence)
    append(ack)
    append(UInt16(eventLength))
    append(UInt16(0))
    append(what)
    append(UInt32(3))  // cpu
    append(UInt64(123_456_789))  // timestamp_ns
    data.forEach { append($0) }
    return ProcConnector.Frame(connectorPayload: bytes)
  }

  /// Reads a control payload as its 32-bit header words, with len/flags as one word each.
  private func words(_ payload: [UInt8]) -> [UInt32] {
    payload.withUnsafeBytes { raw in
      [
        raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self),
        raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self),
        raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
        raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self),
        UInt32(raw.loadUnaligned(fromByteOffset: 16, as: UInt16.self)),
        raw.loadUnaligned(fromByteOffset: 20, as: UInt32.self),
      ]
    }
  }
}
