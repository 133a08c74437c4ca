/// The JSON request body processor: flattens a JSON document into `ARGS` / `ARGS_POST`.
///
/// libmodsecurity 3.0.9 feeds the body to yajl 2 and builds argument names in its callbacks; this
/// is a byte-level parser that accepts what yajl accepts and names arguments the same way:
/// - the outermost container is named `json`; object members append `.key`, array elements
///   append `.array_N` (N counts from 0 per array), so `{"a":{"b":[1,{"c":2}]}}` gives
///   `json.a.b.array_0` = `1` and `json.a.b.array_1.c` = `2`; a top-level array's elements are
///   `json.array_0`, `json.array_1`, ...;
/// - an empty key is `empty-key` inside objects;
/// - values are the string's decoded bytes, numbers exactly as written (`1.50e+3` stays as is),
///   `true`, `false`, and the empty string for `null`; empty objects and arrays add nothing;
/// - strings are checked as yajl checks them (no control characters, UTF-8 lead/continuation
///   bytes only), and `\u` escapes decode the yajl way (an unpaired high surrogate becomes `?`);
/// - nesting deeper than `SecRequestBodyJsonDepthLimit` and an argument past `SecArgumentsLimit`
///   both stop the parse the way a yajl callback returning 0 does ("client cancelled parse"; the
///   depth case appends `. Parsing depth limit exceeded`); arguments added before an error stay.
///
/// Errors are yajl's texts (`"parse error: premature EOF\n"`, with the newline yajl adds) behind
/// libmodsecurity's `"JSON parsing error: "` prefix. An empty body is not an error.
///
///     let result = JSONBodyProcessor().parse(Array(#"{"user":{"id":7}}"#.utf8))
///     // arguments: json.user.id = 7
public struct JSONBodyProcessor: Sendable {
  /// `SecRequestBodyJsonDepthLimit`: the most containers open at once (libmodsecurity's default
  /// is 10000).
  public var depthLimit: Int
  /// `SecArgumentsLimit`: the most entries `ARGS` may hold; `nil` means no limit.
  public var argumentsLimit: Int?
  /// Rampart's bound on the bytes of all argument names and values together; deep nesting makes
  /// every name repeat its whole path, so without it a small body could produce gigabytes.
  /// Past it the parse stops with an error.
  public var outputLimit: Int

  /// Defaults are libmodsecurity's (depth 10000, no argument limit) plus Rampart's output bound.
  public init(depthLimit: Int = 10_000, argumentsLimit: Int? = nil, outputLimit: Int = 64 << 20) {
    self.depthLimit = depthLimit
    self.argumentsLimit = argumentsLimit
    self.outputLimit = outputLimit
  }

  /// Parses and flattens one JSON body.
  ///
  /// - Parameters:
  ///   - body: the whole request body.
  ///   - existingArguments: entries already in `ARGS` (from the query string), which count
  ///     against `argumentsLimit` as in libmodsecurity.
  public func parse(_ body: [UInt8], existingArguments: Int = 0) -> BodyParseResult {
    var flattener = JSONFlattener(config: self, input: body, existingArguments: existingArguments)
    if let message = flattener.run(), !body.isEmpty {
      flattener.result.error = "JSON parsing error: " + message
    }
    return flattener.result
  }
}

/// A container on the path (`JSONContainer`): its name and, for arrays, the element counter.
private struct JSONContainer {
  var isArray: Bool
  var name: [UInt8]
  var counter = 0
  /// Length of `JSONFlattener.path` before this container's own contribution.
  var base: Int
}

private struct JSONFlattener {
  let config: JSONBodyProcessor
  /// The body plus one space: yajl's `complete_parse` feeds a space so a number at the very end
  /// is finished and a cut-off literal becomes a lexical error.
  let input: [UInt8]
  var position = 0
  var result = BodyParseResult()
  var argumentCount: Int
  var outputBytes = 0

  var containers: [JSONContainer] = []
  /// The argument name prefix for the innermost container, kept up to date incrementally so
  /// deep nesting costs O(path) per change rather than O(depth) per value.
  var path: [UInt8] = []
  var currentKey: [UInt8] = []

  init(config: JSONBodyProcessor, input: [UInt8], existingArguments: Int) {
    self.config = config
    self.input = input + [0x20]
    self.argumentCount = existingArguments
  }

