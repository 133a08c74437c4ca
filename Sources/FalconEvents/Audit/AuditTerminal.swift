/// Terminal names as audit writes them (`tty=pts0`), turned into device numbers.
enum AuditTerminal {
  /// The `new_encode_dev` number of a terminal name: `ptsN` (Unix98 pseudo-terminals, majors
  /// 136-143), `ttyN` (virtual consoles, major 4), `ttySN` (serial ports, major 4 from minor
  /// 64), `console` (5:1); 0 for `(none)` and names it does not know.
  static func deviceNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt32
  {
    let name = UnsafeBufferPointer(rebasing: bytes[start..<end])
    func number(after prefix: Int) -> UInt32? {
      guard name.count > prefix, name.count - prefix <= 7 else { return nil }
      var value: UInt32 = 0
      for byte in name[prefix...] {
        let digit = byte &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        value = value * 10 + UInt32(digit)
      }
      return value
    }
    func encode(major: UInt32, minor: UInt32) -> UInt32 {
      minor & 0xFF | major << 8 | (minor & ~0xFF) << 12
    }
    func starts(with literal: StaticString) -> Bool {
      let count = literal.utf8CodeUnitCount
      guard name.count >= count else { return false }
      for index in 0..<count where name[index] != literal.utf8Start[index] { return false }
      return true
    }
    if starts(with: "pts"), let index = number(after: 3), index < 8 * 256 {
      return encode(major: 136 + index / 256, minor: index % 256)
    }
    if starts(with: "ttyS"), let index = number(after: 4), index < 192 {
      return encode(major: 4, minor: 64 + index)
    }
    if starts(with: "tty"), let index = number(after: 3), index < 64 {
      return encode(major: 4, minor: index)
    }
    if starts(with: "console"), name.count == 7 { return encode(major: 5, minor: 1) }
    return 0
  }
}
