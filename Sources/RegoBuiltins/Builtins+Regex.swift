internal import PolicyCore

// The regex family, after OPA's v1/topdown/regex.go and regex_template.go.
//
// OPA compiles patterns with Go's regexp package (RE2 syntax, leftmost-first Perl semantics);
// this engine runs PCRE2. `GoRegexTranslator` parses a pattern with the rules of Go's
// regexp/syntax (same accepted syntax, same errors, worded as Go words them) and writes an
// equivalent PCRE2 pattern that does not depend on PCRE2's options or defaults:
//
// - `^` and `$` are `\A` and `\z` (Go's are text anchors; PCRE2's `$` also matches before a final
//   newline), and under `(?m)` `(?<![^\n])` and `(?![^\n])` (Go's `(?m)^` also matches after a
//   trailing newline, PCRE2's does not);
// - `.` is `[^\n]` (or any character under `(?s)`);
// - `\d`, `\s`, `\w` and the POSIX classes become Go's ASCII ranges (`\s` has no `\v` in Go);
// - escapes become `\x{...}`, so octal `\12` cannot turn into a PCRE2 back reference;
// - flags become `(?i:...)` around the atoms they apply to, and `U` swaps greediness per
//   repetition;
// - capture groups become plain `(...)`; names are kept here for `$name` in `regex.replace`.
//
// - an unbounded repetition of something that can match empty follows Go's rule that no loop
//   iteration after the first may be empty (see `emitNullableLoop`).
//
// Syntax RE2 lacks (back references, look-around, atomic groups, possessive quantifiers, `\C`,
// `\Z`, comments, recursion, ...) is rejected with Go's error, as OPA rejects it; `(?<name>...)`
// is accepted, as in Go 1.22 and later. Known gaps: Go's limit on the compiled program size
// (`expression too large`) is not reproduced; PCRE2 refuses more than 250 nested groups where Go
// allows 1000; `\p{...}` classes ignore `(?i)` in PCRE2 where Go adds the case variants; and
// PCRE2 backtracks where Go runs in linear time, so a pathological pattern can hit the PCRE2
// match limit (an error) where OPA would answer.

extension BuiltinRegistry {
  /// Adds the regex family. Keep entries sorted by name.
  mutating func registerRegex() {
    /// `re_match(pattern, value)`: the deprecated name of `regex.match`.
    add("re_match", arity: 2, category: "regex") { args, context throws(BuiltinError) in
      let regex = try GoRegex.compile(try args.string(0), context)
      return .bool(try regex.matches(Array(try args.string(1).utf8)))
    }

    /// `regex.find_all_string_submatch_n(pattern, value, number)`: up to `number` matches
    /// (all when negative), each as the whole match followed by its groups ("" for groups that
    /// did not take part).
    ///
    ///     regex.find_all_string_submatch_n("a(x*)b", "-ab-axb-", -1)  # [["ab", ""], ["axb", "x"]]
    add("regex.find_all_string_submatch_n", arity: 3, category: "regex") { args, context throws(BuiltinError) in
      let pattern = try args.string(0)
      let text = Array(try args.string(1).utf8)
      let limit = try regexIntOperand(args, 2)
      let regex = try GoRegex.compile(pattern, context)
      let matches = try regex.allMatches(text, limit: limit)
      return .array(
        matches.map { match in
          .array(match.groups.map { range in .string(range.map { substring(text, $0) } ?? "") })
        })
    }

    /// `regex.find_n(pattern, value, number)`: up to `number` matched substrings (all when
    /// negative).
    ///
    ///     regex.find_n("a.", "paranormal", 2)  # ["ar", "an"]
    add("regex.find_n", arity: 3, category: "regex") { args, context throws(BuiltinError) in
      let pattern = try args.string(0)
      let text = Array(try args.string(1).utf8)
      let limit = try regexIntOperand(args, 2)
      let regex = try GoRegex.compile(pattern, context)
      return .array(try regex.allMatches(text, limit: limit).map { .string(substring(text, $0.range)) })
    }

    /// `regex.globs_match(glob1, glob2)`: whether two regex-like globs (`.`, `*`, `+`, `[...]`)
    /// can match a common non-empty string.
    ///
    ///     regex.globs_match("a.a.[0-9]+z", ".b.b2359825792*594823z")  # true
    add("regex.globs_match", arity: 2, category: "regex") { args, _ throws(BuiltinError) in
      let first = try args.string(0)
      let second = try args.string(1)
      return .bool(try GlobIntersection.nonEmpty(first, second))
    }

    /// `regex.is_valid(pattern)`: whether `pattern` is valid Go (RE2) syntax; false for
    /// non-strings.
    ///
    ///     regex.is_valid("++")  # false
    add("regex.is_valid", arity: 1, category: "regex") { args, _ throws(BuiltinError) in
      guard case .string(let pattern) = args[0] else { return .bool(false) }
      return .bool((try? GoRegexTranslator.translate(pattern)) != nil)
    }

    /// `regex.match(pattern, value)`: whether `pattern` matches anywhere in `value`.
    ///
    ///     regex.match("^[a-z]+$", "abc")  # true
    add("regex.match", arity: 2, category: "regex") { args, context throws(BuiltinError) in
      let regex = try GoRegex.compile(try args.string(0), context)
      return .bool(try regex.matches(Array(try args.string(1).utf8)))
    }

    /// `regex.replace(s, pattern, value)`: every match of `pattern` in `s` replaced by `value`,
    /// where `$1`, `${1}`, `$name` and `${name}` insert groups and `$$` a dollar.
    ///
    ///     regex.replace("-wy-wxxy-", "w(x*)y", "0")  # "-0-0-"
    add("regex.replace", arity: 3, category: "regex") { args, context throws(BuiltinError) in
      let text = try args.string(0)
      let pattern = try args.string(1)
      let template = Array(try args.string(2).utf8)
      let regex = try GoRegex.compile(pattern, context)
      return .string(try regex.replaceAll(Array(text.utf8), template: template))
    }

    /// `regex.split(pattern, value)`: the parts of `value` between matches of `pattern`.
    ///
    ///     regex.split("a", "banana")  # ["b", "n", "n", ""]
    add("regex.split", arity: 2, category: "regex") { args, context throws(BuiltinError) in
      let pattern = try args.string(0)
      let text = Array(try args.string(1).utf8)
      let regex = try GoRegex.compile(pattern, context)
      return .array(try regex.split(text, emptyPattern: pattern.isEmpty).map(Value.string))
    }

    /// `regex.template_match(template, value, delimiter_start, delimiter_end)`: matches `value`
    /// against `template`, whose delimited parts are regular expressions and the rest literal
    /// text.
    ///
    ///     regex.template_match("urn:foo:{.*}", "urn:foo:bar:baz", "{", "}")  # true
    add("regex.template_match", arity: 4, category: "regex") { args, context throws(BuiltinError) in
      let template = try args.string(0)
      let text = try args.string(1)
      let start = try args.string(2)
      let end = try args.string(3)
      if start.utf8.count != 1 {
        throw BuiltinError.failure(
          "start delimiter has to be exactly one character long but is \(start.utf8.count) long")
      }
      if end.utf8.count != 1 {
        // OPA reports the start delimiter's length here too.
        throw BuiltinError.failure("end delimiter has to be exactly one character long but is \(start.utf8.count) long")
      }
      let pattern = try templatePattern(
        Array(template.utf8), start: start.utf8.first ?? 0, end: end.utf8.first ?? 0, context)
      let regex = try GoRegex.compile(pattern, context)
      return .bool(try regex.matches(Array(text.utf8)))
    }
  }
}

/// OPA's `IntOperand` (the number's text must be a 64-bit integer).
private func regexIntOperand(_ args: BuiltinArguments, _ index: Int) throws(BuiltinError) -> Int {
  let number = try args.number(index)
  guard let value = Int(number.text) else {
    throw BuiltinError(.type, "operand \(index + 1) must be integer number but got floating-point number")
  }
  return value
}

