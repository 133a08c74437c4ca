// Encoding transformations: base64Encode, hexEncode, urlEncode, length.

/// Namespace for the encoding transformations.
enum Encoders {
  private static let base64Alphabet: [UInt8] = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// `t:base64Encode`: standard alphabet with `=` padding, no line breaks.
  static func base64Encode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    if input.isEmpty { return false }
    out.removeAll(keepingCapacity: true)
    out.reserveCapacity((input.count + 2) / 3 * 4)
    var i = 0
    while i + 2 < input.count {
      let group = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
      out.append(base64Alphabet[Int(group >> 18 & 0x3F)])
      out.append(base64Alphabet[Int(group >> 12 & 0x3F)])
      out.append(base64Alphabet[Int(group >> 6 & 0x3F)])
      out.append(base64Alphabet[Int(group & 0x3F)])
      i += 3
    }
    let rest = input.count - i
    if rest > 0 {
      let group = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
      out.append(base64Alphabet[Int(group >> 18 & 0x3F)])
      out.append(base64Alphabet[Int(group >> 12 & 0x3F)])
      out.append(rest == 2 ? base64Alphabet[Int(group >> 6 & 0x3F)] : 0x3D)
      out.append(0x3D)
    }
    return true
  }

  /// `t:hexEncode`: two lower-case hex digits per byte.
  static func hexEncode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: repeatElement(0, count: input.count * 2))
    out.withUnsafeMutableBufferPointer { buffer in
      for (index, c) in input.enumerated() {
        buffer[2 * index] = ByteClass.lowerHexDigits[Int(c >> 4)]
        buffer[2 * index + 1] = ByteClass.lowerHexDigits[Int(c & 0x0F)]
      }
    }
    return true
  }

  /// `t:urlEncode`: keeps `*`, digits and ASCII letters, turns a space into `+` and everything else
  /// into `%hh` (lower-case hex).
  static func urlEncode(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    @inline(__always) func kept(_ c: UInt8) -> Bool {
      c == 0x2A || ByteClass.isDigit(c) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
    guard input.contains(where: { !kept($0) }) else { return false }
    out.removeAll(keepingCapacity: true)
    out.reserveCapacity(input.count * 3)
    for c in input {
      if c == 0x20 {
        out.append(0x2B)
      } else if kept(c) {
        out.append(c)
      } else {
        out.append(0x25)
        out.append(ByteClass.lowerHexDigits[Int(c >> 4)])
        out.append(ByteClass.lowerHexDigits[Int(c & 0x0F)])
      }
    }
    return true
  }

  /// `t:length`: the byte length of the value, in decimal.
  static func length(_ input: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: String(input.count).utf8)
    return true
  }
}
