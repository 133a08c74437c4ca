internal import PolicyCore
internal import Yams

// The encoding family, after OPA's topdown/encoding.go: base64 and base64url (Go's
// encoding/base64), hex (encoding/hex), URL query strings (net/url) and YAML
// (sigs.k8s.io/yaml over go-yaml v2). The codecs are written out here rather than taken from
// Foundation so that accepted inputs and error texts match Go's; YAML parsing and emitting use
// Yams (libyaml), with go-yaml v2's YAML 1.1 scalar resolution and key order layered on top
// (MARK: YAML below).
//
// Decoded bytes that are not valid UTF-8 become U+FFFD in the resulting string: Swift strings
// cannot hold arbitrary bytes the way Go strings (and so OPA strings) can.

extension BuiltinRegistry {
  /// Adds the encoding family. Keep entries sorted by name.
  mutating func registerEncoding() {
    /// `base64.decode(x)`: the standard-alphabet, padded base64 `x` decoded. Line breaks are
    /// skipped; anything else malformed is an error naming the offending byte offset.
    ///
    ///     base64.decode("aGVsbG8=")  # "hello"
    add("base64.decode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      let bytes = try base64Decode(Array(try args.string(0).utf8), alphabet: .standard)
      return .string(String(decoding: bytes, as: UTF8.self))
    }

    /// `base64.encode(x)`: `x` in standard-alphabet base64 with padding.
    ///
    ///     base64.encode("hello")  # "aGVsbG8="
    add("base64.encode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(base64Encode(Array(try args.string(0).utf8), alphabet: .standard, padded: true))
    }

    /// `base64.is_valid(x)`: whether `base64.decode(x)` would succeed; false for non-strings.
    ///
    ///     base64.is_valid("aGVsbG8=")  # true
    add("base64.is_valid", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      guard case .string(let text) = args[0] else { return .bool(false) }
      do throws(BuiltinError) {
        _ = try base64Decode(Array(text.utf8), alphabet: .standard)
        return .bool(true)
      } catch {
        return .bool(false)
      }
    }

    /// `base64url.decode(x)`: the URL-safe base64 `x` decoded, with or without padding (missing
    /// padding is restored as RFC 7515 appendix C describes).
    ///
    ///     base64url.decode("aGVsbG8")  # "hello"
    add("base64url.decode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      var text = try args.string(0)
      if !text.hasSuffix("=") {
        switch text.utf8.count % 4 {
        case 0: break
        case 2: text += "=="
        case 3: text += "="
        default: throw .failure("illegal base64url string: \(text)")
        }
      }
      let bytes = try base64Decode(Array(text.utf8), alphabet: .url)
      return .string(String(decoding: bytes, as: UTF8.self))
    }

    /// `base64url.encode(x)`: `x` in URL-safe base64 with padding.
    ///
    ///     base64url.encode("hello")  # "aGVsbG8="
    add("base64url.encode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(base64Encode(Array(try args.string(0).utf8), alphabet: .url, padded: true))
    }

    /// `base64url.encode_no_pad(x)`: `x` in URL-safe base64 without padding.
    ///
    ///     base64url.encode_no_pad("hello")  # "aGVsbG8"
    add("base64url.encode_no_pad", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(base64Encode(Array(try args.string(0).utf8), alphabet: .url, padded: false))
    }

    /// `hex.decode(x)`: the bytes whose hexadecimal form (either case) is `x`.
    ///
    ///     hex.decode("6c6f72656d")  # "lorem"
    add("hex.decode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(String(decoding: try hexDecode(Array(try args.string(0).utf8)), as: UTF8.self))
    }

    /// `hex.encode(x)`: the lower-case hexadecimal form of the UTF-8 bytes of `x`.
    ///
    ///     hex.encode("lorem")  # "6c6f72656d"
    add("hex.encode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      var out: [UInt8] = []
      for byte in try args.string(0).utf8 {
        out.append(lowerHexDigits[Int(byte >> 4)])
        out.append(lowerHexDigits[Int(byte & 0x0F)])
      }
      return .string(String(decoding: out, as: UTF8.self))
    }

    /// `urlquery.decode(x)`: `x` with `%XX` escapes decoded and `+` read as a space (Go's
    /// `url.QueryUnescape`).
    ///
    ///     urlquery.decode("a%3Db+c")  # "a=b c"
    add("urlquery.decode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(try queryUnescape(try args.string(0)))
    }

    /// `urlquery.decode_object(x)`: a query string parsed into an object from each key to the
    /// array of its values, in order (Go's `url.ParseQuery`).
    ///
    ///     urlquery.decode_object("a=1&b&a=2")  # {"a": ["1", "2"], "b": [""]}
    add("urlquery.decode_object", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .object(try parseQuery(try args.string(0)))
    }

    /// `urlquery.encode(x)`: `x` escaped for a query component (Go's `url.QueryEscape`: letters,
    /// digits and `-_.~` stay, a space becomes `+`, every other byte `%XX`).
    ///
    ///     urlquery.encode("a=b c")  # "a%3Db+c"
    add("urlquery.encode", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(queryEscape(try args.string(0)))
    }

    /// `urlquery.encode_object(object)`: a query string from an object whose values are strings
    /// or arrays or sets of strings, keys sorted (Go's `url.Values.Encode`).
    ///
    ///     urlquery.encode_object({"b": "2", "a": ["x", "y"]})  # "a=x&a=y&b=2"
    add("urlquery.encode_object", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(try encodeQueryObject(args[0]))
    }

    /// `yaml.is_valid(x)`: whether `yaml.unmarshal(x)` would succeed; false for non-strings.
    ///
    ///     yaml.is_valid("a: [1, 2]")  # true
    add("yaml.is_valid", arity: 1, category: "encoding") { args, context throws(BuiltinError) in
      guard case .string(let text) = args[0] else { return .bool(false) }
      do throws(BuiltinError) {
        _ = try yamlUnmarshal(text, limits: context.limits)
        return .bool(true)
      } catch {
        return .bool(false)
      }
    }

    /// `yaml.marshal(x)`: `x` as a YAML document, laid out as OPA (go-yaml v2) writes it: block
    /// style, two-space indentation, keys sorted, strings quoted only where a plain scalar would
    /// read back as another type.
    ///
    ///     yaml.marshal({"a": [1, "2"]})  # "a:\n- 1\n- \"2\"\n"
    add("yaml.marshal", arity: 1, category: "encoding") { args, _ throws(BuiltinError) in
      .string(try yamlMarshal(args[0]))
    }

    /// `yaml.unmarshal(x)`: the value of the first YAML document in `x`, resolved as go-yaml v2
    /// resolves YAML 1.1 (`yes`/`no`/`on`/`off` are booleans, `0x1F` and `0o17` are integers),
    /// then made JSON-compatible: mapping keys become strings, timestamps stay strings.
    ///
    ///     yaml.unmarshal("a: [1, yes]")  # {"a": [1, true]}
    add("yaml.unmarshal", arity: 1, category: "encoding") { args, context throws(BuiltinError) in
      try yamlUnmarshal(try args.string(0), limits: context.limits)
    }
  }
}