private func substring(_ bytes: [UInt8], _ range: Range<Int>) -> String {
  String(decoding: bytes[range], as: UTF8.self)
}

// MARK: - regex.template_match

/// The regular expression for a template (gorilla/mux's, which OPA forked): literal parts
/// quoted, delimited parts as groups, anchored at both ends.
private func templatePattern(_ template: [UInt8], start: UInt8, end: UInt8, _ context: BuiltinContext)
  throws(BuiltinError) -> String
{
  var level = 0
  var open = 0
  var indices: [Int] = []
  for (index, byte) in template.enumerated() {
    if byte == start {
      level += 1
      if level == 1 { open = index }
    } else if byte == end {
      level -= 1
      if level == 0 {
        indices.append(open)
        indices.append(index + 1)
      } else if level < 0 {
        throw BuiltinError.failure("unbalanced braces in \(goQuoted(template))")
      }
    }
  }
  if level != 0 { throw BuiltinError.failure("unbalanced braces in \(goQuoted(template))") }
  var pattern = "^"
  var last = 0
  var index = 0
  while index < indices.count {
    let raw = template[last..<indices[index]]
    last = indices[index + 1]
    let inner = String(decoding: template[(indices[index] + 1)..<(last - 1)], as: UTF8.self)
    pattern += goQuoteMeta(raw) + "(" + inner + ")"
    _ = try GoRegex.compile("^" + inner + "$", context)
    index += 2
  }
  pattern += goQuoteMeta(template[last...]) + "$"
  return pattern
}

/// Go's `regexp.QuoteMeta`.
private func goQuoteMeta(_ bytes: ArraySlice<UInt8>) -> String {
  var out: [UInt8] = []
  for byte in bytes {
    if Array(#"\.+*?()|[]{}^$"#.utf8).contains(byte) { out.append(UInt8(ascii: "\\")) }
    out.append(byte)
  }
  return String(decoding: out, as: UTF8.self)
}

/// Go's `%q` of a string, for error messages.
private func goQuoted(_ bytes: [UInt8]) -> String {
  var out = "\""
  for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\t": out += "\\t"
    case "\r": out += "\\r"
    default:
      if scalar.value < 0x20 || scalar.value == 0x7F {
        out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}

// MARK: - Compiled Go regexp

/// A Go regexp compiled to PCRE2, with Go's match iteration, split and replace.
struct GoRegex {
  let regex: PCRE2Regex
  /// Names of the capture groups, index 1 first (nil when unnamed).
  let groupNames: [String?]
  /// The PCRE2 groups of each Go group (see `GoRegexTranslator.Translation.groupMap`).
  let groupMap: [[Int]]

  /// A match in Go's terms: the whole match, then each Go group (nil when it did not take part).
  struct Match {
    var groups: [Range<Int>?]
    var range: Range<Int> { groups.first.flatMap { $0 } ?? 0..<0 }
  }

  /// Translates and compiles a Go pattern, caching the PCRE2 code in the context.
  static func compile(_ pattern: String, _ context: BuiltinContext) throws(BuiltinError) -> GoRegex {
    // Translating the Go syntax costs more than matching: cache the result with the compiled code.
    if let cached = context.regexCache.goRegex(pattern, limits: context.limits) { return cached }
    let compiled = try translateAndCompile(pattern, context)
    context.regexCache.store(compiled, for: pattern, limits: context.limits)
    return compiled
  }

  private static func translateAndCompile(_ pattern: String, _ context: BuiltinContext) throws(BuiltinError) -> GoRegex {
    let translation: GoRegexTranslator.Translation
    do {
      translation = try GoRegexTranslator.translate(pattern)
    } catch {
      throw BuiltinError.failure(error.message)
    }
    do {
      let regex = try context.regex(translation.pattern, options: [.utf])
      return GoRegex(regex: regex, groupNames: translation.groupNames, groupMap: translation.groupMap)
    } catch {
      throw BuiltinError.failure(error.message)
    }
  }

  /// The first match at or after byte `start`.
  private func firstMatch(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) throws(BuiltinError) -> Match? {
    let found: PCRE2Regex.Match?
    do {
      found = try regex.firstMatch(in: buffer, from: start)
    } catch {
      throw BuiltinError.failure(error.message)
    }
    guard let found else { return nil }
    // A Go group written several times in the PCRE2 pattern takes its last copy that matched.
    var groups: [Range<Int>?] = [found.groups.first ?? nil]
    for copies in groupMap.dropFirst() {
      var range: Range<Int>?
      for copy in copies where copy < found.groups.count {
        if let matched = found.groups[copy] { range = matched }
      }
      groups.append(range)
    }
    return Match(groups: groups)
  }

  func matches(_ text: [UInt8]) throws(BuiltinError) -> Bool {
    try text.withUnsafeBufferPointer { buffer in
      Result { () throws(BuiltinError) in try firstMatch(buffer, from: 0) != nil }
    }.get()
  }

  /// Go's `allMatches`: successive non-overlapping matches; an empty match right after the
  /// previous match is skipped and an empty match advances by one code point.
  func allMatches(_ text: [UInt8], limit: Int) throws(BuiltinError) -> [Match] {
    let limit = limit < 0 ? text.count + 1 : limit
    return try text.withUnsafeBufferPointer { buffer in
      Result { () throws(BuiltinError) in
        var results: [Match] = []
        var position = 0
        var previousEnd = -1
        while results.count < limit && position <= text.count {
          guard let match = try firstMatch(buffer, from: position) else { break }
          var accept = true
          let range = match.range
          if range.upperBound == position {
            if range.lowerBound == previousEnd { accept = false }
            position += position < text.count ? utf8Width(text, position) : 1
          } else {
            position = range.upperBound
          }
          previousEnd = range.upperBound
          if accept { results.append(match) }
        }
        return results
      }
    }.get()
  }

  /// Go's `Regexp.Split(s, -1)`.
  func split(_ text: [UInt8], emptyPattern: Bool) throws(BuiltinError) -> [String] {
    if !emptyPattern && text.isEmpty { return [""] }
    let matches = try allMatches(text, limit: -1)
    var parts: [String] = []
    var begin = 0
    var end = 0
    for match in matches {
      end = match.range.lowerBound
      if match.range.upperBound != 0 { parts.append(substring(text, begin..<end)) }
      begin = match.range.upperBound
    }
    if end != text.count { parts.append(substring(text, begin..<text.count)) }
    return parts
  }

  /// Go's `ReplaceAllString` with `Expand` templates.
  func replaceAll(_ text: [UInt8], template: [UInt8]) throws(BuiltinError) -> String {
    try text.withUnsafeBufferPointer { buffer in
      Result { () throws(BuiltinError) in
        var out: [UInt8] = []
        var lastMatchEnd = 0
        var searchPosition = 0
        while searchPosition <= text.count {
          guard let match = try firstMatch(buffer, from: searchPosition) else { break }
          let range = match.range
          out.append(contentsOf: text[lastMatchEnd..<range.lowerBound])
          // No replacement for an empty match right after another match.
          if range.upperBound > lastMatchEnd || range.lowerBound == 0 {
            expand(template, match: match, text: text, into: &out)
          }
          lastMatchEnd = range.upperBound
          let width = searchPosition < text.count ? utf8Width(text, searchPosition) : 0
          if searchPosition + width > range.upperBound {
            searchPosition += width
          } else if searchPosition + 1 > range.upperBound {
            searchPosition += 1
          } else {
            searchPosition = range.upperBound
          }
        }
        out.append(contentsOf: text[lastMatchEnd...])
        return String(decoding: out, as: UTF8.self)
      }
    }.get()
  }

  /// Go's `Regexp.expand`: `$$`, `$n`, `${n}`, `$name`, `${name}`; unknown groups expand to
  /// nothing and a malformed `$` stays literal.
  private func expand(_ template: [UInt8], match: Match, text: [UInt8], into out: inout [UInt8]) {
    var index = 0
    while index < template.count {
      let byte = template[index]
      if byte != UInt8(ascii: "$") {
        out.append(byte)
        index += 1
        continue
      }
      index += 1
      if index < template.count && template[index] == UInt8(ascii: "$") {
        out.append(UInt8(ascii: "$"))
        index += 1
        continue
      }
      guard let extracted = extractName(template, index) else {
        out.append(UInt8(ascii: "$"))
        continue
      }
      let (name, next) = extracted
      index = next
      var group: Int?
      if let number = groupNumber(name) {
        group = number
      } else {
        group = groupNames.firstIndex { $0 == name }.map { $0 + 1 }
      }
      if let group, group < match.groups.count, let range = match.groups[group] {
        out.append(contentsOf: text[range])
      }
    }
  }

  /// Go's `extract`: a name of letters, digits and `_`, optionally in braces.
  private func extractName(_ template: [UInt8], _ start: Int) -> (String, Int)? {
    var index = start
    var brace = false
    if index < template.count && template[index] == UInt8(ascii: "{") {
      brace = true
      index += 1
    }
    let nameStart = index
    while index < template.count {
      let length = utf8Width(template, index)
      let scalar = String(decoding: template[index..<min(index + length, template.count)], as: UTF8.self)
        .unicodeScalars.first
      guard let scalar,
        scalar == "_" || isGoLetter(scalar) || isGoDigit(scalar)
      else { break }
      index += length
    }
    if index == nameStart { return nil }
    let name = String(decoding: template[nameStart..<index], as: UTF8.self)
    if brace {
      guard index < template.count && template[index] == UInt8(ascii: "}") else { return nil }
      index += 1
    }
    return (name, index)
  }

  /// A group number: decimal digits without a leading zero, below 1e8.
  private func groupNumber(_ name: String) -> Int? {
    let bytes = Array(name.utf8)
    var number = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), number < 100_000_000 else { return nil }
      number = number * 10 + Int(byte - UInt8(ascii: "0"))
    }
    if bytes.count > 1 && bytes[0] == UInt8(ascii: "0") { return nil }
    return number
  }
}