  // MARK: Names (libmodsecurity's getCurrentKey and addArgument)

  /// `getCurrentKey`: `json` at the top, the pending key, or `""` / `empty-key` when there is none.
  private mutating func takeCurrentKey() -> [UInt8] {
    if containers.isEmpty { return Array("json".utf8) }
    if currentKey.isEmpty {
      return containers[containers.count - 1].isArray ? [] : Array("empty-key".utf8)
    }
    defer { currentKey = [] }
    return currentKey
  }

  /// Appends the innermost container's contribution (`name` + `.array_N` or `.`) to `path`.
  private mutating func appendTopContribution() {
    guard let top = containers.last else { return }
    path.removeSubrange(top.base...)
    path.append(contentsOf: top.name)
    if top.isArray {
      path.append(contentsOf: ".array_".utf8)
      path.append(contentsOf: String(top.counter).utf8)
    } else {
      path.append(UInt8(ascii: "."))
    }
  }

  private mutating func bumpArrayCounter() {
    guard let last = containers.indices.last, containers[last].isArray else { return }
    containers[last].counter += 1
    appendTopContribution()
  }

  static let cancelled = "parse error: client cancelled parse via callback return value\n"

  /// Returns an error message when the parse must stop (argument limit, output budget).
  private mutating func addArgument(_ value: [UInt8]) -> String? {
    var name = path
    if containers.isEmpty {
      // A scalar at the top level: libmodsecurity reads `m_containers.back()` of an empty deque
      // (undefined behaviour); Rampart names it `json` so rules still see the value.
      name = Array("json".utf8)
    } else if !containers[containers.count - 1].isArray {
      name.append(contentsOf: takeCurrentKey())
    }
    if let limit = config.argumentsLimit, argumentCount >= limit {
      // Transaction::addArgument refuses it and the JSON processor cancels the parse (3.0.5+).
      result.droppedArguments += 1
      return Self.cancelled
    } else {
      outputBytes += name.count + value.count
      if outputBytes > config.outputLimit {
        return "JSON: arguments over \(config.outputLimit) bytes"
      }
      result.arguments.append(BodyArgument(name: name, value: value))
      argumentCount += 1
    }
    bumpArrayCounter()
    return nil
  }

  private mutating func startContainer(isArray: Bool) -> Bool {
    let name = takeCurrentKey()
    containers.append(JSONContainer(isArray: isArray, name: name, base: path.count))
    appendTopContribution()
    return containers.count <= config.depthLimit
  }

  private mutating func endContainer() {
    guard let top = containers.popLast() else { return }
    path.removeSubrange(top.base...)
    bumpArrayCounter()
  }

  // MARK: Parser (yajl_parse's state machine)

  private enum State {
    case start, parseComplete
    case mapStart, mapNeedKey, mapSeparator, mapNeedValue, mapGotValue
    case arrayStart, arrayNeedValue, arrayGotValue
  }

  private enum Token {
    case leftBrace, rightBrace, leftBracket, rightBracket, comma, colon
    case string([UInt8]), number([UInt8]), literalTrue, literalFalse, literalNull
    case eof
    case lexicalError(String)
  }

