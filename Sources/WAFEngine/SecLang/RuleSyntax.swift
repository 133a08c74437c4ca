// The three arguments of `SecRule VARIABLES "OPERATOR" "ACTIONS"` as written, before compiling.
//
//   variables = target { "|" target }
//   target    = [ "!" | "&" ] NAME [ ":" key ]
//   key       = "/" regex "/" | "'" text "'" | text           -- XML keys are XPath, never regex
//   operator  = [ "!" ] "@" NAME [ ws argument ] | pattern    -- a bare pattern means @rx
//   actions   = action { "," action }
//   action    = NAME [ ":" value ]
//   value     = "'" { char | "\'" } "'" | text up to the next top-level ","

/// One target in a rule's variable list.
struct TargetSyntax: Sendable, Hashable {
  enum Key: Sendable, Hashable {
    case none
    case name(String)
    case regex(String)
  }
  var collection: String
  var key: Key
  var isExclusion: Bool
  var isCount: Bool
}

struct OperatorSyntax: Sendable, Hashable {
  var name: String
  var argument: String
  var negated: Bool
}

struct ActionSyntax: Sendable, Hashable {
  var name: String
  var value: String?
}

enum RuleSyntax {
  static func parseTargets(_ text: String, at location: ConfigLocation) throws(WAFConfigError) -> [TargetSyntax] {
    var targets: [TargetSyntax] = []
    let bytes = Array(text.utf8)
    var index = 0
    while index < bytes.count {
      while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "|") { index += 1 }
      if index >= bytes.count { break }
      var isExclusion = false
      var isCount = false
      if bytes[index] == UInt8(ascii: "!") {
        isExclusion = true
        index += 1
      } else if bytes[index] == UInt8(ascii: "&") {
        isCount = true
        index += 1
      }
      let nameStart = index
      while index < bytes.count, bytes[index] != UInt8(ascii: ":"), bytes[index] != UInt8(ascii: "|") { index += 1 }
      let collection = String(decoding: bytes[nameStart..<index], as: UTF8.self).trimmingASCIISpaces()
      if collection.isEmpty {
        throw WAFConfigError("empty variable name in \"\(text)\"", at: location)
      }
      var key = TargetSyntax.Key.none
      if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
        index += 1
        let isXML = asciiCaseInsensitiveEquals(collection, "XML")
        if !isXML, index < bytes.count, bytes[index] == UInt8(ascii: "/") {
          // /regex/ up to the closing unescaped slash.
          index += 1
          var pattern: [UInt8] = []
          var closed = false
          while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\\"), index + 1 < bytes.count {
              if bytes[index + 1] == UInt8(ascii: "/") {
                pattern.append(UInt8(ascii: "/"))
              } else {
                pattern.append(b)
                pattern.append(bytes[index + 1])
              }
              index += 2
              continue
            }
            if b == UInt8(ascii: "/") {
              closed = true
              index += 1
              break
            }
            pattern.append(b)
            index += 1
          }
          if !closed { throw WAFConfigError("unterminated /regex/ key in variable \(collection)", at: location) }
          key = .regex(String(decoding: pattern, as: UTF8.self))
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "'") {
          index += 1
          let start = index
          while index < bytes.count, bytes[index] != UInt8(ascii: "'") { index += 1 }
          let value = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
          if index < bytes.count { index += 1 }
          // A quoted /regex/ is still a regex ('/^foo/').
          if value.count >= 2, value.hasPrefix("/"), value.hasSuffix("/"), !isXML {
            key = .regex(String(value.dropFirst().dropLast()))
          } else {
            key = .name(value)
          }
        } else {
          let start = index
          while index < bytes.count, bytes[index] != UInt8(ascii: "|") { index += 1 }
          key = .name(String(decoding: bytes[start..<index], as: UTF8.self).trimmingASCIISpaces())
        }
      }
      targets.append(TargetSyntax(collection: collection, key: key, isExclusion: isExclusion, isCount: isCount))
    }
    if targets.isEmpty { throw WAFConfigError("a rule needs at least one variable", at: location) }
    return targets
  }

  static func parseOperator(_ text: String) -> OperatorSyntax {
    var rest = Substring(text)
    while rest.first == " " { rest = rest.dropFirst() }
    var negated = false
    if rest.first == "!" {
      negated = true
      rest = rest.dropFirst()
      while rest.first == " " { rest = rest.dropFirst() }
    }
    guard rest.first == "@" else {
      return OperatorSyntax(name: "rx", argument: String(rest), negated: negated)
    }
    rest = rest.dropFirst()
    let nameEnd = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
    let name = String(rest[..<nameEnd])
    var argument = rest[nameEnd...]
    // One separating space goes; the rest of the argument is kept as written.
    if argument.first == " " || argument.first == "\t" { argument = argument.dropFirst() }
    return OperatorSyntax(name: name, argument: String(argument), negated: negated)
  }

  static func parseActions(_ text: String, at location: ConfigLocation) throws(WAFConfigError) -> [ActionSyntax] {
    var actions: [ActionSyntax] = []
    let bytes = Array(text.utf8)
    var index = 0
    @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    while index < bytes.count {
      while index < bytes.count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: ",") { index += 1 }
      if index >= bytes.count { break }
      let nameStart = index
      while index < bytes.count, bytes[index] != UInt8(ascii: ":"), bytes[index] != UInt8(ascii: ","), !isSpace(bytes[index]) { index += 1 }
      let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
      while index < bytes.count, isSpace(bytes[index]) { index += 1 }
      var value: String?
      if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
        index += 1
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "'") {
          index += 1
          var out: [UInt8] = []
          var closed = false
          while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "'") {
              out.append(UInt8(ascii: "'"))
              index += 2
              continue
            }
            if b == UInt8(ascii: "'") {
              closed = true
              index += 1
              break
            }
            out.append(b)
            index += 1
          }
          if !closed { throw WAFConfigError("unterminated quoted value of action \(name)", at: location) }
          value = String(decoding: out, as: UTF8.self)
        } else {
          let start = index
          while index < bytes.count, bytes[index] != UInt8(ascii: ",") { index += 1 }
          var end = index
          while end > start, isSpace(bytes[end - 1]) { end -= 1 }
          value = String(decoding: bytes[start..<end], as: UTF8.self)
        }
      }
      if name.isEmpty { throw WAFConfigError("empty action name in \"\(text)\"", at: location) }
      actions.append(ActionSyntax(name: name, value: value))
    }
    return actions
  }
}

extension String {
  func trimmingASCIISpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
    return String(s)
  }
}