/// Go's `unicode.IsLetter`.
private func isGoLetter(_ scalar: Unicode.Scalar) -> Bool {
  switch scalar.properties.generalCategory {
  case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
  default: return false
  }
}

/// Go's `unicode.IsDigit`.
private func isGoDigit(_ scalar: Unicode.Scalar) -> Bool {
  scalar.properties.generalCategory == .decimalNumber
}

/// The byte length of the UTF-8 sequence at `index` (1 for a stray byte).
private func utf8Width(_ bytes: [UInt8], _ index: Int) -> Int {
  let lead = bytes[index]
  let length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : (lead >= 0xC0 ? 2 : 1))
  return min(length, bytes.count - index)
}

// MARK: - Go syntax to PCRE2

/// Parses Go (RE2) regular expression syntax as Go's regexp/syntax does with the `Perl` flags,
/// and writes the equivalent PCRE2 pattern.
enum GoRegexTranslator {
  struct Translation: Sendable {
    var pattern: String
    var groupNames: [String?]
    /// For each Go group (index 0 unused), the PCRE2 groups that stand for it, in pattern order.
    var groupMap: [[Int]]
  }

  struct SyntaxError: Error {
    var message: String
    init(_ code: String, _ expression: String) {
      message = "error parsing regexp: \(code): `\(expression)`"
    }
  }

  /// The PCRE2 pattern for a Go pattern, or Go's syntax error.
  static func translate(_ pattern: String) throws(SyntaxError) -> Translation {
    var parser = GoRegexParser(Array(pattern.utf8))
    let root = try parser.parse()
    var emitter = GoRegexEmitter(groupCount: parser.groupNames.count)
    emitter.emit(root, context: .top)
    return Translation(pattern: emitter.out, groupNames: parser.groupNames, groupMap: emitter.groupMap)
  }
}

private struct GoRegexFlags: Equatable {
  var foldCase = false
  var multiLine = false
  var dotNewline = false
  var nonGreedy = false
}

private indirect enum GoRegexNode {
  case empty
  case literal(UInt32, fold: Bool)
  case characterClass(GoCharacterClass)
  case anyCharacter(dotNewline: Bool)
  case beginLine, endLine, beginText, endText, wordBoundary, notWordBoundary
  /// A capture group with its Go number (1-based).
  case capture(Int, GoRegexNode)
  case concat([GoRegexNode])
  case alternate([GoRegexNode])
  /// `max` is -1 for no upper bound; `counted` for `{n,m}` (Go's OpRepeat), not `*`, `+`, `?`.
  case repetition(GoRegexNode, min: Int, max: Int, greedy: Bool, counted: Bool)
}

/// A bracketed or escaped class: code point ranges plus Unicode properties.
private struct GoCharacterClass {
  var ranges: [(UInt32, UInt32)] = []
  /// PCRE2 property escapes (`\p{Greek}`, `\P{Lu}`).
  var properties: [String] = []
  var negated = false
  var fold = false
}

private typealias SyntaxError = GoRegexTranslator.SyntaxError

/// The parser: a port of the structure of Go's regexp/syntax parse loop, so that the same
/// patterns are accepted and the same error (code and expression) is reported first.
private struct GoRegexParser {
  let source: [UInt8]
  private(set) var groupNames: [String?] = []
  private var flags = GoRegexFlags()

  private struct Frame {
    /// The Go group number for a capture group, nil for a non-capturing one.
    var capture: Int?
    var savedFlags: GoRegexFlags
    var branches: [GoRegexNode] = []
    var items: [GoRegexNode] = []
  }
  private var frames: [Frame]

  init(_ source: [UInt8]) {
    self.source = source
    frames = [Frame(capture: nil, savedFlags: GoRegexFlags())]
  }

  private var whole: String { String(decoding: source, as: UTF8.self) }

  private func text(_ range: Range<Int>) -> String {
    String(decoding: source[max(range.lowerBound, 0)..<min(range.upperBound, source.count)], as: UTF8.self)
  }

  private mutating func push(_ node: GoRegexNode) {
    frames[frames.count - 1].items.append(node)
  }

  private static func sequence(_ items: [GoRegexNode]) -> GoRegexNode {
    switch items.count {
    case 0: return .empty
    case 1: return items[0]
    default: return .concat(items)
    }
  }

  /// Closes the current frame's alternation.
  private static func closed(_ frame: Frame) -> GoRegexNode {
    let last = sequence(frame.items)
    if frame.branches.isEmpty { return last }
    return .alternate(frame.branches + [last])
  }