private let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)
private let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

// MARK: - Base64

/// A base64 alphabet with its decoding table.
private struct GoBase64Alphabet {
  let symbols: [UInt8]
  let decodeTable: [UInt8]  // 0xFF for bytes outside the alphabet

  init(_ symbols: String) {
    self.symbols = Array(symbols.utf8)
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, symbol) in self.symbols.enumerated() { table[Int(symbol)] = UInt8(index) }
    decodeTable = table
  }

  static let standard = GoBase64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  static let url = GoBase64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}

private func base64Encode(_ bytes: [UInt8], alphabet: GoBase64Alphabet, padded: Bool) -> String {
  var out: [UInt8] = []
  out.reserveCapacity((bytes.count + 2) / 3 * 4)
  var index = 0
  while index + 3 <= bytes.count {
    let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
    out.append(alphabet.symbols[Int(chunk >> 18 & 0x3F)])
    out.append(alphabet.symbols[Int(chunk >> 12 & 0x3F)])
    out.append(alphabet.symbols[Int(chunk >> 6 & 0x3F)])
    out.append(alphabet.symbols[Int(chunk & 0x3F)])
    index += 3
  }
  let remaining = bytes.count - index
  if remaining > 0 {
    var chunk = UInt32(bytes[index]) << 16
    if remaining == 2 { chunk |= UInt32(bytes[index + 1]) << 8 }
    out.append(alphabet.symbols[Int(chunk >> 18 & 0x3F)])
    out.append(alphabet.symbols[Int(chunk >> 12 & 0x3F)])
    if remaining == 2 {
      out.append(alphabet.symbols[Int(chunk >> 6 & 0x3F)])
      if padded { out.append(UInt8(ascii: "=")) }
    } else if padded {
      out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")])
    }
  }
  return String(decoding: out, as: UTF8.self)
}

/// Decodes padded base64 with the rules of Go's `Encoding.DecodeString`: CR and LF are skipped
/// anywhere, the input must end on a complete quantum, `=` may only pad the last quantum, and
/// unused trailing bits are ignored. Errors are `illegal base64 data at input byte N`.
private func base64Decode(_ source: [UInt8], alphabet: GoBase64Alphabet) throws(BuiltinError) -> [UInt8] {
  func corrupt(_ offset: Int) -> BuiltinError { .failure("illegal base64 data at input byte \(offset)") }
  func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
  let pad = UInt8(ascii: "=")
  var out: [UInt8] = []
  out.reserveCapacity(source.count / 4 * 3)
  var position = 0
  while position < source.count {
    var quantum: [UInt8] = [0, 0, 0, 0]
    var length = 4
    var filled = 0
    var trailingGarbageAt: Int? = nil
    while filled < 4 {
      if position == source.count {
        if filled == 0 { return out }
        throw corrupt(position - filled)
      }
      let byte = source[position]
      position += 1
      let sextet = alphabet.decodeTable[Int(byte)]
      if sextet != 0xFF {
        quantum[filled] = sextet
        filled += 1
        continue
      }
      if isLineBreak(byte) { continue }
      guard byte == pad else { throw corrupt(position - 1) }
      // Padding: only after two or three symbols of the final quantum.
      switch filled {
      case 0, 1:
        throw corrupt(position - 1)
      case 2:
        while position < source.count, isLineBreak(source[position]) { position += 1 }
        if position == source.count { throw corrupt(source.count) }
        guard source[position] == pad else { throw corrupt(position - 1) }
        position += 1
      default:
        break
      }
      while position < source.count, isLineBreak(source[position]) { position += 1 }
      if position < source.count { trailingGarbageAt = position }
      length = filled
      break
    }
    let bits = UInt32(quantum[0]) << 18 | UInt32(quantum[1]) << 12 | UInt32(quantum[2]) << 6 | UInt32(quantum[3])
    out.append(UInt8(truncatingIfNeeded: bits >> 16))
    if length >= 3 { out.append(UInt8(truncatingIfNeeded: bits >> 8)) }
    if length == 4 { out.append(UInt8(truncatingIfNeeded: bits)) }
    if let trailingGarbageAt { throw corrupt(trailingGarbageAt) }
  }
  return out
}

// MARK: - Hex

