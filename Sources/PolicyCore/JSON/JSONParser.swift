#if canImport(Glibc)
  internal import Glibc
#endif

/// A byte-level JSON parser (RFC 8259) into `Value`.
///
/// Foundation's JSONSerialization and JSONDecoder parse at 1 to 3 MB/s into a recursive enum on
/// Linux; this parser works on raw UTF-8 bytes, scans string bodies eight bytes at a time, builds
/// containers through one shared scratch stack, and keeps numbers exact (see `Number`).
///
/// Strictness follows RFC 8259 and Go's encoding/json (which OPA uses): no comments, no trailing
/// commas, no leading zeros, no leading `+`, no NaN/Infinity, control characters must be escaped,
/// invalid UTF-8 and lone UTF-16 surrogates in `\u` escapes are errors (Go would substitute
/// U+FFFD; a policy engine should not guess). A UTF-8 byte order mark at the start is skipped, as
/// RFC 8259 section 8.1 allows. Duplicate keys: the last one wins, as in Go.
///
/// Errors carry the byte offset, rendered as `name:line:col`. Nesting deeper than
/// `Limits.maxNestingDepth` fails with `limit_nesting_depth`, input larger than
/// `Limits.maxInputBytes` with `limit_input_size`, before any parsing.
public enum JSON {
  /// Parses one JSON document.
  /// - Parameters:
  ///   - bytes: UTF-8 text.
  ///   - name: the name used in error positions (a file path, `<stdin>`).
  ///   - limits: nesting depth and input size limits.
  /// - Throws: `Diagnostic` with code `json_parse_error`, `limit_nesting_depth` or `limit_input_size`.
  public static func parse(
    _ bytes: [UInt8], name: String = "<input>", limits: Limits = .default
  ) throws(Diagnostic) -> Value {
    try limits.checkInputSize(bytes.count, name: name)
    let result: Result<Value, ParseFailure> = bytes.withUnsafeBufferPointer { buffer in
      var parser = JSONParser(buffer, maxDepth: limits.maxNestingDepth)
      do throws(ParseFailure) {
        return .success(try parser.parseDocument())
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .success(let value): return value
    case .failure(let failure):
      let file = SourceFile(name: name, bytes: bytes)
      throw Diagnostic(failure.code, failure.message, span: SourceSpan(file: file, start: failure.offset))
    }
  }

  /// Parses one JSON document from a string.
  public static func parse(
    _ text: String, name: String = "<input>", limits: Limits = .default
  ) throws(Diagnostic) -> Value {
    try parse(Array(text.utf8), name: name, limits: limits)
  }

  /// Parses a source file.
  public static func parse(_ file: SourceFile, limits: Limits = .default) throws(Diagnostic) -> Value {
    try parse(file.bytes, name: file.name, limits: limits)
  }

  /// Parses JSON Lines: one document per non-blank line. Errors name the line.
  public static func parseLines(
    _ bytes: [UInt8], name: String = "<input>", limits: Limits = .default
  ) throws(Diagnostic) -> [Value] {
    try limits.checkInputSize(bytes.count, name: name)
    var values: [Value] = []
    var start = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
      let line = bytes[start..<end]
      if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
        let result: Result<Value, ParseFailure> = line.withUnsafeBufferPointer { buffer in
          var parser = JSONParser(buffer, maxDepth: limits.maxNestingDepth)
          do throws(ParseFailure) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        switch result {
        case .success(let value): values.append(value)
        case .failure(let failure):
          let file = SourceFile(name: name, bytes: bytes)
          throw Diagnostic(
            failure.code, failure.message, span: SourceSpan(file: file, start: start + failure.offset))
        }
      }
      start = end + 1
    }
    return values
  }
}

/// Where an object key lies in the input: `length` bytes from `start`, or length -1 when the key
/// had escapes.
struct KeySpan {
  var start: Int
  var length: Int
}

/// An object member on the parser's stack, with its key's place in the input.
struct PendingEntry {
  var entry: ValueObject.Entry
  var key: KeySpan
}

extension ScratchStack where Element == PendingEntry {
  /// Moves the members from `start` on into an array, in stack order, and pops them.
  @inline(__always)
  func popEntries(from start: Int) -> [ValueObject.Entry] {
    popArray(from: start) { $0.entry }
  }