  mutating func parse() throws(SyntaxError) -> GoRegexNode {
    var index = 0
    var lastRepeat: Int?
    let end = source.count
    while index < end {
      var repeatStart: Int?
      let byte = source[index]
      switch byte {
      case UInt8(ascii: "("):
        if index + 1 < end && source[index + 1] == UInt8(ascii: "?") {
          index = try parsePerlFlags(index)
        } else {
          groupNames.append(nil)
          frames.append(Frame(capture: groupNames.count, savedFlags: flags))
          index += 1
        }
        try checkDepth()
      case UInt8(ascii: "|"):
        let frame = frames[frames.count - 1]
        frames[frames.count - 1].branches.append(GoRegexParser.sequence(frame.items))
        frames[frames.count - 1].items = []
        index += 1
      case UInt8(ascii: ")"):
        guard frames.count > 1, let frame = frames.popLast() else {
          throw SyntaxError("unexpected )", whole)
        }
        flags = frame.savedFlags
        let node = GoRegexParser.closed(frame)
        if let index = frame.capture {
          push(.capture(index, node))
        } else {
          push(GoRegexParser.groupOf(node))
        }
        index += 1
      case UInt8(ascii: "^"):
        push(flags.multiLine ? .beginLine : .beginText)
        index += 1
      case UInt8(ascii: "$"):
        push(flags.multiLine ? .endLine : .endText)
        index += 1
      case UInt8(ascii: "."):
        push(.anyCharacter(dotNewline: flags.dotNewline))
        index += 1
      case UInt8(ascii: "["):
        index = try parseClass(index)
      case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
        let (min, max) = byte == UInt8(ascii: "*") ? (0, -1) : (byte == UInt8(ascii: "+") ? (1, -1) : (0, 1))
        let after = try applyRepeat(
          start: index, after: index + 1, min: min, max: max, counted: false, lastRepeat: lastRepeat)
        repeatStart = index
        index = after
      case UInt8(ascii: "{"):
        guard let repetition = parseRepeat(index) else {
          push(.literal(UInt32(UInt8(ascii: "{")), fold: flags.foldCase))
          index += 1
          break
        }
        let (min, max, after) = repetition
        if min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max) {
          throw SyntaxError("invalid repeat count", text(index..<after))
        }
        let next = try applyRepeat(
          start: index, after: after, min: min, max: max, counted: true, lastRepeat: lastRepeat)
        repeatStart = index
        index = next
      case UInt8(ascii: "\\"):
        index = try parseBackslash(index)
      default:
        let (scalar, next) = decode(index)
        push(.literal(scalar, fold: flags.foldCase))
        index = next
      }
      lastRepeat = repeatStart
    }
    if frames.count != 1 { throw SyntaxError("missing closing )", whole) }
    let root = GoRegexParser.closed(frames[0])
    if GoRegexParser.height(root) > 1000 { throw SyntaxError("expression nests too deeply", whole) }
    return root
  }

  /// Go refuses trees more than 1000 deep; counting open groups keeps every recursive walk
  /// here shallow as well (PCRE2 itself stops at 250).
  private func checkDepth() throws(SyntaxError) {
    if frames.count > 1000 { throw SyntaxError("expression nests too deeply", whole) }
  }

  /// A non-capturing group keeps an alternation together inside a concatenation.
  private static func groupOf(_ node: GoRegexNode) -> GoRegexNode {
    if case .concat = node { return .concat([node]) }
    return node
  }

  private static func height(_ node: GoRegexNode) -> Int {
    switch node {
    case .capture(_, let inner): return 1 + height(inner)
    case .repetition(let inner, _, _, _, _): return 1 + height(inner)
    case .concat(let items), .alternate(let items): return 1 + (items.map(height).max() ?? 0)
    default: return 1
    }
  }

  /// Decodes the code point at `index` (the pattern is valid UTF-8).
  private func decode(_ index: Int) -> (UInt32, Int) {
    let width = utf8Width(source, index)
    let scalar = String(decoding: source[index..<index + width], as: UTF8.self).unicodeScalars.first
    return (scalar?.value ?? 0xFFFD, index + width)
  }

  /// Go's `repeat`: applies a repetition to the previous item.
  private mutating func applyRepeat(start: Int, after: Int, min: Int, max: Int, counted: Bool, lastRepeat: Int?)
    throws(SyntaxError) -> Int
  {
    var after = after
    var nonGreedy = flags.nonGreedy
    if after < source.count && source[after] == UInt8(ascii: "?") {
      after += 1
      nonGreedy.toggle()
    }
    if let lastRepeat { throw SyntaxError("invalid nested repetition operator", text(lastRepeat..<after)) }
    guard let previous = frames[frames.count - 1].items.popLast() else {
      throw SyntaxError("missing argument to repetition operator", text(start..<after))
    }
    let node = GoRegexNode.repetition(previous, min: min, max: max, greedy: !nonGreedy, counted: counted)
    if counted && (min >= 2 || max >= 2) && !GoRegexParser.repeatIsValid(node, 1000) {
      throw SyntaxError("invalid repeat count", text(start..<after))
    }
    push(node)
    return after
  }

  /// Go's `repeatIsValid`: nested counted repetitions may not multiply beyond 1000.
  private static func repeatIsValid(_ node: GoRegexNode, _ limit: Int) -> Bool {
    var limit = limit
    switch node {
    case .repetition(let inner, let min, let max, _, let counted):
      if counted {
        var bound = max
        if bound == 0 { return true }
        if bound < 0 { bound = min }
        if bound > limit { return false }
        if bound > 0 { limit /= bound }
      }
      return repeatIsValid(inner, limit)
    case .capture(_, let inner): return repeatIsValid(inner, limit)
    case .concat(let items), .alternate(let items): return items.allSatisfy { repeatIsValid($0, limit) }
    default: return true
    }
  }

  /// Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}`; nil when not of that form (a literal `{`).
  /// Numbers too large give a negative minimum.
  private func parseRepeat(_ start: Int) -> (Int, Int, Int)? {
    var index = start + 1
    guard let minimumParse = parseInt(index) else { return nil }
    let (minimum, afterMin) = minimumParse
    index = afterMin
    guard index < source.count else { return nil }
    var min = minimum
    var max: Int
    if source[index] != UInt8(ascii: ",") {
      max = min
    } else {
      index += 1
      guard index < source.count else { return nil }
      if source[index] == UInt8(ascii: "}") {
        max = -1
      } else {
        guard let maximumParse = parseInt(index) else { return nil }
        max = maximumParse.0
        index = maximumParse.1
        if max < 0 { min = -1 }
      }
    }
    guard index < source.count && source[index] == UInt8(ascii: "}") else { return nil }
    return (min, max, index + 1)
  }

  /// Go's `parseInt`: decimal digits without a leading zero; -1 when 1e8 or more.
  private func parseInt(_ start: Int) -> (Int, Int)? {
    func isDigit(_ index: Int) -> Bool {
      index < source.count && source[index] >= UInt8(ascii: "0") && source[index] <= UInt8(ascii: "9")
    }
    guard isDigit(start) else { return nil }
    if source[start] == UInt8(ascii: "0") && isDigit(start + 1) { return nil }
    var index = start
    var value = 0
    while isDigit(index) {
      if value >= 100_000_000 {
        value = -1
      } else if value >= 0 {
        value = value * 10 + Int(source[index] - UInt8(ascii: "0"))
      }
      index += 1
    }
    return (value, index)
  }

  /// Go's `parsePerlFlags`: named groups, non-capturing groups and flag changes.
  private mutating func parsePerlFlags(_ start: Int) throws(SyntaxError) -> Int {
    let rest = source.count - start
    let startsWithP = rest > 4 && source[start + 2] == UInt8(ascii: "P") && source[start + 3] == UInt8(ascii: "<")
    let startsWithName = rest > 3 && source[start + 2] == UInt8(ascii: "<")
    if startsWithP || startsWithName {
      let nameStart = start + (startsWithP ? 4 : 3)
      guard let close = source[start...].firstIndex(of: UInt8(ascii: ">")) else {
        throw SyntaxError("invalid named capture", text(start..<source.count))
      }
      let name = text(nameStart..<close)
      let valid =
        !name.isEmpty
        && name.utf8.allSatisfy { byte in
          byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        }
      if !valid { throw SyntaxError("invalid named capture", text(start..<(close + 1))) }
      groupNames.append(name)
      frames.append(Frame(capture: groupNames.count, savedFlags: flags))
      return close + 1
    }
    var index = start + 2
    var newFlags = flags
    var negate = false
    var sawFlag = false
    while index < source.count {
      let (scalar, next) = decode(index)
      index = next
      switch scalar {
      case UInt32(UInt8(ascii: "i")):
        newFlags.foldCase = !negate
        sawFlag = true
      case UInt32(UInt8(ascii: "m")):
        newFlags.multiLine = !negate
        sawFlag = true
      case UInt32(UInt8(ascii: "s")):
        newFlags.dotNewline = !negate
        sawFlag = true
      case UInt32(UInt8(ascii: "U")):
        newFlags.nonGreedy = !negate
        sawFlag = true
      case UInt32(UInt8(ascii: "-")):
        if negate { throw SyntaxError("invalid or unsupported Perl syntax", text(start..<index)) }
        negate = true
        sawFlag = false
      case UInt32(UInt8(ascii: ":")), UInt32(UInt8(ascii: ")")):
        if negate && !sawFlag { throw SyntaxError("invalid or unsupported Perl syntax", text(start..<index)) }
        if scalar == UInt32(UInt8(ascii: ":")) {
          frames.append(Frame(capture: nil, savedFlags: flags))
        }
        flags = newFlags
        return index
      default:
        throw SyntaxError("invalid or unsupported Perl syntax", text(start..<index))
      }
    }
    throw SyntaxError("invalid or unsupported Perl syntax", text(start..<index))
  }

  /// A backslash outside a class: anchors, `\Q...\E`, Unicode and Perl classes, escapes.
  private mutating func parseBackslash(_ start: Int) throws(SyntaxError) -> Int {
    if start + 1 < source.count {
      switch source[start + 1] {
      case UInt8(ascii: "A"):
        push(.beginText)
        return start + 2
      case UInt8(ascii: "b"):
        push(.wordBoundary)
        return start + 2
      case UInt8(ascii: "B"):
        push(.notWordBoundary)
        return start + 2
      case UInt8(ascii: "C"):
        throw SyntaxError("invalid escape sequence", text(start..<(start + 2)))
      case UInt8(ascii: "Q"):
        var index = start + 2
        var literalEnd = source.count
        var resume = source.count
        while index + 1 < source.count {
          if source[index] == UInt8(ascii: "\\") && source[index + 1] == UInt8(ascii: "E") {
            literalEnd = index
            resume = index + 2
            break
          }
          index += 1
        }
        var position = start + 2
        while position < literalEnd {
          let (scalar, next) = decode(position)
          push(.literal(scalar, fold: flags.foldCase))
          position = next
        }
        return resume
      case UInt8(ascii: "z"):
        push(.endText)
        return start + 2
      default: break
      }
    }
    var characterClass = GoCharacterClass()
    characterClass.fold = flags.foldCase
    if start + 1 < source.count && (source[start + 1] == UInt8(ascii: "p") || source[start + 1] == UInt8(ascii: "P")) {
      let next = try parseUnicodeClass(start, into: &characterClass)
      push(.characterClass(characterClass))
      return next
    }
    if let next = parsePerlClass(start, into: &characterClass) {
      push(.characterClass(characterClass))
      return next
    }
    let (scalar, next) = try parseEscape(start)
    push(.literal(scalar, fold: flags.foldCase))
    return next
  }

  /// Go's `parseEscape`: one escaped code point.
  private func parseEscape(_ start: Int) throws(SyntaxError) -> (UInt32, Int) {
    var index = start + 1
    if index >= source.count { throw SyntaxError("trailing backslash at end of expression", "") }
    let (c, afterC) = decode(index)
    index = afterC
    func isOctal(_ i: Int) -> Bool {
      i < source.count && source[i] >= UInt8(ascii: "0") && source[i] <= UInt8(ascii: "7")
    }
    func hexValue(_ value: UInt32) -> UInt32? {
      switch value {
      case 0x30...0x39: return value - 0x30
      case 0x61...0x66: return value - 0x61 + 10
      case 0x41...0x46: return value - 0x41 + 10
      default: return nil
      }
    }
    switch c {
    case 0x31...0x37 where isOctal(index), 0x30:
      var value = c - 0x30
      var count = 1
      while count < 3 && isOctal(index) {
        value = value * 8 + UInt32(source[index] - UInt8(ascii: "0"))
        index += 1
        count += 1
      }
      return (value, index)
    case UInt32(UInt8(ascii: "x")):
      guard index < source.count else { break }
      let (first, afterFirst) = decode(index)
      index = afterFirst
      if first == UInt32(UInt8(ascii: "{")) {
        var value: UInt32 = 0
        var digits = 0
        while true {
          guard index < source.count else { throw SyntaxError("invalid escape sequence", text(start..<index)) }
          let (digit, afterDigit) = decode(index)
          index = afterDigit
          if digit == UInt32(UInt8(ascii: "}")) { break }
          guard let v = hexValue(digit) else { throw SyntaxError("invalid escape sequence", text(start..<index)) }
          value = value * 16 + v
          if value > 0x10FFFF { throw SyntaxError("invalid escape sequence", text(start..<index)) }
          digits += 1
        }
        if digits == 0 { throw SyntaxError("invalid escape sequence", text(start..<index)) }
        return (value, index)
      }
      guard index < source.count else {
        throw SyntaxError("invalid escape sequence", text(start..<index))
      }
      let (second, afterSecond) = decode(index)
      index = afterSecond
      guard let high = hexValue(first), let low = hexValue(second) else { break }
      return (high * 16 + low, index)
    case UInt32(UInt8(ascii: "a")): return (0x07, index)
    case UInt32(UInt8(ascii: "f")): return (0x0C, index)
    case UInt32(UInt8(ascii: "n")): return (0x0A, index)
    case UInt32(UInt8(ascii: "r")): return (0x0D, index)
    case UInt32(UInt8(ascii: "t")): return (0x09, index)
    case UInt32(UInt8(ascii: "v")): return (0x0B, index)
    default:
      if c < 0x80 && !isAlphanumeric(c) { return (c, index) }
    }
    throw SyntaxError("invalid escape sequence", text(start..<index))
  }

  private func isAlphanumeric(_ value: UInt32) -> Bool {
    (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
  }

  /// `\d \D \s \S \w \W`.
  private func parsePerlClass(_ start: Int, into characterClass: inout GoCharacterClass) -> Int? {
    guard start + 1 < source.count, source[start] == UInt8(ascii: "\\") else { return nil }
    let ranges: [(UInt32, UInt32)]
    var negated = false
    switch source[start + 1] {
    case UInt8(ascii: "d"): ranges = GoClassTables.digit
    case UInt8(ascii: "D"):
      ranges = GoClassTables.digit
      negated = true
    case UInt8(ascii: "s"): ranges = GoClassTables.perlSpace
    case UInt8(ascii: "S"):
      ranges = GoClassTables.perlSpace
      negated = true
    case UInt8(ascii: "w"): ranges = GoClassTables.word
    case UInt8(ascii: "W"):
      ranges = GoClassTables.word
      negated = true
    default: return nil
    }
    characterClass.ranges += negated ? GoClassTables.complement(ranges) : ranges
    return start + 2
  }

  /// Go's `parseUnicodeClass`: `\pL`, `\p{Greek}`, `\P{...}`, `\p{^...}`.
  private func parseUnicodeClass(_ start: Int, into characterClass: inout GoCharacterClass) throws(SyntaxError) -> Int {
    var negated = source[start + 1] == UInt8(ascii: "P")
    var index = start + 2
    let sequenceEnd: Int
    var name: String
    if index < source.count && source[index] == UInt8(ascii: "{") {
      guard let close = source[start...].firstIndex(of: UInt8(ascii: "}")) else {
        throw SyntaxError("invalid character class range", text(start..<source.count))
      }
      sequenceEnd = close + 1
      name = text((start + 3)..<close)
    } else {
      if index < source.count { index = decode(index).1 }
      sequenceEnd = index
      name = text((start + 2)..<index)
    }
    if name.hasPrefix("^") {
      negated.toggle()
      name.removeFirst()
    }
    guard let property = GoClassTables.unicodeProperty(name) else {
      throw SyntaxError("invalid character class range", text(start..<sequenceEnd))
    }
    switch property {
    case .ranges(let ranges):
      characterClass.ranges += negated ? GoClassTables.complement(ranges) : ranges
    case .pcre(let pcreName, let inverted):
      characterClass.properties.append((negated != inverted ? "\\P{" : "\\p{") + pcreName + "}")
    }
    return sequenceEnd
  }

  /// Go's `parseClass`: a bracketed class.
  private mutating func parseClass(_ start: Int) throws(SyntaxError) -> Int {
    let wholeClass = text(start..<source.count)
    var characterClass = GoCharacterClass()
    characterClass.fold = flags.foldCase
    var index = start + 1
    if index < source.count && source[index] == UInt8(ascii: "^") {
      characterClass.negated = true
      index += 1
    }
    var first = true
    while index >= source.count || source[index] != UInt8(ascii: "]") || first {
      first = false
      // POSIX [:alpha:]
      if index + 2 < source.count && source[index] == UInt8(ascii: "[") && source[index + 1] == UInt8(ascii: ":") {
        var close = index + 2
        var found: Int?
        while close + 1 < source.count {
          if source[close] == UInt8(ascii: ":") && source[close + 1] == UInt8(ascii: "]") {
            found = close
            break
          }
          close += 1
        }
        if let found {
          let name = text(index..<(found + 2))
          guard let ranges = GoClassTables.posix(name) else {
            throw SyntaxError("invalid character class range", name)
          }
          characterClass.ranges += ranges
          index = found + 2
          continue
        }
      }
      if index + 1 < source.count && source[index] == UInt8(ascii: "\\")
        && (source[index + 1] == UInt8(ascii: "p") || source[index + 1] == UInt8(ascii: "P"))
      {
        index = try parseUnicodeClass(index, into: &characterClass)
        continue
      }
      if let next = parsePerlClass(index, into: &characterClass) {
        index = next
        continue
      }
      let rangeStart = index
      let (low, afterLow) = try parseClassChar(index, wholeClass: wholeClass)
      index = afterLow
      var high = low
      if index + 1 < source.count && source[index] == UInt8(ascii: "-") && source[index + 1] != UInt8(ascii: "]") {
        let (upper, afterHigh) = try parseClassChar(index + 1, wholeClass: wholeClass)
        index = afterHigh
        high = upper
        if high < low { throw SyntaxError("invalid character class range", text(rangeStart..<index)) }
      }
      characterClass.ranges.append((low, high))
    }
    push(.characterClass(characterClass))
    return index + 1
  }

  private func parseClassChar(_ index: Int, wholeClass: String) throws(SyntaxError) -> (UInt32, Int) {
    if index >= source.count { throw SyntaxError("missing closing ]", wholeClass) }
    if source[index] == UInt8(ascii: "\\") { return try parseEscape(index) }
    return decode(index)
  }
}