/// Decodes hexadecimal with Go's `hex.DecodeString` rules and messages: pairs are checked left
/// to right, and an odd final digit is checked before the length is reported.
private func hexDecode(_ source: [UInt8]) throws(BuiltinError) -> [UInt8] {
  func nibble(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
  func invalid(_ byte: UInt8) -> BuiltinError {
    .failure("encoding/hex: invalid byte: \(goRuneDescription(byte))")
  }
  var out: [UInt8] = []
  out.reserveCapacity(source.count / 2)
  var index = 1
  while index < source.count {
    guard let high = nibble(source[index - 1]) else { throw invalid(source[index - 1]) }
    guard let low = nibble(source[index]) else { throw invalid(source[index]) }
    out.append(high << 4 | low)
    index += 2
  }
  if source.count % 2 == 1 {
    if nibble(source[index - 1]) == nil { throw invalid(source[index - 1]) }
    throw .failure("encoding/hex: odd length hex string")
  }
  return out
}

/// Go's `%#U` of a byte taken as a rune: `U+0067 'g'`, without the quoted character when it is
/// not printable.
private func goRuneDescription(_ byte: UInt8) -> String {
  let digits = [upperHexDigits[Int(byte >> 4)], upperHexDigits[Int(byte & 0x0F)]]
  var text = "U+00" + String(decoding: digits, as: UTF8.self)
  // Go's strconv.IsPrint for U+0000 to U+00FF: ASCII graphics and space, and Latin-1 graphics
  // except the soft hyphen.
  let printable = (0x20...0x7E).contains(byte) || ((0xA1...0xFF).contains(byte) && byte != 0xAD)
  if printable, let scalar = Unicode.Scalar(UInt32(byte)) {
    text += " '" + String(Character(scalar)) + "'"
  }
  return text
}

// MARK: - URL query strings

/// Go's `url.QueryEscape`.
private func queryEscape(_ text: String) -> String {
  var out: [UInt8] = []
  out.reserveCapacity(text.utf8.count)
  for byte in text.utf8 {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
      UInt8(ascii: "~"):
      out.append(byte)
    case UInt8(ascii: " "):
      out.append(UInt8(ascii: "+"))
    default:
      out.append(UInt8(ascii: "%"))
      out.append(upperHexDigits[Int(byte >> 4)])
      out.append(upperHexDigits[Int(byte & 0x0F)])
    }
  }
  return String(decoding: out, as: UTF8.self)
}

/// Go's `url.QueryUnescape`: `+` is a space, `%` must start two hex digits. The error quotes at
/// most three bytes from the bad `%`, as Go's `EscapeError` does.
private func queryUnescape(_ text: String) throws(BuiltinError) -> String {
  let bytes = Array(text.utf8)
  func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
  var out: [UInt8] = []
  out.reserveCapacity(bytes.count)
  var index = 0
  while index < bytes.count {
    switch bytes[index] {
    case UInt8(ascii: "%"):
      guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
      else {
        let bad = Array(bytes[index..<min(index + 3, bytes.count)])
        throw .failure("invalid URL escape " + goQuote(bad))
      }
      out.append(high << 4 | low)
      index += 3
    case UInt8(ascii: "+"):
      out.append(UInt8(ascii: " "))
      index += 1
    default:
      out.append(bytes[index])
      index += 1
    }
  }
  return String(decoding: out, as: UTF8.self)
}

/// Go's `strconv.Quote` for the short byte strings in escape errors.
private func goQuote(_ bytes: [UInt8]) -> String {
  var out = "\""
  var index = 0
  while index < bytes.count {
    let byte = bytes[index]
    switch byte {
    case UInt8(ascii: "\""): out += "\\\""
    case UInt8(ascii: "\\"): out += "\\\\"
    case 0x07: out += "\\a"
    case 0x08: out += "\\b"
    case 0x0C: out += "\\f"
    case 0x0A: out += "\\n"
    case 0x0D: out += "\\r"
    case 0x09: out += "\\t"
    case 0x0B: out += "\\v"
    case 0x20...0x7E: out += String(UnicodeScalar(byte))
    case 0x80...:
      // A complete, printable UTF-8 sequence is kept; stray bytes are written as \xNN.
      var decoded: String? = nil
      for length in 2...4 where index + length <= bytes.count {
        let candidate = Array(bytes[index..<(index + length)])
        if let text = String(validating: candidate, as: UTF8.self) {
          decoded = text
          break
        }
      }
      if let decoded, let scalar = decoded.unicodeScalars.first,
        scalar.properties.generalCategory != .control, scalar.properties.generalCategory != .format
      {
        out += decoded
        index += decoded.utf8.count
        continue
      }
      out += "\\x" + String(decoding: [lowerHexDigits[Int(byte >> 4)], lowerHexDigits[Int(byte & 0x0F)]], as: UTF8.self)
    default:
      out += "\\x" + String(decoding: [lowerHexDigits[Int(byte >> 4)], lowerHexDigits[Int(byte & 0x0F)]], as: UTF8.self)
    }
    index += 1
  }
  return out + "\""
}

/// Go's `url.ParseQuery`: `&`-separated pairs, `=` splitting key from value (a missing value is
/// empty), both unescaped; a `;` in a pair is an error. Values keep their order per key.
private func parseQuery(_ query: String) throws(BuiltinError) -> ValueObject {
  var keys: [String] = []
  var values: [String: [Value]] = [:]
  var firstError: BuiltinError? = nil
  for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
    if pair.contains(";") {
      if firstError == nil { firstError = .failure("invalid semicolon separator in query") }
      continue
    }
    let key: Substring
    let value: Substring
    if let equals = pair.firstIndex(of: "=") {
      key = pair[..<equals]
      value = pair[pair.index(after: equals)...]
    } else {
      key = pair
      value = ""
    }
    do throws(BuiltinError) {
      let decodedKey = try queryUnescape(String(key))
      let decodedValue = try queryUnescape(String(value))
      if values[decodedKey] == nil { keys.append(decodedKey) }
      values[decodedKey, default: []].append(.string(decodedValue))
    } catch {
      if firstError == nil { firstError = error }
    }
  }
  if let firstError { throw firstError }
  return ValueObject(keys.map { ($0, Value.array(values[$0] ?? [])) })
}