  /// Runs to the end; returns yajl's error text, or nil when the document is complete.
  mutating func run() -> String? {
    var states: [State] = [.start]
    while true {
      guard let state = states.last else { return nil }
      let token = lex()
      if state == .parseComplete {
        // Anything but the end, even a lexical error, is "trailing garbage" here.
        if case .eof = token { return nil }
        return "parse error: trailing garbage\n"
      }
      if case .lexicalError(let text) = token { return "lexical error: " + text + "\n" }
      switch state {
      case .parseComplete:
        return nil

      case .start, .mapNeedValue, .arrayNeedValue, .arrayStart:
        let after: State
        switch state {
        case .start: after = .parseComplete
        case .mapNeedValue: after = .mapGotValue
        default: after = .arrayGotValue
        }
        switch token {
        case .eof:
          return "parse error: premature EOF\n"
        case .string(let bytes), .number(let bytes):
          if let message = addArgument(bytes) { return message }
          states[states.count - 1] = after
        case .literalTrue:
          if let message = addArgument(Array("true".utf8)) { return message }
          states[states.count - 1] = after
        case .literalFalse:
          if let message = addArgument(Array("false".utf8)) { return message }
          states[states.count - 1] = after
        case .literalNull:
          if let message = addArgument([]) { return message }
          states[states.count - 1] = after
        case .leftBrace:
          if !startContainer(isArray: false) { return Self.cancelled + ". Parsing depth limit exceeded" }
          states[states.count - 1] = after
          states.append(.mapStart)
        case .leftBracket:
          if !startContainer(isArray: true) { return Self.cancelled + ". Parsing depth limit exceeded" }
          states[states.count - 1] = after
          states.append(.arrayStart)
        case .rightBracket where state == .arrayStart:
          states.removeLast()
          endContainer()
        default:
          return "parse error: unallowed token at this point in JSON text\n"
        }

      case .mapStart, .mapNeedKey:
        switch token {
        case .eof:
          return "parse error: premature EOF\n"
        case .string(let key):
          currentKey = key
          states[states.count - 1] = .mapSeparator
        case .rightBrace where state == .mapStart:
          states.removeLast()
          endContainer()
        default:
          return "parse error: invalid object key (must be a string)\n"
        }

      case .mapSeparator:
        switch token {
        case .eof: return "parse error: premature EOF\n"
        case .colon: states[states.count - 1] = .mapNeedValue
        default: return "parse error: object key and value must be separated by a colon (':')\n"
        }

      case .mapGotValue:
        switch token {
        case .eof: return "parse error: premature EOF\n"
        case .rightBrace:
          states.removeLast()
          endContainer()
        case .comma: states[states.count - 1] = .mapNeedKey
        default: return "parse error: after key and value, inside map, I expect ',' or '}'\n"
        }

      case .arrayGotValue:
        switch token {
        case .eof: return "parse error: premature EOF\n"
        case .rightBracket:
          states.removeLast()
          endContainer()
        case .comma: states[states.count - 1] = .arrayNeedValue
        default: return "parse error: after array element, I expect ',' or ']'\n"
        }
      }
    }
  }

  // MARK: Lexer (yajl_lex)

  private func byte(_ i: Int) -> UInt8? { i < input.count ? input[i] : nil }

  private mutating func lex() -> Token {
    while let c = byte(position), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D {
      position += 1
    }
    guard let c = byte(position) else { return .eof }
    switch c {
    case UInt8(ascii: "{"): position += 1; return .leftBrace
    case UInt8(ascii: "}"): position += 1; return .rightBrace
    case UInt8(ascii: "["): position += 1; return .leftBracket
    case UInt8(ascii: "]"): position += 1; return .rightBracket
    case UInt8(ascii: ","): position += 1; return .comma
    case UInt8(ascii: ":"): position += 1; return .colon
    case UInt8(ascii: "t"): return literal("true", .literalTrue)
    case UInt8(ascii: "f"): return literal("false", .literalFalse)
    case UInt8(ascii: "n"): return literal("null", .literalNull)
    case UInt8(ascii: "\""): return lexString()
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return lexNumber()
    case UInt8(ascii: "/"): return .lexicalError("probable comment found in input text, comments are not enabled.")
    default: return .lexicalError("invalid char in json text.")
    }
  }

  private mutating func literal(_ word: String, _ token: Token) -> Token {
    for expected in word.utf8 {
      guard let c = byte(position) else { return .eof }
      if c != expected { return .lexicalError("invalid string in json text.") }
      position += 1
    }
    return token
  }