/// Go's class tables (regexp/syntax's perl_groups.go and the unicode package names).
private enum GoClassTables {
  static let digit: [(UInt32, UInt32)] = [(0x30, 0x39)]
  static let perlSpace: [(UInt32, UInt32)] = [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)]
  static let word: [(UInt32, UInt32)] = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]

  /// The complement of sorted, disjoint ranges within 0...0x10FFFF.
  static func complement(_ ranges: [(UInt32, UInt32)]) -> [(UInt32, UInt32)] {
    var result: [(UInt32, UInt32)] = []
    var next: UInt32 = 0
    for (low, high) in ranges.sorted(by: { $0.0 < $1.0 }) {
      if low > next { result.append((next, low - 1)) }
      next = max(next, high + 1)
    }
    if next <= 0x10FFFF { result.append((next, 0x10FFFF)) }
    return result
  }

  /// `[:name:]` and `[:^name:]`.
  static func posix(_ text: String) -> [(UInt32, UInt32)]? {
    var name = String(text.dropFirst(2).dropLast(2))
    var negated = false
    if name.hasPrefix("^") {
      negated = true
      name.removeFirst()
    }
    let ranges: [(UInt32, UInt32)]
    switch name {
    case "alnum": ranges = [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]
    case "alpha": ranges = [(0x41, 0x5A), (0x61, 0x7A)]
    case "ascii": ranges = [(0x00, 0x7F)]
    case "blank": ranges = [(0x09, 0x09), (0x20, 0x20)]
    case "cntrl": ranges = [(0x00, 0x1F), (0x7F, 0x7F)]
    case "digit": ranges = [(0x30, 0x39)]
    case "graph": ranges = [(0x21, 0x7E)]
    case "lower": ranges = [(0x61, 0x7A)]
    case "print": ranges = [(0x20, 0x7E)]
    case "punct": ranges = [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)]
    case "space": ranges = [(0x09, 0x0D), (0x20, 0x20)]
    case "upper": ranges = [(0x41, 0x5A)]
    case "word": ranges = word
    case "xdigit": ranges = [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]
    default: return nil
    }
    return negated ? complement(ranges) : ranges
  }

  enum Property {
    case ranges([(UInt32, UInt32)])
    /// A PCRE2 property name; `inverted` when Go's table is the complement of it.
    case pcre(String, inverted: Bool)
  }

  static let categories: Set<String> = [
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
    "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
  ]

  static let categoryAliases: [String: String] = [
    "Cased_Letter": "L&", "Close_Punctuation": "Pe", "Combining_Mark": "M", "Connector_Punctuation": "Pc",
    "Control": "Cc", "Currency_Symbol": "Sc", "Dash_Punctuation": "Pd", "Decimal_Number": "Nd",
    "Enclosing_Mark": "Me", "Final_Punctuation": "Pf", "Format": "Cf", "Initial_Punctuation": "Pi",
    "Letter": "L", "Letter_Number": "Nl", "Line_Separator": "Zl", "Lowercase_Letter": "Ll", "Mark": "M",
    "Math_Symbol": "Sm", "Modifier_Letter": "Lm", "Modifier_Symbol": "Sk", "Nonspacing_Mark": "Mn",
    "Number": "N", "Open_Punctuation": "Ps", "Other": "C", "Other_Letter": "Lo", "Other_Number": "No",
    "Other_Punctuation": "Po", "Other_Symbol": "So", "Paragraph_Separator": "Zp", "Private_Use": "Co",
    "Punctuation": "P", "Separator": "Z", "Space_Separator": "Zs", "Spacing_Mark": "Mc", "Surrogate": "Cs",
    "Symbol": "S", "Titlecase_Letter": "Lt", "Unassigned": "Cn", "Uppercase_Letter": "Lu", "cntrl": "Cc",
    "digit": "Nd", "punct": "P",
  ]

  static let scripts: [String] = [
    "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese", "Bamum", "Bassa_Vah",
    "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid", "Canadian_Aboriginal",
    "Carian", "Caucasian_Albanian", "Chakma", "Cham", "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform",
    "Cypriot", "Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan",
    "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha",
    "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran",
    "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited", "Inscriptional_Pahlavi", "Inscriptional_Parthian",
    "Javanese", "Kaithi", "Kannada", "Katakana", "Kawi", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer",
    "Khojki", "Khudawadi", "Lao", "Latin", "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian",
    "Mahajani", "Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin",
    "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro",
    "Multani", "Myanmar", "Nabataean", "Nag_Mundari", "Nandinagari", "New_Tai_Lue", "Newa", "Nko", "Nushu",
    "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic", "Old_North_Arabian",
    "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Oriya", "Osage",
    "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang",
    "Runic", "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala", "Sogdian",
    "Sora_Sompeng", "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham",
    "Tai_Viet", "Takri", "Tamil", "Tangsa", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta",
    "Toto", "Ugaritic", "Vai", "Vithkuqi", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
  ]

  /// Go's canonical spelling: first letter upper case, the rest lower case, no `_`, `-` or
  /// spaces.
  static func canonical(_ name: String) -> String {
    var out = ""
    var first = true
    for scalar in name.unicodeScalars {
      if scalar == "_" || scalar == "-" || scalar == " " { continue }
      if first {
        out += String(scalar).uppercased()
        first = false
      } else {
        out += String(scalar).lowercased()
      }
    }
    return out
  }

  /// The class for a `\p` name, accepting Go's names exactly and its newer loose spellings.
  static func unicodeProperty(_ name: String) -> Property? {
    if name.isEmpty { return nil }
    if categories.contains(name) { return .pcre(name, inverted: false) }
    if scripts.contains(name) { return .pcre(name, inverted: false) }
    let key = canonical(name)
    switch key {
    case "Any": return .ranges([(0, 0x10FFFF)])
    case "Assigned": return .pcre("Cn", inverted: true)
    case "Ascii": return .ranges([(0, 0x7F)])
    case "Lc": return .pcre("L&", inverted: false)
    default: break
    }
    if let category = categories.first(where: { canonical($0) == key }) { return .pcre(category, inverted: false) }
    if let script = scripts.first(where: { canonical($0) == key }) { return .pcre(script, inverted: false) }
    if let alias = categoryAliases.first(where: { canonical($0.key) == key }) {
      return .pcre(alias.value, inverted: false)
    }
    return nil
  }
}