/// `urlquery.encode_object`: OPA converts the operand to JSON first, so sets are arrays and
/// non-string keys their JSON text.
private func encodeQueryObject(_ operand: Value) throws(BuiltinError) -> String {
  guard case .object(let object) = operand else { throw .operand(0, mustBe: "object", got: operand) }
  let valueError = BuiltinError(.type, "operand 1 values must be string, array[string], or set[string]")
  var pairs: [(key: String, values: [String])] = []
  for entry in object {
    let key: String
    if case .string(let text) = entry.key {
      key = text
    } else {
      key = jsonKeyText(entry.key)
    }
    var strings: [String] = []
    switch entry.value {
    case .string(let text):
      strings = [text]
    case .array(let elements):
      for element in elements {
        guard case .string(let text) = element else { throw valueError }
        strings.append(text)
      }
    case .set(let set):
      for element in set {
        guard case .string(let text) = element else { throw valueError }
        strings.append(text)
      }
    default:
      throw valueError
    }
    pairs.append((key, strings))
  }
  // Go's url.Values.Encode sorts keys bytewise; a later duplicate key (after JSON conversion)
  // replaces an earlier one, as map assignment does.
  var merged: [String: [String]] = [:]
  for pair in pairs { merged[pair.key] = pair.values }
  var parts: [String] = []
  for key in merged.keys.sorted(by: { compareUTF8($0, $1) < 0 }) {
    let escapedKey = queryEscape(key)
    for value in merged[key] ?? [] {
      parts.append(escapedKey + "=" + queryEscape(value))
    }
  }
  return parts.joined(separator: "&")
}

// MARK: - JSON shape

/// `value` as OPA hands it to Go's encoders: sets as arrays, non-string keys as their JSON text.
private func jsonShape(_ value: Value) -> Value {
  switch value {
  case .set(let set): return .array(set.map(jsonShape))
  case .array(let elements): return .array(elements.map(jsonShape))
  case .object(let object):
    return .object(
      ValueObject(
        object.map { entry in
          ValueObject.Entry(
            key: entry.key.stringValue.map(Value.string) ?? .string(jsonKeyText(entry.key)),
            value: jsonShape(entry.value))
        }))
  default: return value
  }
}

/// The JSON text OPA uses for a non-string object key.
private func jsonKeyText(_ key: Value) -> String {
  JSONPrinter(options: JSONPrinter.Options(indent: 0, escapeHTML: true)).string(jsonShape(key))
}

// MARK: - YAML

// OPA's yaml.unmarshal is sigs.k8s.io/yaml's YAMLToJSON: go-yaml v2 decodes the first document
// into Go maps and slices with YAML 1.1 scalar resolution, keys are turned into strings, and the
// result goes through encoding/json (so floats print as Go prints them, and NaN or infinities are
// errors). yaml.marshal runs the other way: the value's JSON text is decoded by go-yaml v2 (so
// JSON numbers get YAML types) and emitted with go-yaml's defaults. Yams gives us libyaml, of
// which go-yaml v2 is a line-by-line port, so the parser, its error positions and the emitter's
// layout match; the resolution rules and key order below are go-yaml's own.

private enum GoYAMLTag {
  static let str = "tag:yaml.org,2002:str"
  static let bool = "tag:yaml.org,2002:bool"
  static let int = "tag:yaml.org,2002:int"
  static let float = "tag:yaml.org,2002:float"
  static let null = "tag:yaml.org,2002:null"
  static let timestamp = "tag:yaml.org,2002:timestamp"
  static let binary = "tag:yaml.org,2002:binary"
  static let merge = "tag:yaml.org,2002:merge"
  /// What Yams resolves an untagged mapping key to during its duplicate-key check; we make it
  /// distinct from an explicit `!!str` so untagged keys are still resolved.
  static let untagged = "tag:rampart.invalid,2024:untagged"

  static func short(_ tag: String) -> String {
    tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
  }
}

/// Yams' resolver for mapping keys (the only nodes it resolves while parsing): every untagged
/// scalar gets `GoYAMLTag.untagged`, so it stays distinguishable from an explicitly tagged one.
private let yamlKeyResolver: Resolver = {
  guard let rule = try? Resolver.Rule(Tag.Name(rawValue: GoYAMLTag.untagged), "^") else { return .basic }
  return Resolver.basic.appending(rule)
}()

/// A plain scalar after go-yaml v2's resolution.
private enum GoYAMLScalar {
  case null
  case bool(Bool)
  case int(Int)
  case uint(UInt64)
  case float(Double)
  case timestamp
  case merge
  case string

  var tag: String {
    switch self {
    case .null: return GoYAMLTag.null
    case .bool: return GoYAMLTag.bool
    case .int, .uint: return GoYAMLTag.int
    case .float: return GoYAMLTag.float
    case .timestamp: return GoYAMLTag.timestamp
    case .merge: return GoYAMLTag.merge
    case .string: return GoYAMLTag.str
    }
  }
}

/// go-yaml v2's table of exact words.
private let yamlWords: [String: GoYAMLScalar] = {
  var words: [String: GoYAMLScalar] = [:]
  for word in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { words[word] = .bool(true) }
  for word in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] {
    words[word] = .bool(false)
  }
  for word in ["", "~", "null", "Null", "NULL"] { words[word] = .null }
  for word in [".nan", ".NaN", ".NAN"] { words[word] = .float(.nan) }
  for word in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { words[word] = .float(.infinity) }
  for word in ["-.inf", "-.Inf", "-.INF"] { words[word] = .float(-.infinity) }
  words["<<"] = .merge
  return words
}()