  private mutating func lexNumber() -> Token {
    let start = position
    var c = byte(position)
    if c == UInt8(ascii: "-") {
      position += 1
      c = byte(position)
    }
    guard let first = c else { return .eof }
    if first == UInt8(ascii: "0") {
      position += 1
    } else if first >= UInt8(ascii: "1") && first <= UInt8(ascii: "9") {
      while let d = byte(position), d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") { position += 1 }
    } else {
      return .lexicalError("malformed number, a digit is required after the minus sign.")
    }
    if byte(position) == UInt8(ascii: ".") {
      position += 1
      var digits = 0
      while let d = byte(position), d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") {
        position += 1
        digits += 1
      }
      if byte(position) == nil { return .eof }
      if digits == 0 { return .lexicalError("malformed number, a digit is required after the decimal point.") }
    }
    if byte(position) == UInt8(ascii: "e") || byte(position) == UInt8(ascii: "E") {
      position += 1
      if byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-") { position += 1 }
      var digits = 0
      while let d = byte(position), d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") {
        position += 1
        digits += 1
      }
      if byte(position) == nil { return .eof }
      if digits == 0 { return .lexicalError("malformed number, a digit is required after the exponent.") }
    }
    if byte(position) == nil { return .eof }
    return .number(Array(input[start..<position]))
  }

  private func hexDigit(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  /// Scans a string token (validating it as yajl does), then decodes its escapes.
  private mutating func lexString() -> Token {
    position += 1  // opening quote
    let start = position
    var hasEscapes = false
    while true {
      guard let c = byte(position) else { return .eof }
      if c == UInt8(ascii: "\"") { break }
      if c == UInt8(ascii: "\\") {
        hasEscapes = true
        guard let e = byte(position + 1) else { return .eof }
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
          UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          position += 2
        case UInt8(ascii: "u"):
          for k in 2...5 {
            guard let h = byte(position + k) else { return .eof }
            if hexDigit(h) == nil {
              return .lexicalError("invalid (non-hex) character occurs after '\\u' inside string.")
            }
          }
          position += 6
        default:
          return .lexicalError("inside a string, '\\' occurs before a character which it may not.")
        }
        continue
      }
      if c < 0x20 { return .lexicalError("invalid character inside string.") }
      if c < 0x80 {
        position += 1
        continue
      }
      // yajl's UTF-8 check: lead byte class and continuation bytes, nothing more.
      let continuations: Int
      if c >> 5 == 0x06 {
        continuations = 1
      } else if c >> 4 == 0x0E {
        continuations = 2
      } else if c >> 3 == 0x1E {
        continuations = 3
      } else {
        return .lexicalError("invalid bytes in UTF8 string.")
      }
      for k in 1...continuations {
        guard let next = byte(position + k) else { return .eof }
        if next >> 6 != 0x02 { return .lexicalError("invalid bytes in UTF8 string.") }
      }
      position += 1 + continuations
    }
    let raw = input[start..<position]
    position += 1  // closing quote
    return .string(hasEscapes ? decodeEscapes(raw) : Array(raw))
  }

  /// `yajl_string_decode`.
  private func decodeEscapes(_ raw: ArraySlice<UInt8>) -> [UInt8] {
    let s = Array(raw)
    var out: [UInt8] = []
    out.reserveCapacity(s.count)
    var i = 0
    while i < s.count {
      let c = s[i]
      guard c == UInt8(ascii: "\\"), i + 1 < s.count else {
        out.append(c)
        i += 1
        continue
      }
      let e = s[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var codepoint = hex4(s, i)
        i += 4
        if codepoint & 0xFC00 == 0xD800 {
          if i + 1 < s.count && s[i] == UInt8(ascii: "\\") && s[i + 1] == UInt8(ascii: "u") {
            let low = hex4(s, i + 2)
            codepoint = ((codepoint & 0x3F) << 10) | ((((codepoint >> 6) & 0xF) + 1) << 16) | (low & 0x3FF)
            i += 6
          } else {
            // yajl writes "?" and also skips the next character.
            out.append(UInt8(ascii: "?"))
            i += 1
            continue
          }
        }
        appendUTF8(codepoint, to: &out)
      default:
        out.append(e)  // \" \\ \/
      }
    }
    return out
  }

  private func hex4(_ s: [UInt8], _ at: Int) -> UInt32 {
    var value: UInt32 = 0
    for k in 0..<4 {
      guard at + k < s.count, let d = hexDigit(s[at + k]) else { return value }
      value = value << 4 | d
    }
    return value
  }

  /// yajl's `Utf32toUtf8`.
  private func appendUTF8(_ cp: UInt32, to out: inout [UInt8]) {
    switch cp {
    case 0..<0x80:
      out.append(UInt8(cp))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | (cp >> 6)))
      out.append(UInt8(0x80 | (cp & 0x3F)))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | (cp >> 12)))
      out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (cp & 0x3F)))
    case 0x10000..<0x200000:
      out.append(UInt8(0xF0 | (cp >> 18)))
      out.append(UInt8(0x80 | ((cp >> 12) & 0x3F)))
      out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (cp & 0x3F)))
    default:
      out.append(UInt8(ascii: "?"))
    }
  }
}