/// Writes PCRE2 syntax for parsed nodes, independent of PCRE2's option defaults.
private struct GoRegexEmitter {
  var out = ""
  /// PCRE2 groups opened so far.
  private var pcreGroups = 0
  private(set) var groupMap: [[Int]]

  init(groupCount: Int) {
    groupMap = Array(repeating: [], count: groupCount + 1)
  }

  enum Context {
    case top
    case concatItem
    case repeated
  }

  mutating func emit(_ node: GoRegexNode, context: Context) {
    switch node {
    case .empty:
      if context == .repeated { out += "(?:)" }
    case .literal(let value, let fold):
      out += literal(value, fold: fold)
    case .characterClass(let characterClass):
      out += emitClass(characterClass)
    case .anyCharacter(let dotNewline):
      out += dotNewline ? "(?s:.)" : "[^\\n]"
    case .beginLine: out += context == .repeated ? "(?:(?<![^\\n]))" : "(?<![^\\n])"
    case .endLine: out += context == .repeated ? "(?:(?![^\\n]))" : "(?![^\\n])"
    case .beginText: out += context == .repeated ? "(?:\\A)" : "\\A"
    case .endText: out += context == .repeated ? "(?:\\z)" : "\\z"
    case .wordBoundary: out += context == .repeated ? "(?:\\b)" : "\\b"
    case .notWordBoundary: out += context == .repeated ? "(?:\\B)" : "\\B"
    case .capture(let index, let inner):
      pcreGroups += 1
      if index < groupMap.count { groupMap[index].append(pcreGroups) }
      out += "("
      emit(inner, context: .top)
      out += ")"
    case .concat(let items):
      let wrap = context == .repeated
      if wrap { out += "(?:" }
      for item in items { emit(item, context: .concatItem) }
      if wrap { out += ")" }
    case .alternate(let branches):
      let wrap = context != .top
      if wrap { out += "(?:" }
      for (index, branch) in branches.enumerated() {
        if index > 0 { out += "|" }
        emit(branch, context: .top)
      }
      if wrap { out += ")" }
    case .repetition(let inner, let min, let max, let greedy, _) where max == -1 && GoRegexEmitter.nullable(inner):
      emitNullableLoop(inner, min: min, greedy: greedy)
    case .repetition(let inner, let min, let max, let greedy, _):
      if case .repetition = inner {
        out += "(?:"
        emit(inner, context: .top)
        out += ")"
      } else {
        emit(inner, context: .repeated)
      }
      switch (min, max) {
      case (0, -1): out += "*"
      case (1, -1): out += "+"
      case (0, 1): out += "?"
      case (_, -1): out += "{\(min),}"
      case _ where min == max: out += "{\(min)}"
      default: out += "{\(min),\(max)}"
      }
      if !greedy { out += "?" }
    }
  }

