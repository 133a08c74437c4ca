// Byte encodings the `io.jwt` builtins need, with Go's behaviour and error texts: base64
// (standard and URL alphabets, as Go's encoding/base64 decodes them), PEM blocks (encoding/pem),
// and a strict DER reader (enough of encoding/asn1 to find a certificate's public key).

enum JWTBase64 {
  private static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  private static func decodeMap(_ alphabet: [UInt8]) -> [UInt8] {
    var map = [UInt8](repeating: 0xff, count: 256)
    for (index, byte) in alphabet.enumerated() { map[Int(byte)] = UInt8(index) }
    return map
  }

  private static let standardMap = decodeMap(standardAlphabet)
  private static let urlMap = decodeMap(urlAlphabet)

  /// Go's `base64.(Std|URL)Encoding.DecodeString` (padded, non-strict; CR and LF ignored).
  ///
  /// - Throws: `illegal base64 data at input byte N`, as Go's `CorruptInputError`.
  static func decodePadded(_ text: [UInt8], url: Bool) throws(JWTFailure) -> [UInt8] {
    let map = url ? urlMap : standardMap
    var out: [UInt8] = []
    out.reserveCapacity(text.count / 4 * 3)
    var index = 0
    func corrupt(_ offset: Int) -> JWTFailure { JWTFailure("illegal base64 data at input byte \(offset)") }
    while index < text.count {
      var quantum = [UInt8](repeating: 0, count: 4)
      var length = 4
      var position = 0
      var trailingError: JWTFailure?
      while position < 4 {
        if index == text.count {
          if position == 0 { return out }
          // Padding is required: a short final quantum is corrupt.
          throw corrupt(index - position)
        }
        let byte = text[index]
        index += 1
        let value = map[Int(byte)]
        if value != 0xff {
          quantum[position] = value
          position += 1
          continue
        }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { continue }
        guard byte == UInt8(ascii: "=") else { throw corrupt(index - 1) }
        // Padding: "==" after two symbols, "=" after three.
        switch position {
        case 0, 1:
          throw corrupt(index - 1)
        case 2:
          while index < text.count, text[index] == UInt8(ascii: "\n") || text[index] == UInt8(ascii: "\r") {
            index += 1
          }
          if index == text.count { throw corrupt(text.count) }
          if text[index] != UInt8(ascii: "=") { throw corrupt(index - 1) }
          index += 1
        default:
          break
        }
        while index < text.count, text[index] == UInt8(ascii: "\n") || text[index] == UInt8(ascii: "\r") {
          index += 1
        }
        if index < text.count { trailingError = corrupt(index) }
        length = position
        break
      }
      let value = UInt32(quantum[0]) << 18 | UInt32(quantum[1]) << 12 | UInt32(quantum[2]) << 6 | UInt32(quantum[3])
      let bytes = [UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
      out.append(contentsOf: bytes[0..<(length - 1)])
      if let trailingError { throw trailingError }
    }
    return out
  }

  /// OPA's `base64url.decode`: restores missing padding (RFC 7515 appendix C), then decodes.
  static func decodeURL(_ text: String) throws(JWTFailure) -> [UInt8] {
    var bytes = Array(text.utf8)
    if bytes.last != UInt8(ascii: "=") {
      switch bytes.count % 4 {
      case 0: break
      case 2: bytes += Array("==".utf8)
      case 3: bytes += Array("=".utf8)
      default: throw JWTFailure("illegal base64url string: " + text)
      }
    }
    return try decodePadded(bytes, url: true)
  }

  /// Lenient decoding for JWK members: either alphabet, padding optional (as jwx accepts).
  static func decodeLenient(_ text: String) -> [UInt8]? {
    var bytes = Array(text.utf8).filter { $0 != UInt8(ascii: "=") }
    for index in bytes.indices {
      if bytes[index] == UInt8(ascii: "+") { bytes[index] = UInt8(ascii: "-") }
      if bytes[index] == UInt8(ascii: "/") { bytes[index] = UInt8(ascii: "_") }
    }
    switch bytes.count % 4 {
    case 2: bytes += Array("==".utf8)
    case 3: bytes += Array("=".utf8)
    case 1: return nil
    default: break
    }
    return try? decodePadded(bytes, url: true)
  }

  /// Standard base64 with padding (Go's `base64.StdEncoding`, as encoding/json writes `[]byte`).
  static func encodeStandard(_ bytes: [UInt8]) -> String {
    var out = Array(encode(bytes, alphabet: standardAlphabet).utf8)
    while out.count % 4 != 0 { out.append(UInt8(ascii: "=")) }
    return String(decoding: out, as: UTF8.self)
  }

  /// Base64url without padding (Go's `base64.RawURLEncoding`).
  static func encodeURL(_ bytes: [UInt8]) -> String {
    encode(bytes, alphabet: urlAlphabet)
  }

  private static func encode(_ bytes: [UInt8], alphabet urlAlphabet: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= bytes.count {
      let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      for shift in [18, 12, 6, 0] { out.append(urlAlphabet[Int(value >> UInt32(shift) & 0x3f)]) }
      index += 3
    }
    let remaining = bytes.count - index
    if remaining == 1 {
      let value = UInt32(bytes[index]) << 16
      out.append(urlAlphabet[Int(value >> 18 & 0x3f)])
      out.append(urlAlphabet[Int(value >> 12 & 0x3f)])
    } else if remaining == 2 {
      let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
      out.append(urlAlphabet[Int(value >> 18 & 0x3f)])
      out.append(urlAlphabet[Int(value >> 12 & 0x3f)])
      out.append(urlAlphabet[Int(value >> 6 & 0x3f)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// A non-type failure inside the JWT helpers, carrying OPA's message.
struct JWTFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

// MARK: - PEM

/// One PEM block: its type line and decoded body.
struct JWTPEMBlock {
  var type: String
  var bytes: [UInt8]
}

enum JWTPEM {
  /// Go's `pem.Decode`: the first well-formed block and the bytes after its END line, or nil.
  static func decode(_ data: [UInt8]) -> (block: JWTPEMBlock, rest: [UInt8])? {
    let begin = Array("-----BEGIN ".utf8)
    let end = Array("\n-----END ".utf8)
    let dashes = Array("-----".utf8)
    var rest = data[...]
    while true {
      if rest.starts(with: begin) {
        rest = rest.dropFirst(begin.count)
      } else if let found = firstRange(of: [UInt8(ascii: "\n")] + begin, in: rest) {
        rest = rest[found.upperBound...]
      } else {
        return nil
      }
      var (typeLine, next) = line(rest)
      rest = next
      guard typeLine.count >= dashes.count, Array(typeLine.suffix(dashes.count)) == dashes else { continue }
      typeLine = typeLine.dropLast(dashes.count)
      // Headers ("Key: value" lines) are skipped; no builtin here uses them.
      var sawHeader = false
      while true {
        if rest.isEmpty { return nil }
        let (headerLine, afterHeader) = line(rest)
        guard headerLine.contains(UInt8(ascii: ":")) else { break }
        sawHeader = true
        rest = afterHeader
      }
      var endIndex: ArraySlice<UInt8>.Index
      var trailerIndex: ArraySlice<UInt8>.Index
      if !sawHeader && rest.starts(with: end.dropFirst()) {
        endIndex = rest.startIndex
        trailerIndex = rest.startIndex + end.count - 1
      } else if let found = firstRange(of: end, in: rest) {
        endIndex = found.lowerBound
        trailerIndex = found.upperBound
      } else {
        continue
      }
      let trailerLength = typeLine.count + dashes.count
      guard rest.endIndex - trailerIndex >= trailerLength else { continue }
      let trailer = rest[trailerIndex..<(trailerIndex + trailerLength)]
      guard trailer.starts(with: typeLine), trailer.suffix(dashes.count).elementsEqual(dashes) else { continue }
      if !line(rest[(trailerIndex + trailerLength)...]).line.isEmpty { continue }
      let body = rest[rest.startIndex..<endIndex].filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
      guard let bytes = try? JWTBase64.decodePadded(Array(body), url: false) else { continue }
      let after = line(rest[(endIndex + end.count - 1)...]).rest
      return (JWTPEMBlock(type: String(decoding: typeLine, as: UTF8.self), bytes: bytes), Array(after))
    }
  }

  /// Go's pem `getLine`: the line without trailing spaces, tabs and CR, and the rest.
  private static func line(_ data: ArraySlice<UInt8>) -> (line: ArraySlice<UInt8>, rest: ArraySlice<UInt8>) {
    var lineEnd = data.endIndex
    var restStart = data.endIndex
    if let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
      lineEnd = newline
      restStart = newline + 1
    }
    var text = data[data.startIndex..<lineEnd]
    while let last = text.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") {
      text = text.dropLast()
    }
    return (text, data[restStart...])
  }

  private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
    guard needle.count <= haystack.count else { return nil }
    var index = haystack.startIndex
    while index + needle.count <= haystack.endIndex {
      if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index..<(index + needle.count) }
      index += 1
    }
    return nil
  }
}

// MARK: - DER

/// One DER element: tag byte, content, and the full encoding.
struct JWTDERElement {
  var tag: UInt8
  var content: ArraySlice<UInt8>
  var encoded: ArraySlice<UInt8>
}

/// A cursor over DER-encoded elements (definite, minimal lengths only).
struct JWTDERReader {
  private var data: ArraySlice<UInt8>

  init(_ data: ArraySlice<UInt8>) { self.data = data }

  var isEmpty: Bool { data.isEmpty }

  /// The next element's tag, without consuming it.
  var peekTag: UInt8? { data.first }

  mutating func read() -> JWTDERElement? {
    guard data.count >= 2 else { return nil }
    let start = data.startIndex
    let tag = data[start]
    // High-tag-number form is not used by the structures read here.
    guard tag & 0x1f != 0x1f else { return nil }
    var index = start + 1
    let first = data[index]
    index += 1
    var length = 0
    if first < 0x80 {
      length = Int(first)
    } else {
      let count = Int(first & 0x7f)
      guard count >= 1, count <= 4, data.endIndex - index >= count else { return nil }
      for _ in 0..<count {
        length = length << 8 | Int(data[index])
        index += 1
      }
      // Minimal encoding: long form only for lengths of 128 and more, no leading zero byte.
      guard length >= 0x80, length >> (8 * (count - 1)) != 0 else { return nil }
    }
    guard data.endIndex - index >= length else { return nil }
    let element = JWTDERElement(
      tag: tag, content: data[index..<(index + length)], encoded: data[start..<(index + length)])
    data = data[(index + length)...]
    return element
  }

  mutating func read(tag: UInt8) -> JWTDERElement? {
    guard peekTag == tag else { return nil }
    return read()
  }
}