  /// Moves the members from `start` on into an array sorted by their keys' bytes in the input
  /// (`base`), keeping only the last of equal keys as Go's encoding/json does, and pops them. Nil,
  /// with nothing popped, when a key had escapes (its value is not its raw bytes). Comparing raw
  /// bytes in place takes no reference counting, where sorting entries compared Strings; the
  /// index buffer lives on the stack for objects of ordinary size.
  func popEntriesSortedByRawKey(from start: Int, _ base: UnsafePointer<UInt8>) -> [ValueObject.Entry]? {
    let count = self.count - start
    let members = self.base + start
    for offset in 0..<count where members[offset].key.length < 0 { return nil }
    return withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { order -> [ValueObject.Entry] in
      func compare(_ a: Int, _ b: Int) -> Int {
        let left = members[a].key
        let right = members[b].key
        let common = min(left.length, right.length)
        if common > 0 {
          let order = memcmp(base + left.start, base + right.start, common)
          if order != 0 { return order < 0 ? -1 : 1 }
        }
        return left.length < right.length ? -1 : (left.length == right.length ? 0 : 1)
      }
      // Sort by (key bytes, position): the position breaks ties so that the last of equal keys
      // sorts last. Insertion sort for the usual handful of keys; a hostile object of many keys
      // in reverse order gets an O(n log n) sort instead of a quadratic one.
      if count <= 32 {
        for index in 0..<count {
          order.initializeElement(at: index, to: index)
          var slot = index
          while slot > 0, compare(order[slot - 1], index) > 0 {
            order[slot] = order[slot - 1]
            slot -= 1
          }
          order[slot] = index
        }
      } else {
        for index in 0..<count { order.initializeElement(at: index, to: index) }
        var buffer = order  // the same memory; `sort` needs a variable
        buffer.sort { a, b in
          let byKey = compare(a, b)
          return byKey < 0 || (byKey == 0 && a < b)
        }
      }
      // Keep the last of each run of equal keys; destroy the others.
      var kept = 0
      for position in 0..<count {
        if position + 1 < count, compare(order[position], order[position + 1]) == 0 {
          destroy(at: start + order[position])
          continue
        }
        order[kept] = order[position]
        kept += 1
      }
      return popArray(from: start, order: UnsafeBufferPointer(rebasing: order[0..<kept])) { $0.entry }
    }
  }
}

/// Why parsing stopped, and where (a byte offset).
struct ParseFailure: Error {
  var code: Diagnostic.Code
  var message: String
  var offset: Int
}

private let quote = UInt8(ascii: "\"")
private let backslash = UInt8(ascii: "\\")

/// The parser state over one buffer. Not public: `JSON.parse` is the entry point.
struct JSONParser: ~Copyable {
  private let base: UnsafePointer<UInt8>
  private let count: Int
  private var index = 0
  private var depth = 0
  private let maxDepth: Int
  private let values = ScratchStack<Value>(capacity: 32)
  /// Members of open objects, each with where its key lies in the input, so an object whose
  /// keys arrive out of order is sorted on the raw key bytes.
  private let entries = ScratchStack<PendingEntry>(capacity: 32)
  private var scratch: [UInt8] = []
  /// Where the last string parsed lies in the input, and whether it had escapes (then its raw
  /// bytes are not its value): object keys are checked for order on these bytes directly.
  private var lastStringStart = 0
  private var lastStringLength = 0
  private var lastStringEscaped = false

  init(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
    // An empty buffer may have a nil base address; point at a static byte instead.
    base = buffer.baseAddress ?? JSONParser.emptyBase
    count = buffer.count
    self.maxDepth = maxDepth
  }