/// go-yaml v2's `resolve(tag, in)`: the type a scalar's text has under `tag` (empty for an
/// untagged plain scalar). Unknown tags leave the text a string; a tag the text does not fit is
/// an error, except that integers may be read as floats.
private func resolveYAMLScalar(_ text: String, tag: String) throws(BuiltinError) -> GoYAMLScalar {
  let resolvable = [
    "", GoYAMLTag.str, GoYAMLTag.bool, GoYAMLTag.int, GoYAMLTag.float, GoYAMLTag.null, GoYAMLTag.timestamp,
  ]
  guard resolvable.contains(tag) else { return .string }
  var result = GoYAMLScalar.string
  let bytes = Array(text.utf8)
  // go-yaml's hint: 'S' sign, 'D' digit, 'M' a letter that may start a word, '.' a dot.
  var hint: UInt8 = UInt8(ascii: "N")
  if let first = bytes.first {
    switch first {
    case UInt8(ascii: "+"), UInt8(ascii: "-"): hint = UInt8(ascii: "S")
    case UInt8(ascii: "0")...UInt8(ascii: "9"): hint = UInt8(ascii: "D")
    case UInt8(ascii: "."): hint = UInt8(ascii: ".")
    default: hint = Array("yYnNtTfFoO~".utf8).contains(first) ? UInt8(ascii: "M") : 0
    }
  }
  if hint != 0 && tag != GoYAMLTag.str {
    if let word = yamlWords[text] {
      result = word
    } else if hint == UInt8(ascii: ".") {
      if let value = goParseFloat(text) { result = .float(value) }
    } else if hint == UInt8(ascii: "D") || hint == UInt8(ascii: "S") {
      if (tag.isEmpty || tag == GoYAMLTag.timestamp) && isYAMLTimestamp(bytes) {
        result = .timestamp
      } else {
        let plain = bytes.filter { $0 != UInt8(ascii: "_") }
        if let value = goParseInt(plain) {
          result = .int(value)
        } else if let value = goParseUInt(plain) {
          result = .uint(value)
        } else if isYAMLStyleFloat(plain), let value = goParseFloat(String(decoding: plain, as: UTF8.self)) {
          result = .float(value)
        }
      }
    }
  }
  if tag.isEmpty || tag == GoYAMLTag.str || tag == result.tag { return result }
  if tag == GoYAMLTag.float, case .int(let value) = result { return .float(Double(value)) }
  throw .failure("yaml: cannot decode \(GoYAMLTag.short(result.tag)) `\(text)` as a \(GoYAMLTag.short(tag))")
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b` or a leading `0`
/// (octal) select the base.
private func goParseInt(_ bytes: [UInt8]) -> Int? {
  var body = bytes[...]
  var negative = false
  if let sign = body.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
    negative = sign == UInt8(ascii: "-")
    body = body.dropFirst()
  }
  guard let magnitude = goParseMagnitude(body) else { return nil }
  if negative {
    if magnitude <= UInt64(Int.max) { return -Int(magnitude) }
    return magnitude == UInt64(Int.max) + 1 ? Int.min : nil
  }
  return magnitude <= UInt64(Int.max) ? Int(magnitude) : nil
}

/// Go's `strconv.ParseUint(s, 0, 64)` (no sign allowed).
private func goParseUInt(_ bytes: [UInt8]) -> UInt64? { goParseMagnitude(bytes[...]) }

private func goParseMagnitude(_ digits: ArraySlice<UInt8>) -> UInt64? {
  guard !digits.isEmpty else { return nil }
  var body = digits
  var base: UInt64 = 10
  if body.first == UInt8(ascii: "0") {
    let marker = body.count >= 3 ? body[body.startIndex + 1] | 0x20 : 0
    switch marker {
    case UInt8(ascii: "x"): base = 16; body = body.dropFirst(2)
    case UInt8(ascii: "o"): base = 8; body = body.dropFirst(2)
    case UInt8(ascii: "b"): base = 2; body = body.dropFirst(2)
    default: base = 8; body = body.dropFirst()
    }
  }
  var value: UInt64 = 0
  for byte in body {
    let digit: UInt64
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 10
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
    default: return nil
    }
    guard digit < base else { return nil }
    let (shifted, overflow) = value.multipliedReportingOverflow(by: base)
    let (sum, carry) = shifted.addingReportingOverflow(digit)
    if overflow || carry { return nil }
    value = sum
  }
  return value
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms YAML resolution feeds it; out of range
/// values are errors in Go, so nil here.
private func goParseFloat(_ text: String) -> Double? {
  guard let first = text.utf8.first,
    first == UInt8(ascii: ".") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
    text.utf8.allSatisfy({ byte in
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
        || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
        || byte == UInt8(ascii: "-")
    }),
    let value = Double(text), value.isFinite
  else { return nil }
  return value
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
private func isYAMLStyleFloat(_ bytes: [UInt8]) -> Bool {
  var index = 0
  func digits() -> Int {
    let start = index
    while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
    return index - start
  }
  if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
  if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
    index += 1
    guard digits() > 0 else { return false }
  } else {
    guard digits() > 0 else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      _ = digits()
    }
  }
  if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
    index += 1
    if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard digits() > 0 else { return false }
  }
  return index == bytes.count
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`. Such
/// strings are quoted on output because YAML 1.1 readers take them for sexagesimal numbers.
private func isBase60Float(_ bytes: [UInt8]) -> Bool {
  func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
  var index = 0
  if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
  guard index < bytes.count, isDigit(bytes[index]) else { return false }
  index += 1
  while index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
  var groups = 0
  while index < bytes.count, bytes[index] == UInt8(ascii: ":") {
    index += 1
    // [0-5]?[0-9]: one digit, or two with the first at most 5.
    guard index < bytes.count, isDigit(bytes[index]) else { return false }
    if index + 1 < bytes.count, isDigit(bytes[index + 1]), bytes[index] <= UInt8(ascii: "5") {
      index += 2
    } else {
      index += 1
    }
    groups += 1
  }
  guard groups > 0 else { return false }
  if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
    index += 1
    while index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
  }
  return index == bytes.count
}