  /// Whether a node can match the empty string.
  static func nullable(_ node: GoRegexNode) -> Bool {
    switch node {
    case .empty, .beginLine, .endLine, .beginText, .endText, .wordBoundary, .notWordBoundary: return true
    case .literal, .characterClass, .anyCharacter: return false
    case .capture(_, let inner): return nullable(inner)
    case .concat(let items): return items.allSatisfy(nullable)
    case .alternate(let branches): return branches.contains(where: nullable)
    case .repetition(let inner, let min, _, _, _): return min == 0 || nullable(inner)
    }
  }

  /// An unbounded repetition of a body that can match empty, with Go's semantics.
  ///
  /// Go's matchers never visit the same instruction at the same position twice on one path, so
  /// in a loop an iteration after the first may not be empty, and no iteration may follow an
  /// empty one. PCRE2 instead accepts one empty iteration and stops, which changes captures
  /// (`(a*)*` on "a" captures "a" in Go, "" in PCRE2) and even matches (`(|a)*` against "aa").
  /// So each iteration records the rest of the subject at its start in an extra group, and the
  /// later ones check both rules against those records:
  /// `(?=(rest1))x(?:(?!\g{rest1}\z)(?=(rest2))x(?!\g{rest2}\z))*`. `x{n,}` is Go's
  /// `x{n-1}x+`.
  private mutating func emitNullableLoop(_ inner: GoRegexNode, min: Int, greedy: Bool) {
    let lazy = greedy ? "" : "?"
    let restOfSubject = "(?=([\\s\\S]*+))"
    if min == 0 { out += "(?:" }
    if min >= 3 {
      out += "(?:"
      emit(inner, context: .top)
      out += "){\(min - 1)}"
    } else if min == 2 {
      emit(inner, context: .repeated)
    }
    pcreGroups += 1
    let first = pcreGroups
    out += restOfSubject
    emit(inner, context: .repeated)
    out += "(?:(?!\\g{\(first)}\\z)"
    pcreGroups += 1
    let later = pcreGroups
    out += restOfSubject
    emit(inner, context: .repeated)
    out += "(?!\\g{\(later)}\\z))*" + lazy
    if min == 0 { out += ")?" + lazy }
  }

  private func literal(_ value: UInt32, fold: Bool) -> String {
    guard let scalar = Unicode.Scalar(value) else { return "(?!)" }  // a surrogate never matches
    let text = escaped(value)
    if fold && scalar.properties.changesWhenCaseMapped { return "(?i:" + text + ")" }
    return text
  }

  private func escaped(_ value: UInt32) -> String {
    if (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) {
      return String(UnicodeScalar(UInt8(value)))
    }
    return "\\x{" + String(value, radix: 16) + "}"
  }

  private func emitClass(_ characterClass: GoCharacterClass) -> String {
    var body = ""
    for (low, high) in characterClass.ranges {
      // Surrogates cannot occur in UTF-8 text and PCRE2 rejects them in a pattern.
      for (part, partHigh) in [(low, min(high, 0xD7FF)), (max(low, 0xE000), high)] where part <= partHigh {
        body += escaped(part)
        if partHigh != part { body += "-" + escaped(partHigh) }
      }
    }
    for property in characterClass.properties { body += property }
    var text: String
    if body.isEmpty {
      text = characterClass.negated ? "[\\x{0}-\\x{10ffff}]" : "[^\\x{0}-\\x{10ffff}]"
    } else {
      text = "[" + (characterClass.negated ? "^" : "") + body + "]"
    }
    if characterClass.fold { text = "(?i:" + text + ")" }
    return text
  }
}

// MARK: - regex.globs_match

/// yashtewari/glob-intersection, which OPA uses for `regex.globs_match`: globs of characters,
/// `.` (any character) and `[...]` sets, each optionally followed by `+` or `*`.
private enum GlobIntersection {
  enum Flag { case none, plus, star }

  enum Kind {
    case character(UInt32)
    case dot
    case set(Set<UInt32>)
  }

  struct Token {
    var kind: Kind
    var flag: Flag
  }

  static func nonEmpty(_ lhs: String, _ rhs: String) throws(BuiltinError) -> Bool {
    let first = try tokenize(lhs)
    let second = try tokenize(rhs)
    guard let trimmed = trim(first, second) else { return false }
    let (trimmedFirst, trimmedSecond) = trimmed
    var budget = Budget()
    let result = intersectNormal(trimmedFirst[...], trimmedSecond[...], &budget)
    // The library recurses once per flagged token and can take exponential time; bound both.
    if budget.exhausted { throw .failure("globs too complex to intersect") }
    return result
  }

