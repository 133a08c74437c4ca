internal import PolicyCore

// The glob family, after OPA's v1/topdown/glob.go, which uses github.com/gobwas/glob (v0.2.3).
// Patterns are lexed and parsed with gobwas's rules and compiled to an anchored PCRE2
// expression with the same meaning:
//
// - `*` is any run of characters that are not delimiters, `**` any run at all;
// - `?` is one character that is not a delimiter;
// - `[abc]`, `[a-z]`, `[!abc]`, `[!a-z]` are one character in (or not in) the list or range
//   (delimiters included); a bracket holds either one list or one range;
// - `{a,b,...}` is any of the alternatives, which may contain any of the above; an unclosed `{`
//   is closed at the end of the pattern;
// - `\` makes the next character literal (a trailing `\` is dropped).
//
// Delimiters: `null` means none, `[]` means `["."]`, otherwise each must be one character.

extension BuiltinRegistry {
  /// Adds the glob family. Keep entries sorted by name.
  mutating func registerGlob() {
    /// `glob.match(pattern, delimiters, match)`: whether `match` matches the glob `pattern`.
    ///
    ///     glob.match("*.github.com", ["."], "api.github.com")  # true
    ///     glob.match("*", null, "foo.bar")                     # true
    add("glob.match", arity: 3, category: "glob") { args, context throws(BuiltinError) in
      let pattern = try args.string(0)
      let delimiters: [Unicode.Scalar]
      switch args[1] {
      case .null:
        delimiters = []
      case .array(let elements):
        delimiters = try runeElements(elements)
      default:
        throw BuiltinError(.type, "operand 2 must be one of {array, null} but got \(args[1].typeName)")
      }
      let text = try args.string(2)
      let expression = try GlobCompiler.regularExpression(
        pattern, delimiters: delimiters.isEmpty && args[1] != .null ? ["."] : delimiters)
      do throws(Diagnostic) {
        return .bool(try context.regex(expression, options: [.utf]).matches(text))
      } catch {
        throw BuiltinError.failure(error.message)
      }
    }

    /// `glob.quote_meta(pattern)`: `pattern` with the glob meta characters `* ? \ [ ] { }`
    /// escaped.
    ///
    ///     glob.quote_meta("*.github.com")  # "\\*.github.com"
    add("glob.quote_meta", arity: 1, category: "glob") { args, _ throws(BuiltinError) in
      var out: [UInt8] = []
      for byte in try args.string(0).utf8 {
        if Array("*?\\[]{}".utf8).contains(byte) { out.append(UInt8(ascii: "\\")) }
        out.append(byte)
      }
      return .string(String(decoding: out, as: UTF8.self))
    }
  }
}

/// OPA's `RuneSliceOperand` for the delimiters: each element a one-character string.
private func runeElements(_ elements: [Value]) throws(BuiltinError) -> [Unicode.Scalar] {
  var runes: [Unicode.Scalar] = []
  for element in elements {
    guard case .string(let text) = element else {
      throw BuiltinError(.type, "operand 2 must be array of strings but got array containing \(element.typeName)")
    }
    let scalars = Array(text.unicodeScalars)
    guard scalars.count == 1 else {
      throw BuiltinError(.type, "operand 2 must be array of runes but got array containing string")
    }
    runes.append(scalars[0])
  }
  return runes
}

/// gobwas/glob's lexer and parser, producing a PCRE2 expression.
private enum GlobCompiler {
  indirect enum Node {
    case text([Unicode.Scalar])
    case any
    case superAny
    case single
    case list([Unicode.Scalar], negated: Bool)
    case range(Unicode.Scalar, Unicode.Scalar, negated: Bool)
    case anyOf([[Node]])
  }

  enum Token: Equatable {
    case text([Unicode.Scalar])
    case any, superAny, single
    case rangeOpen, not, rangeLow(Unicode.Scalar), rangeBetween, rangeHigh(Unicode.Scalar), rangeClose
    case termsOpen, separator, termsClose
  }

  /// The anchored PCRE2 expression for a glob with the given delimiters.
  static func regularExpression(_ pattern: String, delimiters: [Unicode.Scalar]) throws(BuiltinError) -> String {
    let tokens = try lex(Array(pattern.unicodeScalars))
    let nodes = try parse(tokens)
    let notDelimiter: String
    if delimiters.isEmpty {
      notDelimiter = "(?s:.)"
    } else {
      notDelimiter = "[^" + delimiters.map(escaped).joined() + "]"
    }
    return "\\A(?:" + emit(nodes, notDelimiter: notDelimiter) + ")\\z"
  }

  private static func escaped(_ scalar: Unicode.Scalar) -> String {
    let value = scalar.value
    if (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) {
      return String(scalar)
    }
    return "\\x{" + String(value, radix: 16) + "}"
  }

  private static func emit(_ nodes: [Node], notDelimiter: String) -> String {
    var out = ""
    for node in nodes {
      switch node {
      case .text(let scalars): out += scalars.map(escaped).joined()
      case .any: out += notDelimiter + "*"
      case .superAny: out += "(?s:.)*"
      case .single: out += notDelimiter
      case .list(let scalars, let negated): out += "[" + (negated ? "^" : "") + scalars.map(escaped).joined() + "]"
      case .range(let low, let high, let negated):
        out += "[" + (negated ? "^" : "") + escaped(low) + "-" + escaped(high) + "]"
      case .anyOf(let alternatives):
        out += "(?:" + alternatives.map { emit($0, notDelimiter: notDelimiter) }.joined(separator: "|") + ")"
      }
    }
    return out
  }