/// go-yaml v2's `parseTimestamp`: Go's layouts `2006-1-2T15:4:5.999999999Z07:00` (also with a
/// lower-case `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`, with Go's range checks.
private func isYAMLTimestamp(_ bytes: [UInt8]) -> Bool {
  func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
  guard bytes.count >= 8, bytes[0..<4].allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-") else { return false }
  var index = 5
  func number(maxDigits: Int) -> Int? {
    var value = 0
    var count = 0
    while index < bytes.count, count < maxDigits, isDigit(bytes[index]) {
      value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
      index += 1
      count += 1
    }
    return count == 0 ? nil : value
  }
  func expect(_ character: UInt8) -> Bool {
    guard index < bytes.count, bytes[index] == character else { return false }
    index += 1
    return true
  }
  let year = bytes[0..<4].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
  guard let month = number(maxDigits: 2), (1...12).contains(month), expect(UInt8(ascii: "-")),
    let day = number(maxDigits: 2)
  else { return false }
  let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
  let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  guard day >= 1, day <= monthDays[month - 1] else { return false }
  if index == bytes.count { return true }
  let separator = bytes[index]
  guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
  else { return false }
  index += 1
  guard let hour = number(maxDigits: 2), hour < 24, expect(UInt8(ascii: ":")),
    let minute = number(maxDigits: 2), minute < 60, expect(UInt8(ascii: ":")),
    let second = number(maxDigits: 2), second < 60
  else { return false }
  if index < bytes.count, bytes[index] == UInt8(ascii: "."), index + 1 < bytes.count, isDigit(bytes[index + 1]) {
    index += 1
    while index < bytes.count, isDigit(bytes[index]) { index += 1 }
  }
  if separator == UInt8(ascii: " ") { return index == bytes.count }
  if expect(UInt8(ascii: "Z")) { return index == bytes.count }
  guard index + 6 == bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
    isDigit(bytes[index + 1]), isDigit(bytes[index + 2]), bytes[index + 3] == UInt8(ascii: ":"),
    isDigit(bytes[index + 4]), isDigit(bytes[index + 5])
  else { return false }
  return true
}

// MARK: Go float formatting

/// The shortest decimal digits that read back as the same binary float (what Go's
/// `FormatFloat(f, _, -1, _)` starts from): `value = 0.d1d2… × 10^point`.
private struct GoFloatDigits {
  var negative = false
  var digits: [UInt8] = []  // ASCII digits without leading or trailing zeros; empty for zero
  var point = 0

  /// Parses Swift's `description` of a finite float, which is already the shortest form
  /// (`1.0`, `1e-07`, `1.2345e+22`).
  init(_ description: String) {
    var bytes = Array(description.utf8)[...]
    if bytes.first == UInt8(ascii: "-") {
      negative = true
      bytes = bytes.dropFirst()
    }
    var exponent = 0
    if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      exponent = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)) ?? 0
      bytes = bytes[..<e]
    }
    var beforePoint = 0
    var sawPoint = false
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        sawPoint = true
      } else {
        digits.append(byte)
        if !sawPoint { beforePoint += 1 }
      }
    }
    var leading = 0
    while leading < digits.count, digits[leading] == UInt8(ascii: "0") { leading += 1 }
    digits.removeFirst(leading)
    while digits.last == UInt8(ascii: "0") { digits.removeLast() }
    point = beforePoint - leading + exponent
    if digits.isEmpty { point = 0 }
  }

  /// Go's `%e` form with the shortest digits: `1.5e+06`, at least two exponent digits.
  var exponential: String {
    var text = negative ? "-" : ""
    guard let first = digits.first else { return text + "0e+00" }
    text += String(UnicodeScalar(first))
    if digits.count > 1 { text += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
    let exponent = point - 1
    text += exponent < 0 ? "e-" : "e+"
    if abs(exponent) < 10 { text += "0" }
    return text + String(abs(exponent))
  }

  /// Go's `%f` form with the shortest digits: `1500000`, `0.0001`.
  var fixed: String {
    var text = negative ? "-" : ""
    if point > 0 {
      for position in 0..<point {
        text += position < digits.count ? String(UnicodeScalar(digits[position])) : "0"
      }
    } else {
      text += "0"
    }
    let fraction = max(digits.count - point, 0)
    if fraction > 0 {
      text += "."
      for offset in 0..<fraction {
        let position = point + offset
        text += position >= 0 && position < digits.count ? String(UnicodeScalar(digits[position])) : "0"
      }
    }
    return text
  }

  /// Go's `FormatFloat(f, 'g', -1, _)`: exponential when the exponent is below -4 or at least 6.
  var general: String {
    if digits.isEmpty { return negative ? "-0" : "0" }
    let exponent = point - 1
    return exponent < -4 || exponent >= 6 ? exponential : fixed
  }
}

/// Go's `FormatFloat(f, 'g', -1, bits)` with go-yaml's names for the special values.
private func yamlFloatText(_ value: Double, singlePrecision: Bool = false) -> String {
  if value.isNaN { return ".nan" }
  if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
  let description = singlePrecision ? Float(value).description : value.description
  return GoFloatDigits(description).general
}

/// encoding/json's text for a float64: `%f` shortest between 1e-6 and 1e21, else `%e` with
/// the exponent's leading zero dropped (`1e-07` becomes `1e-7`).
private func goJSONFloatText(_ value: Double) -> String {
  let decimal = GoFloatDigits(value.description)
  let magnitude = abs(value)
  guard magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 else { return decimal.fixed }
  var text = decimal.exponential
  if let range = text.firstRange(of: "e-0") { text.replaceSubrange(range, with: "e-") }
  return text
}

// MARK: YAML to value

/// Parses the first YAML document of `text` into a JSON-compatible value.
private func yamlUnmarshal(_ text: String, limits: Limits) throws(BuiltinError) -> Value {
  // Yams builds its node tree recursively (and so does the conversion below); refuse nesting
  // that could exhaust a thread's stack before handing the text over. go-yaml has a similar
  // guard with a limit of 10000; ours is the engine-wide nesting limit.
  if yamlNestingBound(text) > limits.maxNestingDepth {
    throw .failure("yaml: exceeded max depth of \(limits.maxNestingDepth)")
  }
  let root: Node?
  do {
    let parser = try Parser(yaml: text, resolver: yamlKeyResolver, constructor: .default, encoding: .utf8)
    root = try parser.nextRoot()
  } catch {
    throw .failure(goYAMLErrorMessage(error, text: text))
  }
  guard let root else { return .null }
  // Aliases are shared subtrees that expand when converted; bound the expansion.
  var converter = GoYAMLConverter(budget: min(max(100_000, text.utf8.count * 100), 10_000_000))
  return try converter.value(of: root)
}