  nonisolated(unsafe) private static let emptyBase: UnsafePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return UnsafePointer(pointer)
  }()

  mutating func parseDocument() throws(ParseFailure) -> Value {
    if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { index = 3 }
    skipWhitespace()
    if index == count { throw failure("empty document: expected a JSON value") }
    let value = try parseValue()
    skipWhitespace()
    if index != count {
      throw failure("unexpected \(describe(base[index])) after the end of the JSON value")
    }
    return value
  }

  // MARK: Values

  private mutating func parseValue() throws(ParseFailure) -> Value {
    if index == count { throw failure("unexpected end of input: expected a value") }
    switch base[index] {
    case quote:
      return .string(try parseString())
    case UInt8(ascii: "{"):
      return try parseObject()
    case UInt8(ascii: "["):
      return try parseArray()
    case UInt8(ascii: "t"):
      try expectWord("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectWord("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectWord("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return .number(try parseNumber())
    default:
      throw failure("unexpected \(describe(base[index])): expected a value")
    }
  }

  private mutating func expectWord(_ word: StaticString) throws(ParseFailure) {
    let length = word.utf8CodeUnitCount
    let expected = word.utf8Start
    var offset = 0
    while offset < length {
      if index + offset >= count || base[index + offset] != expected[offset] {
        throw failure("invalid literal: expected '\(word)'")
      }
      offset += 1
    }
    if index + length < count, isIdentifierByte(base[index + length]) {
      throw failure("invalid literal: expected '\(word)'")
    }
    index += length
  }

  private mutating func enter() throws(ParseFailure) {
    depth += 1
    if depth > maxDepth {
      throw ParseFailure(
        code: .limitNestingDepth,
        message: "nesting deeper than the limit of \(maxDepth) levels", offset: index)
    }
  }

  private mutating func parseArray() throws(ParseFailure) -> Value {
    try enter()
    index += 1
    skipWhitespace()
    if index < count, base[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array([])
    }
    let start = values.count
    while true {
      skipWhitespace()
      values.push(try parseValue())
      skipWhitespace()
      guard index < count else { throw failure("unexpected end of input: expected ',' or ']'") }
      let byte = base[index]
      index += 1
      if byte == UInt8(ascii: ",") { continue }
      if byte == UInt8(ascii: "]") { break }
      index -= 1
      throw failure("unexpected \(describe(byte)) in array: expected ',' or ']'")
    }
    depth -= 1
    return .array(values.popArray(from: start))
  }

  private mutating func parseObject() throws(ParseFailure) -> Value {
    try enter()
    index += 1
    skipWhitespace()
    if index < count, base[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(ValueObject())
    }
    let start = entries.count
    // Keys arrive sorted more often than not (Go and kubectl print maps sorted): check that on
    // the raw bytes as they go by, and sort only when it fails or a key had escapes.
    var inOrder = true
    var previousStart = 0
    var previousLength = -1
    while true {
      skipWhitespace()
      guard index < count else { throw failure("unexpected end of input: expected an object key") }
      guard base[index] == quote else {
        throw failure("unexpected \(describe(base[index])): expected a string object key")
      }
      let key = try parseString()
      let keySpan = KeySpan(start: lastStringStart, length: lastStringEscaped ? -1 : lastStringLength)
      if inOrder {
        if lastStringEscaped {
          inOrder = false
        } else {
          if previousLength >= 0 {
            let common = min(previousLength, lastStringLength)
            let order = common > 0 ? memcmp(base + previousStart, base + lastStringStart, common) : 0
            if order > 0 || (order == 0 && previousLength >= lastStringLength) { inOrder = false }
          }
          previousStart = lastStringStart
          previousLength = lastStringLength
        }
      }
      skipWhitespace()
      guard index < count, base[index] == UInt8(ascii: ":") else {
        if index == count { throw failure("unexpected end of input: expected ':' after object key") }
        throw failure("unexpected \(describe(base[index])): expected ':' after object key")
      }
      index += 1
      skipWhitespace()
      let value = try parseValue()
      entries.push(PendingEntry(entry: ValueObject.Entry(key: .string(key), value: value), key: keySpan))
      skipWhitespace()
      guard index < count else { throw failure("unexpected end of input: expected ',' or '}'") }
      let byte = base[index]
      index += 1
      if byte == UInt8(ascii: ",") { continue }
      if byte == UInt8(ascii: "}") { break }
      index -= 1
      throw failure("unexpected \(describe(byte)) in object: expected ',' or '}'")
    }
    depth -= 1
    if inOrder { return .object(ValueObject(sortedUniqueEntries: entries.popEntries(from: start))) }
    if let members = entries.popEntriesSortedByRawKey(from: start, base) {
      return .object(ValueObject(sortedUniqueEntries: members))
    }
    var members = entries.popEntries(from: start)
    ValueObject.normalise(&members)
    return .object(ValueObject(sortedUniqueEntries: members))
  }

  // MARK: Numbers

  private mutating func parseNumber() throws(ParseFailure) -> Number {
    let start = index
    var negative = false
    if base[index] == UInt8(ascii: "-") {
      negative = true
      index += 1
    }
    guard index < count, isDigit(base[index]) else {
      throw failure("invalid number: expected a digit after '-'")
    }
    var magnitude: UInt64 = 0
    var digitCount = 0
    if base[index] == UInt8(ascii: "0") {
      index += 1
      if index < count, isDigit(base[index]) {
        throw failure("invalid number: leading zeros are not allowed")
      }
      digitCount = 1
    } else {
      while index < count, isDigit(base[index]) {
        magnitude = magnitude &* 10 &+ UInt64(base[index] &- UInt8(ascii: "0"))
        digitCount += 1
        index += 1
      }
    }
    var isInteger = true
    if index < count, base[index] == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard index < count, isDigit(base[index]) else {
        throw failure("invalid number: expected a digit after '.'")
      }
      while index < count, isDigit(base[index]) { index += 1 }
    }
    if index < count, base[index] | 0x20 == UInt8(ascii: "e") {
      isInteger = false
      index += 1
      if index < count, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard index < count, isDigit(base[index]) else {
        throw failure("invalid number: expected a digit in the exponent")
      }
      while index < count, isDigit(base[index]) { index += 1 }
    }
    if index < count, isIdentifierByte(base[index]) || base[index] == UInt8(ascii: ".") {
      throw failure("invalid number: unexpected \(describe(base[index]))")
    }
    // Up to 18 digits always fit in Int; "-0" keeps its sign by staying a literal.
    if isInteger, digitCount <= 18, !(negative && magnitude == 0) {
      let value = Int(magnitude)
      return Number(negative ? -value : value)
    }
    let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
    if isInteger, !(negative && magnitude == 0), let parts = DecimalParts(literal: Array(text.utf8)),
      let exact = parts.exactInt
    {
      return Number(exact)
    }
    return Number(validatedLiteral: text)
  }

  // MARK: Strings

  /// Parses a string starting at the opening quote; leaves `index` after the closing quote.
  private mutating func parseString() throws(ParseFailure) -> String {
    index += 1
    let start = index
    var sawHighBit: UInt64 = 0
    // Eight bytes at a time: stop at a word holding a quote, backslash or control byte.
    while index + 8 <= count {
      let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
      if hasSpecialByte(word) { break }
      sawHighBit |= word
      index += 8
    }
    var highByte: UInt8 = 0
    while index < count {
      let byte = base[index]
      if byte == quote {
        let length = index - start
        index += 1
        let bytes = UnsafeBufferPointer(start: base + start, count: length)
        lastStringStart = start
        lastStringLength = length
        lastStringEscaped = false
        if sawHighBit & 0x8080_8080_8080_8080 != 0 || highByte >= 0x80 {
          if let bad = invalidUTF8Offset(bytes) {
            index = start + bad
            throw failure("invalid UTF-8 in string")
          }
        }
        return String(decoding: bytes, as: UTF8.self)
      }
      if byte == backslash { return try parseEscapedString(from: start) }
      if byte < 0x20 {
        throw failure("unescaped control character \(describe(byte)) in string")
      }
      highByte |= byte
      index += 1
    }
    index = start - 1
    throw failure("unterminated string")
  }

  /// The slow path for strings with escapes: decode into the scratch buffer.
  private mutating func parseEscapedString(from start: Int) throws(ParseFailure) -> String {
    lastStringEscaped = true
    scratch.removeAll(keepingCapacity: true)
    var segmentStart = start
    while true {
      guard index < count else {
        index = start - 1
        throw failure("unterminated string")
      }
      let byte = base[index]
      if byte == quote || byte == backslash {
        try appendRaw(from: segmentStart, to: index)
        if byte == quote {
          index += 1
          return String(decoding: scratch, as: UTF8.self)
        }
        try parseEscape()
        segmentStart = index
      } else if byte < 0x20 {
        throw failure("unescaped control character \(describe(byte)) in string")
      } else {
        index += 1
      }
    }
  }

  private mutating func appendRaw(from start: Int, to end: Int) throws(ParseFailure) {
    if end <= start { return }
    let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
    if let bad = invalidUTF8Offset(bytes) {
      index = start + bad
      throw failure("invalid UTF-8 in string")
    }
    scratch.append(contentsOf: bytes)
  }

  /// Decodes one escape at `index` (the backslash) into the scratch buffer.
  private mutating func parseEscape() throws(ParseFailure) {
    let escapeStart = index
    index += 1
    guard index < count else { throw failure("unterminated escape sequence") }
    let byte = base[index]
    index += 1
    switch byte {
    case quote: scratch.append(quote)
    case backslash: scratch.append(backslash)
    case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try parseHex4(escapeStart: escapeStart)
      if scalar >= 0xD800 && scalar <= 0xDBFF {
        // A high surrogate must be followed by an escaped low surrogate.
        guard index + 1 < count, base[index] == backslash, base[index + 1] == UInt8(ascii: "u") else {
          index = escapeStart
          throw failure("lone UTF-16 surrogate \\u\(hex(scalar)) in string")
        }
        let lowStart = index
        index += 2
        let low = try parseHex4(escapeStart: lowStart)
        guard low >= 0xDC00 && low <= 0xDFFF else {
          index = escapeStart
          throw failure("lone UTF-16 surrogate \\u\(hex(scalar)) in string")
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
        index = escapeStart
        throw failure("lone UTF-16 surrogate \\u\(hex(scalar)) in string")
      }
      appendUTF8(scalar)
    default:
      index = escapeStart
      throw failure("invalid escape sequence '\\\(describeRaw(byte))' in string")
    }
  }

  private mutating func parseHex4(escapeStart: Int) throws(ParseFailure) -> UInt32 {
    guard index + 4 <= count else {
      index = escapeStart
      throw failure("invalid \\u escape: expected four hex digits")
    }
    var value: UInt32 = 0
    for offset in 0..<4 {
      let byte = base[index + offset]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default:
        index = escapeStart
        throw failure("invalid \\u escape: expected four hex digits")
      }
      value = value << 4 | digit
    }
    index += 4
    return value
  }

  private mutating func appendUTF8(_ scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      scratch.append(UInt8(scalar))
    case 0x80..<0x800:
      scratch.append(UInt8(0xC0 | scalar >> 6))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      scratch.append(UInt8(0xE0 | scalar >> 12))
      scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    default:
      scratch.append(UInt8(0xF0 | scalar >> 18))
      scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
      scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
      scratch.append(UInt8(0x80 | scalar & 0x3F))
    }
  }

  // MARK: Helpers

  @inline(__always)
  private mutating func skipWhitespace() {
    while index < count {
      let byte = base[index]
      if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
        index += 1
      } else {
        return
      }
    }
  }

  private func failure(_ message: String) -> ParseFailure {
    ParseFailure(code: .jsonParseError, message: message, offset: index)
  }
}

