/// Writes `Value`s as JSON: compact or indented, in OPA's canonical form.
///
/// Canonical form: object members in key order (objects are stored sorted), sets as sorted arrays,
/// numbers as written (see `Number.text`). Object keys that are not strings are written as the
/// compact JSON text of the key, as OPA does when it turns a Rego object into JSON. `undefined`
/// has no JSON form and is written as `null`; engines never put it in results.
public struct JSONPrinter: Sendable {
  /// Output options.
  public struct Options: Sendable, Hashable {
    /// Spaces per indentation level; 0 writes compact JSON on one line.
    public var indent: Int
    /// Escape `<`, `>`, `&`, U+2028 and U+2029 as `\u003c`... as Go's encoding/json does by
    /// default (OPA's `--format json` output goes through it).
    public var escapeHTML: Bool

    public init(indent: Int = 0, escapeHTML: Bool = false) {
      self.indent = indent
      self.escapeHTML = escapeHTML
    }

    /// One line, no spaces.
    public static let compact = Options()
    /// Two-space indentation, as `opa eval --format json` prints.
    public static let pretty = Options(indent: 2)
  }

  public var options: Options

  public init(options: Options = .compact) { self.options = options }

  /// Returns the JSON text of `value` as UTF-8 bytes.
  public func bytes(_ value: Value) -> [UInt8] {
    var writer = JSONWriter(options: options)
    writer.out.reserveCapacity(256)
    writer.write(value, level: 0)
    return writer.out
  }

  /// Appends the JSON text of `value` to `buffer`.
  public func write(_ value: Value, to buffer: inout [UInt8]) {
    var writer = JSONWriter(options: options)
    swap(&writer.out, &buffer)
    writer.write(value, level: 0)
    swap(&writer.out, &buffer)
  }

  /// Returns the JSON text of `value`.
  public func string(_ value: Value) -> String {
    String(decoding: bytes(value), as: UTF8.self)
  }
}

extension Value {
  /// The compact canonical JSON text.
  public var json: String { JSONPrinter().string(self) }
  /// The two-space-indented canonical JSON text.
  public var prettyJSON: String { JSONPrinter(options: .pretty).string(self) }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

struct JSONWriter {
  var out: [UInt8] = []
  let indent: Int
  let escapeHTML: Bool

  init(options: JSONPrinter.Options) {
    indent = options.indent
    escapeHTML = options.escapeHTML
  }

  mutating func write(_ value: Value, level: Int) {
    switch value {
    case .undefined, .null:
      appendLiteral("null")
    case .bool(let flag):
      appendLiteral(flag ? "true" : "false")
    case .number(let number):
      writeNumber(number)
    case .string(let text):
      writeString(text)
    case .array(let elements):
      writeSequence(elements, level: level)
    case .set(let set):
      writeSequence(set.elements, level: level)
    case .object(let object):
      if object.entries.isEmpty {
        appendLiteral("{}")
        return
      }
      out.append(UInt8(ascii: "{"))
      var first = true
      for entry in object.entries {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        newline(level + 1)
        if case .string(let key) = entry.key {
          writeString(key)
        } else {
          var keyWriter = JSONWriter(options: JSONPrinter.Options(indent: 0, escapeHTML: escapeHTML))
          keyWriter.write(entry.key, level: 0)
          writeString(String(decoding: keyWriter.out, as: UTF8.self))
        }
        out.append(UInt8(ascii: ":"))
        if indent > 0 { out.append(UInt8(ascii: " ")) }
        write(entry.value, level: level + 1)
      }
      newline(level)
      out.append(UInt8(ascii: "}"))
    }
  }

  private mutating func writeSequence(_ elements: [Value], level: Int) {
    if elements.isEmpty {
      appendLiteral("[]")
      return
    }
    out.append(UInt8(ascii: "["))
    var first = true
    for element in elements {
      if !first { out.append(UInt8(ascii: ",")) }
      first = false
      newline(level + 1)
      write(element, level: level + 1)
    }
    newline(level)
    out.append(UInt8(ascii: "]"))
  }

  @inline(__always)
  private mutating func newline(_ level: Int) {
    guard indent > 0 else { return }
    out.append(UInt8(ascii: "\n"))
    let spaces = indent * level
    if spaces > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: spaces)) }
  }

  @inline(__always)
  private mutating func appendLiteral(_ literal: StaticString) {
    out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
  }

  private mutating func writeNumber(_ number: Number) {
    if case .int(let value) = number.storage {
      writeInt(value)
    } else {
      out.append(contentsOf: number.text.utf8)
    }
  }

  private mutating func writeInt(_ value: Int) {
    if value >= 0 && value < 10 {
      out.append(UInt8(ascii: "0") + UInt8(value))
      return
    }
    var magnitude = value.magnitude
    // 20 digits hold any UInt64; write backwards into a tuple-free stack buffer.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
      var position = 21
      while magnitude != 0 {
        position -= 1
        buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
      }
      if value < 0 {
        position -= 1
        buffer[position] = UInt8(ascii: "-")
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<21]))
    }
  }

  private mutating func writeString(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      out.append(UInt8(ascii: "\""))
      var runStart = 0
      var index = 0
      let count = bytes.count
      while index < count {
        // Skip eight plain bytes at a time.
        if !escapeHTML, index + 8 <= count,
          let base = bytes.baseAddress,
          !needsEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
        {
          index += 8
          continue
        }
        let byte = bytes[index]
        var escape: StaticString? = nil
        switch byte {
        case UInt8(ascii: "\""): escape = "\\\""
        case UInt8(ascii: "\\"): escape = "\\\\"
        case 0x0A: escape = "\\n"
        case 0x0D: escape = "\\r"
        case 0x09: escape = "\\t"
        case 0x08: escape = "\\b"
        case 0x0C: escape = "\\f"
        default:
          let isControl = byte < 0x20
          let isHTML =
            escapeHTML
            && (byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&"))
          // U+2028 and U+2029 are E2 80 A8 / E2 80 A9 in UTF-8.
          let isLineSeparator =
            escapeHTML && byte == 0xE2 && index + 2 < count && bytes[index + 1] == 0x80
            && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
          if isControl || isHTML || isLineSeparator {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            let scalar: UInt32 = isLineSeparator ? (bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029) : UInt32(byte)
            out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
            out.append(hexDigits[Int(scalar >> 12 & 0xF)])
            out.append(hexDigits[Int(scalar >> 8 & 0xF)])
            out.append(hexDigits[Int(scalar >> 4 & 0xF)])
            out.append(hexDigits[Int(scalar & 0xF)])
            index += isLineSeparator ? 3 : 1
            runStart = index
            continue
          }
        }
        if let escape {
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
          out.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
          index += 1
          runStart = index
        } else {
          index += 1
        }
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
      out.append(UInt8(ascii: "\""))
    }
  }
}

/// True when any byte of the word is `"`, `\` or below 0x20.
@inline(__always)
private func needsEscape(_ word: UInt64) -> Bool {
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  let quotes = word ^ (ones &* 0x22)
  let backslashes = word ^ (ones &* 0x5C)
  let hasQuote = (quotes &- ones) & ~quotes & highs
  let hasBackslash = (backslashes &- ones) & ~backslashes & highs
  let hasControl = (word &- ones &* 0x20) & ~word & highs
  return (hasQuote | hasBackslash | hasControl) != 0
}
