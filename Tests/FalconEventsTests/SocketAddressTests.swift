import Testing

@testable import FalconEvents

/// Decoding raw `struct sockaddr` bytes, as audit `SOCKADDR` records carry them.
@Suite struct SocketAddressTests {
  private func bytes(_ hex: String) -> [UInt8] {
    var result: [UInt8] = []
    var iterator = hex.utf8.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
      result.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) ?? 0)
    }
    return result
  }

  @Test func inet() {
    let address = SocketAddress(sockaddr: bytes("02000050A9FEA9FE0000000000000000"))
    #expect(address == .inet(SocketEndpoint(address: IPAddress(ipv4: 0xA9FE_A9FE), port: 80)))
    #expect(address?.description == "169.254.169.254:80")
    #expect(address?.family == 2)
  }

  @Test func inet6() {
    let address = SocketAddress(
      sockaddr: bytes("0A007A6900000000000000000000000000000000000000010000000000000000"))
    #expect(address?.description == "::1:31337")
    #expect(address?.family == 10)
    #expect(address?.endpoint?.address.isLoopback == true)
  }

  @Test func unixPathStopsAtNulDespiteStackGarbage() {
    let address = SocketAddress(
      sockaddr: bytes("01002F7661722F72756E2F6E7363642F736F636B65740000C2ECD53093550000D3EC"))
    #expect(address == .unix(path: "/var/run/nscd/socket"))
  }

  @Test func abstractUnixNameGetsAnAt() {
    // "\0dbus" padded with NULs.
    let address = SocketAddress(sockaddr: bytes("01000064627573000000"))
    #expect(address == .unix(path: "@dbus"))
  }

  @Test func netlinkAndUnspecified() {
    #expect(
      SocketAddress(sockaddr: bytes("100000000000000000000000")) == .netlink(portID: 0, groups: 0))
    #expect(
      SocketAddress(sockaddr: bytes("10000000D204000001000000"))
        == .netlink(portID: 1234, groups: 1))
    #expect(SocketAddress(sockaddr: bytes("00000000000000000000000000000000"))?.family == 0)
  }

  @Test func bigEndianHostsSwapTheFamily() {
    #expect(
      SocketAddress(sockaddr: bytes("00020050A9FEA9FE"), bigEndian: true)?.description
        == "169.254.169.254:80")
  }

  @Test func truncatedAddressesAreRejected() {
    #expect(SocketAddress(sockaddr: [UInt8]()) == nil)
    #expect(SocketAddress(sockaddr: [2]) == nil)
    #expect(SocketAddress(sockaddr: bytes("020000507F00")) == nil)
    #expect(SocketAddress(sockaddr: bytes("0A00005000000000")) == nil)
    #expect(SocketAddress(sockaddr: bytes("10000000")) == nil)
  }
}