/// An upper bound on how deeply `text` can nest: the open flow brackets so far plus, per line,
/// the indentation and the block indicators (`- `, `? `, `: `) on it. Quotes are not tracked, so
/// the bound is loose, but it only has to stop pathological input.
private func yamlNestingBound(_ text: String) -> Int {
  var bound = 0
  var flow = 0
  var lineDepth = 0
  var atLineStart = true
  var previous: UInt8 = 0
  for byte in text.utf8 {
    switch byte {
    case UInt8(ascii: "\n"):
      lineDepth = 0
      atLineStart = true
      previous = byte
      continue
    case UInt8(ascii: " ") where atLineStart:
      lineDepth += 1
    case UInt8(ascii: "["), UInt8(ascii: "{"):
      flow += 1
    case UInt8(ascii: "]"), UInt8(ascii: "}"):
      flow = max(flow - 1, 0)
    case UInt8(ascii: " "), UInt8(ascii: "\t"):
      if previous == UInt8(ascii: "-") || previous == UInt8(ascii: "?") || previous == UInt8(ascii: ":") {
        lineDepth += 1
      }
    default:
      break
    }
    if byte != UInt8(ascii: " ") { atLineStart = false }
    previous = byte
    bound = max(bound, flow + lineDepth)
  }
  return bound
}

/// Turns a Yams node tree into a value with go-yaml v2's resolution and sigs.k8s.io/yaml's key
/// conversion, counting nodes against `budget`.
private struct GoYAMLConverter {
  var budget: Int

  mutating func value(of node: Node) throws(BuiltinError) -> Value {
    budget -= 1
    if budget < 0 { throw .failure("yaml: document contains excessive aliasing") }
    switch node {
    case .scalar(let scalar):
      let (resolved, text) = try resolve(scalar)
      switch resolved {
      case .null: return .null
      case .bool(let flag): return .bool(flag)
      case .int(let integer): return .number(Number(integer))
      case .uint(let integer): return .number(Number(literal: String(integer)) ?? Number(Double(integer)))
      case .float(let float):
        guard float.isFinite else {
          throw .failure("json: unsupported value: " + (float.isNaN ? "NaN" : float < 0 ? "-Inf" : "+Inf"))
        }
        return .number(Number(literal: goJSONFloatText(float)) ?? Number(float))
      case .timestamp, .merge, .string:
        return .string(text)
      }
    case .sequence(let sequence):
      var elements: [Value] = []
      elements.reserveCapacity(sequence.count)
      for element in sequence { elements.append(try value(of: element)) }
      return .array(elements)
    case .mapping(let mapping):
      var members: [String: Value] = [:]
      try merge(mapping, into: &members)
      return .object(ValueObject(members.map { ($0.key, $0.value) }))
    case .alias:
      // Yams substitutes anchored nodes for aliases while parsing.
      throw .failure("yaml: unknown anchor referenced")
    }
  }

  /// Adds a mapping's members, in order, so later keys (and `<<` merges) overwrite earlier ones.
  private mutating func merge(_ mapping: Node.Mapping, into members: inout [String: Value]) throws(BuiltinError) {
    for (key, value) in mapping {
      if isMergeKey(key) {
        switch value {
        case .mapping(let merged):
          try merge(merged, into: &members)
        case .sequence(let sequence):
          // Earlier mappings in the list take precedence, so apply them last.
          for element in sequence.reversed() {
            guard case .mapping(let merged) = element else { throw mergeError }
            try merge(merged, into: &members)
          }
        default:
          throw mergeError
        }
        continue
      }
      members[try keyText(key)] = try self.value(of: value)
    }
  }

  private var mergeError: BuiltinError {
    .failure("yaml: map merge requires map or sequence of maps as the value")
  }

  private func isMergeKey(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.string == "<<" else { return false }
    let tag = scalar.tag.description
    return tag == GoYAMLTag.merge || (scalar.style == .plain && (tag.isEmpty || tag == GoYAMLTag.untagged))
  }

  /// sigs.k8s.io/yaml's key conversion: strings as they are, numbers and booleans as text
  /// (floats with 32-bit precision, as it does), anything else an error.
  private mutating func keyText(_ node: Node) throws(BuiltinError) -> String {
    budget -= 1
    guard case .scalar(let scalar) = node else { throw .failure("yaml: invalid map key") }
    let (resolved, text) = try resolve(scalar)
    switch resolved {
    case .string, .timestamp, .merge: return text
    case .int(let integer): return String(integer)
    case .uint(let integer): return String(integer)
    case .float(let float): return yamlFloatText(float, singlePrecision: true)
    case .bool(let flag): return flag ? "true" : "false"
    case .null: throw .failure("Unsupported map key of type: %!s(<nil>), key: <nil>")
    }
  }

  /// A scalar's resolved type and text: quoted scalars are strings, `!!binary` is decoded, and
  /// other explicit tags are checked against the text.
  private func resolve(_ scalar: Node.Scalar) throws(BuiltinError) -> (GoYAMLScalar, String) {
    let tag = scalar.tag.description
    let explicit = !(tag.isEmpty || tag == GoYAMLTag.untagged)
    if explicit && tag == GoYAMLTag.binary {
      do throws(BuiltinError) {
        let bytes = try base64Decode(Array(scalar.string.utf8), alphabet: .standard)
        return (.string, String(decoding: bytes, as: UTF8.self))
      } catch {
        throw .failure("yaml: !!binary value contains invalid base64 data")
      }
    }
    if !explicit && scalar.style != .plain { return (.string, scalar.string) }
    return (try resolveYAMLScalar(scalar.string, tag: explicit ? tag : ""), scalar.string)
  }
}