  /// gobwas's lexer (syntax/lexer).
  static func lex(_ input: [Unicode.Scalar]) throws(BuiltinError) -> [Token] {
    var tokens: [Token] = []
    var index = 0
    var termsLevel = 0
    let textBreakers: Set<Unicode.Scalar> = ["?", "*", "[", "{"]
    let termsBreakers: Set<Unicode.Scalar> = ["?", "*", "[", "{", "}", ","]

    func fetchText(_ breakers: Set<Unicode.Scalar>) {
      var data: [Unicode.Scalar] = []
      var escaped = false
      while index < input.count {
        let scalar = input[index]
        index += 1
        if !escaped {
          if scalar == "\\" {
            escaped = true
            continue
          }
          if breakers.contains(scalar) {
            index -= 1
            break
          }
        }
        escaped = false
        data.append(scalar)
      }
      if !data.isEmpty { tokens.append(.text(data)) }
    }

    while index < input.count {
      let scalar = input[index]
      index += 1
      switch scalar {
      case "{":
        termsLevel += 1
        tokens.append(.termsOpen)
      case "," where termsLevel > 0:
        tokens.append(.separator)
      case "}" where termsLevel > 0:
        tokens.append(.termsClose)
        termsLevel -= 1
      case "[":
        tokens.append(.rangeOpen)
        var wantHigh = false
        var wantClose = false
        var seenNot = false
        while true {
          guard index < input.count else { throw BuiltinError.failure("unexpected end of input") }
          let current = input[index]
          index += 1
          if wantClose {
            guard current == "]" else { throw BuiltinError.failure("expected close range character") }
            tokens.append(.rangeClose)
            break
          }
          if wantHigh {
            tokens.append(.rangeHigh(current))
            wantClose = true
            continue
          }
          if !seenNot && current == "!" {
            tokens.append(.not)
            seenNot = true
            continue
          }
          if index < input.count && input[index] == "-" {
            index += 1
            tokens.append(.rangeLow(current))
            tokens.append(.rangeBetween)
            wantHigh = true
            continue
          }
          index -= 1
          fetchText(["]"])
          wantClose = true
        }
      case "?":
        tokens.append(.single)
      case "*":
        if index < input.count && input[index] == "*" {
          index += 1
          tokens.append(.superAny)
        } else {
          tokens.append(.any)
        }
      default:
        index -= 1
        fetchText(termsLevel > 0 ? termsBreakers : textBreakers)
      }
    }
    return tokens
  }

  /// gobwas's parser (syntax/ast): unclosed `{` groups end with the pattern.
  static func parse(_ tokens: [Token]) throws(BuiltinError) -> [Node] {
    // A stack of open `{` groups: the alternatives finished so far and the one being read.
    var stack: [(alternatives: [[Node]], current: [Node])] = [([], [])]
    var index = 0
    while index < tokens.count {
      let token = tokens[index]
      index += 1
      switch token {
      case .text(let scalars): stack[stack.count - 1].current.append(.text(scalars))
      case .any: stack[stack.count - 1].current.append(.any)
      case .superAny: stack[stack.count - 1].current.append(.superAny)
      case .single: stack[stack.count - 1].current.append(.single)
      case .termsOpen:
        // gobwas has no limit; this keeps the recursive emitter shallow (PCRE2 stops at 250).
        if stack.count > 1000 { throw BuiltinError.failure("pattern nests too deeply") }
        stack.append(([], []))
      case .separator:
        let current = stack[stack.count - 1].current
        stack[stack.count - 1].alternatives.append(current)
        stack[stack.count - 1].current = []
      case .termsClose:
        if stack.count > 1, let group = stack.popLast() {
          stack[stack.count - 1].current.append(.anyOf(group.alternatives + [group.current]))
        }
      case .rangeOpen:
        var negated = false
        var low: Unicode.Scalar?
        var high: Unicode.Scalar?
        var characters: [Unicode.Scalar] = []
        rangeLoop: while true {
          guard index < tokens.count else { throw BuiltinError.failure("unexpected end") }
          let rangeToken = tokens[index]
          index += 1
          switch rangeToken {
          case .not: negated = true
          case .rangeLow(let scalar): low = scalar
          case .rangeBetween: break
          case .rangeHigh(let scalar):
            high = scalar
            if let low, scalar < low {
              throw BuiltinError.failure("hi character '\(scalar)' should be greater than lo '\(low)'")
            }
          case .text(let scalars): characters = scalars
          case .rangeClose:
            let isRange = low != nil && low != "\u{0}" && high != nil && high != "\u{0}"
            let isCharacters = !characters.isEmpty
            if isRange == isCharacters { throw BuiltinError.failure("could not parse range") }
            if isRange, let low, let high {
              stack[stack.count - 1].current.append(.range(low, high, negated: negated))
            } else {
              stack[stack.count - 1].current.append(.list(characters, negated: negated))
            }
            break rangeLoop
          default:
            throw BuiltinError.failure("unexpected token")
          }
        }
      case .not, .rangeLow, .rangeBetween, .rangeHigh, .rangeClose:
        throw BuiltinError.failure("unexpected token")
      }
    }
    // Close groups left open, innermost first.
    while stack.count > 1, let group = stack.popLast() {
      stack[stack.count - 1].current.append(.anyOf(group.alternatives + [group.current]))
    }
    return stack[0].current
  }
}
