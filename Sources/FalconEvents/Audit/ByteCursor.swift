internal import Glibc

/// A read position over record bytes, with the few steps the header grammar needs.
struct ByteCursor {
  // The separator search runs over every byte of every record: it uses memchr.
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0
  let end: Int

  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
    var end = bytes.count
    if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    self.end = end
  }

  /// Consumes `literal` if the bytes at the position spell it.
  mutating func consume(_ literal: StaticString) -> Bool {
    let count = literal.utf8CodeUnitCount
    guard end - position >= count else { return false }
    let start = literal.utf8Start
    for index in 0..<count where bytes[position + index] != start[index] { return false }
    position += count
    return true
  }

  mutating func skip(until byte: UInt8) {
    while position < end, bytes[position] != byte { position += 1 }
  }

  mutating func skipSpaces() {
    while position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
  }

  /// Reads one decimal digit.
  mutating func digit() -> UInt8? {
    guard position < end else { return nil }
    let byte = bytes[position]
    guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
    position += 1
    return byte - UInt8(ascii: "0")
  }

  /// Reads an unsigned decimal number of 1 to `maxDigits` digits that fits in 64 bits.
  /// Nineteen digits cannot overflow; only a twentieth is checked.
  mutating func decimal(maxDigits: Int) -> UInt64? {
    var value: UInt64 = 0
    var count = 0
    while position < end {
      let digit = bytes[position] &- UInt8(ascii: "0")
      if digit > 9 { break }
      count += 1
      if count > maxDigits { return nil }
      if count < 20 {
        value = value &* 10 &+ UInt64(digit)
      } else {
        let (product, overflow) = value.multipliedReportingOverflow(by: 10)
        let (sum, carry) = product.addingReportingOverflow(UInt64(digit))
        if overflow || carry { return nil }
        value = sum
      }
      position += 1
    }
    return count == 0 ? nil : value
  }

  func firstIndex(of byte: UInt8, from start: Int) -> Int? {
    guard start < end, let base = bytes.baseAddress,
      let hit = memchr(base + start, Int32(byte), end - start)
    else { return nil }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
  }
}
