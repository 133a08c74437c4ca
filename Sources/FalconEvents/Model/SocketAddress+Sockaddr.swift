extension SocketAddress {
  /// Decodes a raw `struct sockaddr` as the kernel copied it from user memory (the bytes of an
  /// audit `SOCKADDR` record's `saddr`), or nil when it is too short to hold its family's fields.
  ///
  /// The family field and netlink IDs are in the recording host's byte order, so the caller says
  /// which that was (`bigEndian` for s390x and big-endian POWER); ports and IP addresses are in
  /// network order on every host. A Unix path ends at its first NUL: glibc passes the whole
  /// 110-byte `sockaddr_un`, so stack garbage can follow it. An abstract Unix name (leading NUL)
  /// keeps every byte up to the address length, trailing NULs removed.
  ///
  /// Layouts: `sockaddr_in` is family(2) port(2) address(4); `sockaddr_in6` is family(2) port(2)
  /// flowinfo(4) address(16) scope(4); `sockaddr_un` is family(2) path(108); `sockaddr_nl` is
  /// family(2) pad(2) portID(4) groups(4).
  public init?<Bytes: RandomAccessCollection>(sockaddr bytes: Bytes, bigEndian: Bool = false)
  where Bytes.Element == UInt8, Bytes.Index == Int {
    let base = bytes.startIndex
    let count = bytes.count
    guard count >= 2 else { return nil }
    func byte(_ offset: Int) -> UInt8 { bytes[base + offset] }
    func hostUInt16(_ offset: Int) -> UInt16 {
      bigEndian
        ? UInt16(byte(offset)) << 8 | UInt16(byte(offset + 1))
        : UInt16(byte(offset + 1)) << 8 | UInt16(byte(offset))
    }
    func hostUInt32(_ offset: Int) -> UInt32 {
      var value: UInt32 = 0
      for index in 0..<4 {
        let shift = bigEndian ? UInt32(3 - index) * 8 : UInt32(index) * 8
        value |= UInt32(byte(offset + index)) << shift
      }
      return value
    }
    func networkPort() -> UInt16 { UInt16(byte(2)) << 8 | UInt16(byte(3)) }

    let family = hostUInt16(0)
    switch family {
    case 2:  // AF_INET
      guard count >= 8 else { return nil }
      let value =
        UInt32(byte(4)) << 24 | UInt32(byte(5)) << 16 | UInt32(byte(6)) << 8 | UInt32(byte(7))
      self = .inet(SocketEndpoint(address: IPAddress(ipv4: value), port: networkPort()))
    case 10:  // AF_INET6
      guard count >= 24, let address = IPAddress(bytes: bytes[(base + 8)..<(base + 24)]) else {
        return nil
      }
      self = .inet(SocketEndpoint(address: address, port: networkPort()))
    case 1:  // AF_UNIX
      let path = bytes[(base + 2)...]
      if let first = path.first, first == 0, path.count > 1 {
        var name = path.dropFirst()
        while let last = name.last, last == 0 { name = name.dropLast() }
        self = .unix(path: "@" + String(decoding: name, as: UTF8.self))
      } else {
        let end = path.firstIndex(of: 0) ?? path.endIndex
        self = .unix(path: String(decoding: path[path.startIndex..<end], as: UTF8.self))
      }
    case 16:  // AF_NETLINK
      guard count >= 12 else { return nil }
      self = .netlink(portID: hostUInt32(4), groups: hostUInt32(8))
    default:
      self = .other(family: family, bytes: Array(bytes[(base + 2)...]))
    }
  }
}