/// go-yaml v2's error text for a libyaml failure: `yaml: line N: problem`, where N is the
/// problem's 0-based line for parser errors (which point past the line they fail on) and its
/// 1-based line for scanner errors, falling back to the context line, and omitted when zero.
private func goYAMLErrorMessage(_ error: any Error, text: String) -> String {
  guard let yamlError = error as? YamlError else { return "yaml: \(error)" }
  func located(_ line: Int, _ problem: String) -> String {
    "yaml: " + (line != 0 ? "line \(line): " : "") + problem
  }
  switch yamlError {
  case .scanner(let context, let problem, let mark, _):
    let line = mark.line - 1 != 0 ? mark.line : (context.map { $0.mark.line - 1 } ?? 0)
    return located(line, problem)
  case .parser(let context, let problem, let mark, _):
    let line = mark.line - 1 != 0 ? mark.line - 1 : (context.map { $0.mark.line - 1 } ?? 0)
    return located(line, problem)
  case .composer(_, let problem, let mark, _):
    if problem == "found undefined alias" {
      return "yaml: unknown anchor '\(aliasName(at: mark, in: text))' referenced"
    }
    return located(mark.line - 1, problem)
  case .reader(let problem, _, _, _):
    return "yaml: " + problem
  case .duplicatedKeysInMapping(let duplicates, _):
    return "yaml: mapping key " + duplicates.map { "\"\($0)\"" }.joined(separator: ", ") + " already defined"
  default:
    return "yaml: \(yamlError)"
  }
}

/// The alias name at a 1-based line and column (in Unicode scalars) of `text`: `*name`.
private func aliasName(at mark: Mark, in text: String) -> String {
  let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
  guard mark.line >= 1, mark.line <= lines.count else { return "" }
  let scalars = lines[mark.line - 1].unicodeScalars.dropFirst(max(mark.column - 1, 0))
  guard scalars.first == "*" else { return "" }
  var name = ""
  for scalar in scalars.dropFirst() {
    if scalar == " " || scalar == "\t" || scalar == "\r" || ",[]{}".unicodeScalars.contains(scalar) { break }
    name.unicodeScalars.append(scalar)
  }
  return name
}

// MARK: Value to YAML

/// go-yaml v2's document for a value, as OPA produces it (value to JSON to go-yaml).
private func yamlMarshal(_ value: Value) throws(BuiltinError) -> String {
  var text: String
  do {
    text = try Yams.serialize(node: yamlNode(jsonShape(value)), allowUnicode: true)
  } catch {
    throw .failure("yaml: \(error)")
  }
  // libyaml ends a stream whose last block scalar keeps trailing newlines with `...`; go-yaml's
  // encoder clears that flag before the stream end, so OPA never writes it.
  if text.hasSuffix("\n...\n") { text.removeLast(4) }
  return text
}

private func yamlNode(_ value: Value) -> Node {
  switch value {
  case .undefined, .null:
    return .scalar(Node.Scalar("null", Tag(.null), .plain))
  case .bool(let flag):
    return .scalar(Node.Scalar(flag ? "true" : "false", Tag(.bool), .plain))
  case .number(let number):
    // The number's JSON text, read back by go-yaml as a plain scalar.
    let text = number.text
    switch (try? resolveYAMLScalar(text, tag: "")) ?? .string {
    case .int(let integer): return .scalar(Node.Scalar(String(integer), Tag(.int), .plain))
    case .uint(let integer): return .scalar(Node.Scalar(String(integer), Tag(.int), .plain))
    case .float(let float): return .scalar(Node.Scalar(yamlFloatText(float), Tag(.float), .plain))
    default: return yamlStringNode(text)
    }
  case .string(let text):
    return yamlStringNode(text)
  case .array(let elements):
    return .sequence(Node.Sequence(elements.map(yamlNode), Tag(.seq), .block))
  case .set(let set):
    return .sequence(Node.Sequence(set.map(yamlNode), Tag(.seq), .block))
  case .object(let object):
    let pairs = object.compactMap { entry -> (key: String, value: Value)? in
      guard case .string(let key) = entry.key else { return nil }
      return (key, entry.value)
    }
    let sorted = pairs.sorted { goYAMLKeyLess($0.key, $1.key) }
    return .mapping(Node.Mapping(sorted.map { (yamlStringNode($0.key), yamlNode($0.value)) }, Tag(.map), .block))
  }
}

/// go-yaml v2's string style: literal block when multi-line, plain when the text would read back
/// as the same string, double-quoted otherwise. libyaml may still pick a safer style when plain
/// is not allowed (leading spaces, `: ` inside, ...), as go-yaml's emitter does.
private func yamlStringNode(_ text: String) -> Node {
  let style: Node.Scalar.Style
  if text.utf8.contains(UInt8(ascii: "\n")) {
    style = .literal
  } else if case .string? = try? resolveYAMLScalar(text, tag: ""), !isBase60Float(Array(text.utf8)) {
    style = .plain
  } else {
    style = .doubleQuoted
  }
  return .scalar(Node.Scalar(text, Tag(.str), style))
}

/// go-yaml v2's mapping key order for strings: letters sort after other characters, and runs of
/// digits compare by numeric value (`a2` before `a10`).
private func goYAMLKeyLess(_ left: String, _ right: String) -> Bool {
  let a = Array(left.unicodeScalars)
  let b = Array(right.unicodeScalars)
  func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }
  func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.generalCategory == .decimalNumber }
  var index = 0
  while index < a.count && index < b.count {
    if a[index] == b[index] {
      index += 1
      continue
    }
    let aLetter = isLetter(a[index])
    let bLetter = isLetter(b[index])
    if aLetter && bLetter { return a[index].value < b[index].value }
    if aLetter || bLetter { return bLetter }
    var aNumber: Int64 = 0
    var bNumber: Int64 = 0
    if a[index] == "0" || b[index] == "0" {
      var back = index - 1
      while back >= 0 && isDigit(a[back]) {
        if a[back] != "0" {
          aNumber = 1
          bNumber = 1
          break
        }
        back -= 1
      }
    }
    var aEnd = index
    while aEnd < a.count && isDigit(a[aEnd]) {
      aNumber = aNumber &* 10 &+ (Int64(a[aEnd].value) &- 48)
      aEnd += 1
    }
    var bEnd = index
    while bEnd < b.count && isDigit(b[bEnd]) {
      bNumber = bNumber &* 10 &+ (Int64(b[bEnd].value) &- 48)
      bEnd += 1
    }
    if aNumber != bNumber { return aNumber < bNumber }
    if aEnd != bEnd { return aEnd < bEnd }
    return a[index].value < b[index].value
  }
  return a.count < b.count
}