  /// Limits on the recursive search (depth for the stack, steps for time).
  struct Budget {
    var depth = 0
    var steps = 0
    var exhausted = false

    mutating func enter() -> Bool {
      depth += 1
      steps += 1
      if depth > 1000 || steps > 1_000_000 { exhausted = true }
      return !exhausted
    }

    mutating func leave() { depth -= 1 }
  }

  private static func invalid(_ input: [UInt32], _ position: Int, _ message: String) -> BuiltinError {
    var text = String.UnicodeScalarView()
    for value in input { text.append(Unicode.Scalar(value) ?? "\u{FFFD}") }
    return .failure("input:\(String(text)), pos:\(position), \(message): the input provided is invalid")
  }

  /// Reads one rune, resolving a backslash escape: (next index, rune, escaped), nil at the end.
  private static func nextRune(_ input: [UInt32], _ index: Int) throws(BuiltinError) -> (Int, UInt32, Bool)? {
    if index >= input.count { return nil }
    if input[index] == UInt32(UInt8(ascii: "\\")) {
      if index < input.count - 1 { return (index + 2, input[index + 1], true) }
      throw invalid(input, index, "input ends with a \\ (escape) character")
    }
    return (index + 1, input[index], false)
  }

  static func tokenize(_ text: String) throws(BuiltinError) -> [Token] {
    let input = text.unicodeScalars.map(\.value)
    var tokens: [Token] = []
    var index = 0
    while let read = try nextRune(input, index) {
      let (next, rune, escaped) = read
      index = next
      var kind: Kind
      if !escaped && rune == UInt32(UInt8(ascii: ".")) {
        kind = .dot
      } else if !escaped && rune == UInt32(UInt8(ascii: "]")) {
        throw invalid(input, index, "set-close ']' with no preceding '['")
      } else if !escaped && rune == UInt32(UInt8(ascii: "[")) {
        let (afterSet, runes) = try tokenizeSet(input, index)
        index = afterSet
        kind = .set(runes)
      } else if !escaped && (rune == UInt32(UInt8(ascii: "+")) || rune == UInt32(UInt8(ascii: "*"))) {
        throw invalid(input, index, "flag '\(String(Unicode.Scalar(UInt8(rune))))' must be preceded by a non-flag")
      } else {
        kind = .character(rune)
      }
      var flag = Flag.none
      if let flagRead = try nextRune(input, index), !flagRead.2 {
        let (afterFlag, flagRune, _) = flagRead
        if flagRune == UInt32(UInt8(ascii: "+")) {
          flag = .plus
          index = afterFlag
        } else if flagRune == UInt32(UInt8(ascii: "*")) {
          flag = .star
          index = afterFlag
        }
      }
      tokens.append(Token(kind: kind, flag: flag))
    }
    return tokens
  }

  private static func tokenizeSet(_ input: [UInt32], _ start: Int) throws(BuiltinError) -> (Int, Set<UInt32>) {
    var runes = Set<UInt32>()
    var previous: UInt32 = 0
    var previousExists = false
    var index = start
    while let read = try nextRune(input, index) {
      let (next, rune, escaped) = read
      index = next
      if !escaped && rune == UInt32(UInt8(ascii: "-")) {
        if !previousExists {
          throw invalid(input, index, "range character '-' must be preceded by a Unicode character")
        }
        if index >= input.count - 1 {
          throw invalid(input, index, "range character '-' must be followed by a Unicode character")
        }
        guard let highRead = try nextRune(input, index) else { break }
        let (afterHigh, high, highEscaped) = highRead
        index = afterHigh
        if !highEscaped && (high == UInt32(UInt8(ascii: "]")) || high == UInt32(UInt8(ascii: "-"))) {
          throw invalid(input, index, "range character '-' cannot be followed by a special symbol")
        }
        if high < previous {
          let highText = Unicode.Scalar(high).map { String($0) } ?? ""
          let lowText = Unicode.Scalar(previous).map { String($0) } ?? ""
          throw invalid(input, index, "range is out of order: '\(highText)' comes before '\(lowText)' in Unicode")
        }
        for value in previous...high { runes.insert(value) }
        previousExists = false
      } else if !escaped && rune == UInt32(UInt8(ascii: "]")) {
        return (index, runes)
      } else {
        runes.insert(rune)
        previous = rune
        previousExists = true
      }
    }
    throw invalid(input, index, "found [ without matching ]")
  }

  private static func match(_ first: Token, _ second: Token) -> Bool {
    switch (first.kind, second.kind) {
    case (.character(let a), .character(let b)): return a == b
    case (.dot, _), (_, .dot): return true
    case (.character(let a), .set(let set)), (.set(let set), .character(let a)): return set.contains(a)
    case (.set(let a), .set(let b)): return !a.isDisjoint(with: b)
    }
  }

  /// Trims matching unflagged prefixes and suffixes, keeping one token of each.
  private static func trim(_ first: [Token], _ second: [Token]) -> ([Token], [Token])? {
    var left = 0
    while left < first.count && left < second.count && first[left].flag == .none && second[left].flag == .none {
      if !match(first[left], second[left]) { return nil }
      left += 1
    }
    if left > 0 { left -= 1 }
    var right1 = first.count - 1
    var right2 = second.count - 1
    while right1 >= 0 && right1 >= left && right2 >= 0 && right2 >= left && first[right1].flag == .none
      && second[right2].flag == .none
    {
      if !match(first[right1], second[right2]) { return nil }
      right1 -= 1
      right2 -= 1
    }
    if right1 < first.count - 1 {
      right1 += 1
      right2 += 1
    }
    let firstSlice = left <= right1 + 1 ? Array(first[left..<(right1 + 1)]) : []
    let secondSlice = left <= right2 + 1 && right2 + 1 <= second.count ? Array(second[left..<(right2 + 1)]) : []
    return (firstSlice, secondSlice)
  }

  private static func intersectNormal(_ first: ArraySlice<Token>, _ second: ArraySlice<Token>, _ budget: inout Budget)
    -> Bool
  {
    guard budget.enter() else { return false }
    defer { budget.leave() }
    var i = first.startIndex
    var j = second.startIndex
    while i < first.endIndex && j < second.endIndex {
      if first[i].flag == .none && second[j].flag == .none {
        if !match(first[i], second[j]) { return false }
      } else {
        return intersectSpecial(first[i...], second[j...], &budget)
      }
      i += 1
      j += 1
    }
    return i == first.endIndex && j == second.endIndex
  }

  private static func intersectSpecial(_ first: ArraySlice<Token>, _ second: ArraySlice<Token>, _ budget: inout Budget)
    -> Bool
  {
    guard let head1 = first.first, let head2 = second.first else { return false }
    if head1.flag != .none {
      return head1.flag == .plus ? intersectPlus(first, second, &budget) : intersectStar(first, second, &budget)
    }
    switch head2.flag {
    case .plus: return intersectPlus(second, first, &budget)
    case .star: return intersectStar(second, first, &budget)
    case .none: return false
    }
  }

  private static func intersectPlus(_ plussed: ArraySlice<Token>, _ other: ArraySlice<Token>, _ budget: inout Budget)
    -> Bool
  {
    guard let head = plussed.first, let otherHead = other.first, match(head, otherHead) else { return false }
    return intersectStar(plussed, other.dropFirst(), &budget)
  }

  private static func intersectStar(_ starred: ArraySlice<Token>, _ other: ArraySlice<Token>, _ budget: inout Budget)
    -> Bool
  {
    guard let starToken = starred.first else { return false }
    let nextToken = starred.count > 1 ? starred[starred.startIndex + 1] : nil
    for index in other.indices {
      let token = other[index]
      if let nextToken, match(token, nextToken) {
        if intersectNormal(starred.dropFirst(), other[index...], &budget) { return true }
        if budget.exhausted { return false }
        if !match(token, starToken) { return false }
      } else if !match(token, starToken) {
        return false
      }
    }
    return nextToken == nil
  }
}