/// True when any byte of the word is `"`, `\` or below 0x20 (SWAR: "has zero byte" tricks).
@inline(__always)
private func hasSpecialByte(_ word: UInt64) -> Bool {
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  let quotes = word ^ (ones &* 0x22)
  let backslashes = word ^ (ones &* 0x5C)
  let hasQuote = (quotes &- ones) & ~quotes & highs
  let hasBackslash = (backslashes &- ones) & ~backslashes & highs
  // Bytes below 0x20: subtracting 0x20 borrows into the high bit; mask out bytes >= 0x80.
  let hasControl = (word &- ones &* 0x20) & ~word & highs
  return (hasQuote | hasBackslash | hasControl) != 0
}

@inline(__always)
private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

@inline(__always)
private func isIdentifierByte(_ byte: UInt8) -> Bool {
  (byte | 0x20) &- UInt8(ascii: "a") < 26 || isDigit(byte) || byte == UInt8(ascii: "_")
    || byte >= 0x80
}

/// Returns the offset of the first byte that is not part of well-formed UTF-8 (no overlongs, no
/// surrogates, nothing above U+10FFFF), or nil when the bytes are valid.
func invalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
  var index = 0
  let count = bytes.count
  while index < count {
    let lead = bytes[index]
    if lead < 0x80 {
      index += 1
      continue
    }
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; low = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; high = 0x9F
    case 0xF0: length = 4; low = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; high = 0x8F
    default: return index
    }
    if index + length > count { return index }
    let second = bytes[index + 1]
    if second < low || second > high { return index }
    for offset in 2..<max(length, 2) where bytes[index + offset] & 0xC0 != 0x80 {
      return index
    }
    index += length
  }
  return nil
}

private func describe(_ byte: UInt8) -> String {
  if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
  return "byte 0x\(hex(UInt32(byte), width: 2))"
}

private func describeRaw(_ byte: UInt8) -> String {
  if byte >= 0x21 && byte < 0x7F { return String(Character(Unicode.Scalar(byte))) }
  return "\\x\(hex(UInt32(byte), width: 2))"
}

private func hex(_ value: UInt32, width: Int = 4) -> String {
  let digits = String(value, radix: 16, uppercase: true)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
