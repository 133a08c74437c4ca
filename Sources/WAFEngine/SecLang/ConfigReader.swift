import Glibc
import PolicyCore

// Reads SecLang configuration text into directives, the way ModSecurity's configuration lexer
// (and Apache's before it) splits it.
//
// Grammar (one directive per logical line):
//   file       = { line }
//   line       = ws* ( comment | directive | "" ) newline
//   comment    = "#" any*                      -- only where a directive could start
//   directive  = name { ws+ argument }
//   argument   = '"' { char | '\"' | '\' newline } '"'    -- \" is a quote; other \x stay as written
//              | "'" { char | "\'" } "'"
//              | bare                           -- up to whitespace
//   A backslash right before the end of a line joins the next line to this one (inside or outside
//   quotes); the backslash and the newline are removed, the next line's indentation is kept.
//
// Directive names are matched case-insensitively later; `Include` (and `IncludeOptional`, which
// skips a missing file) is resolved here, relative to the
// including file, with shell globs, and with a depth limit against include cycles.

/// Where a directive came from, for `file:line` errors and `[file ...] [line ...]` log fields.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int

  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }

  public var description: String { "\(file):\(line)" }
}

/// One SecLang directive: its name as written and its arguments with quoting removed.
public struct ConfigDirective: Sendable, Hashable {
  public var name: String
  public var arguments: [String]
  public var location: ConfigLocation
}

/// A configuration error: always carries the file and line of the offending directive.
public struct WAFConfigError: Error, Sendable, CustomStringConvertible {
  public var location: ConfigLocation?
  public var message: String

  public init(_ message: String, at location: ConfigLocation?) {
    self.message = message
    self.location = location
  }

  public var description: String {
    if let location { return "\(location): \(message)" }
    return message
  }
}

/// Splits configuration files into directives and follows `Include`.
struct ConfigReader {
  /// Include nesting beyond this is reported as a cycle.
  static let maximumIncludeDepth = 32

  private(set) var directives: [ConfigDirective] = []
  private var depth = 0

  /// Reads `path` and everything it includes, in order.
  mutating func read(path: String, includedFrom: ConfigLocation? = nil) throws(WAFConfigError) {
    let source: SourceFile
    do {
      source = try SourceFile.read(path: path)
    } catch {
      throw WAFConfigError("cannot read \(path): \(error.message)", at: includedFrom)
    }
    try read(text: source.bytes, name: path)
  }

  /// Reads configuration text; `name` is used for locations and to resolve relative includes.
  mutating func read(text: [UInt8], name: String) throws(WAFConfigError) {
    depth += 1
    defer { depth -= 1 }
    if depth > Self.maximumIncludeDepth {
      throw WAFConfigError("Include nesting deeper than \(Self.maximumIncludeDepth) (an include cycle?)", at: ConfigLocation(file: name, line: 1))
    }
    for directive in try Self.split(text, name: name) {
      let optional = asciiCaseInsensitiveEquals(directive.name, "IncludeOptional")
      if optional || asciiCaseInsensitiveEquals(directive.name, "Include") {
        guard directive.arguments.count == 1 else {
          throw WAFConfigError("\(directive.name) takes exactly one path", at: directive.location)
        }
        let pattern = Self.resolve(directive.arguments[0], relativeTo: name)
        // IncludeOptional (Apache's, used by Debian's owasp-crs.load) skips a missing file.
        let paths = try Self.expandGlob(pattern, at: directive.location, optional: optional)
        for path in paths {
          try read(path: path, includedFrom: directive.location)
        }
        continue
      }
      directives.append(directive)
    }
  }

  /// Splits text into directives (no include resolution).
  static func split(_ bytes: [UInt8], name: String) throws(WAFConfigError) -> [ConfigDirective] {
    var result: [ConfigDirective] = []
    var index = 0
    var line = 1
    let count = bytes.count

    @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }

    while index < count {
      // Skip blank space and empty lines.
      while index < count, isSpace(bytes[index]) || bytes[index] == 0x0A {
        if bytes[index] == 0x0A { line += 1 }
        index += 1
      }
      if index >= count { break }
      let startLine = line
      if bytes[index] == UInt8(ascii: "#") {
        // Comment to the end of the line; a trailing backslash does not continue a comment in
        // ModSecurity 3 (it does in Apache); CRS never relies on either.
        while index < count, bytes[index] != 0x0A { index += 1 }
        continue
      }
      // A directive: name, then arguments, until an unescaped, unquoted newline.
      var tokens: [[UInt8]] = []
      var current: [UInt8] = []
      var inToken = false
      var quote: UInt8 = 0
      var finished = false
      while index < count, !finished {
        let b = bytes[index]
        if b == UInt8(ascii: "\\"), index + 1 < count, bytes[index + 1] == 0x0A || (bytes[index + 1] == 0x0D && index + 2 < count && bytes[index + 2] == 0x0A) {
          // Line continuation.
          index += bytes[index + 1] == 0x0D ? 3 : 2
          line += 1
          continue
        }
        if quote != 0 {
          if b == UInt8(ascii: "\\"), index + 1 < count, bytes[index + 1] == quote {
            current.append(quote)
            index += 2
            continue
          }
          if b == quote {
            quote = 0
            index += 1
            continue
          }
          if b == 0x0A {
            throw WAFConfigError("unterminated quoted argument", at: ConfigLocation(file: name, line: startLine))
          }
          current.append(b)
          index += 1
          continue
        }
        switch b {
        case 0x0A:
          finished = true
          line += 1
          index += 1
        case 0x20, 0x09, 0x0D:
          if inToken {
            tokens.append(current)
            current.removeAll(keepingCapacity: true)
            inToken = false
          }
          index += 1
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
          if !inToken || current.isEmpty {
            inToken = true
            quote = b
          } else {
            current.append(b)
          }
          index += 1
        default:
          inToken = true
          current.append(b)
          index += 1
        }
      }
      if quote != 0 {
        throw WAFConfigError("unterminated quoted argument", at: ConfigLocation(file: name, line: startLine))
      }
      if inToken { tokens.append(current) }
      guard let first = tokens.first else { continue }
      result.append(
        ConfigDirective(
          name: String(decoding: first, as: UTF8.self),
          arguments: tokens.dropFirst().map { String(decoding: $0, as: UTF8.self) },
          location: ConfigLocation(file: name, line: startLine)))
    }
    return result
  }

  /// A path relative to the including file's directory (absolute paths stay).
  static func resolve(_ path: String, relativeTo file: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let slash = file.lastIndex(of: "/") else { return path }
    return String(file[...slash]) + path
  }

  /// Shell glob expansion, sorted as glob(3) sorts; a pattern without wildcards must name a file.
  static func expandGlob(_ pattern: String, at location: ConfigLocation, optional: Bool = false) throws(WAFConfigError) -> [String] {
    let hasWildcard = pattern.contains("*") || pattern.contains("?") || pattern.contains("[")
    var result = glob_t()
    defer { globfree(&result) }
    let status = glob(pattern, 0, nil, &result)
    if status == GLOB_NOMATCH {
      if hasWildcard || optional { return [] }
      throw WAFConfigError("Include: no such file: \(pattern)", at: location)
    }
    guard status == 0 else {
      throw WAFConfigError("Include: cannot expand \(pattern)", at: location)
    }
    var paths: [String] = []
    for i in 0..<Int(result.gl_pathc) {
      if let p = result.gl_pathv[i] { paths.append(String(cString: p)) }
    }
    return paths
  }
}

@inline(__always)
func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
  a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8, by: { asciiLower($0) == asciiLower($1) })
}

/// Byte-level `asciiCaseInsensitiveEquals(_:_:)`.
func asciiCaseInsensitiveEquals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool where A.Element == UInt8, B.Element == UInt8 {
  a.count == b.count && a.elementsEqual(b, by: { asciiLower($0) == asciiLower($1) })
}

func asciiLowercased(_ s: String) -> String {
  String(decoding: s.utf8.map(asciiLower), as: UTF8.self)
}

func asciiLowercased(_ bytes: [UInt8]) -> [UInt8] {
  var out = bytes
  for i in out.indices where out[i] >= 0x41 && out[i] <= 0x5A { out[i] |= 0x20 }
  return out
}
