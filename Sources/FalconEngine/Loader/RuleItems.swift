internal import PolicyCore

// The items the reader produces and the collector merges: Falco's `rule_loader::*_info` structs.
// `index` is where an item was first defined and `visibility` the position of its latest
// definition or append; a macro or list sees only the ones whose index is below its visibility.

/// Where a condition came from, so a position inside it can be mapped back into the file.
struct ConditionSource: Sendable {
  /// The condition value's context (its YAML node).
  var context: LoadContext
  /// The byte offset in the file where the condition text starts verbatim, when it does (a plain
  /// or quoted scalar on one line); nil for folded and literal blocks.
  var base: Int?
  /// How many bytes from `base` are the condition verbatim.
  var verbatimLength: Int

  static let unknown = ConditionSource(context: LoadContext(span: nil), base: nil, verbatimLength: 0)

  /// A context pointing at `position` of the condition `text` (the text that was parsed).
  func context(at position: ConditionPosition, parsedVerbatim: Bool, text: String, message: String? = nil) -> LoadContext {
    let note = "in condition at \(position)" + (parsedVerbatim ? "" : ": \(Self.snippet(text, at: position.offset))")
    if parsedVerbatim, let base, let file = context.span?.file, position.offset <= verbatimLength {
      return LoadContext(span: SourceSpan(file: file, start: base + position.offset), notes: context.notes)
    }
    return context.noting(note)
  }

  /// Up to 60 bytes of the condition around `offset`, on one line.
  static func snippet(_ text: String, at offset: Int) -> String {
    let bytes = Array(text.utf8)
    let start = max(0, min(offset, bytes.count) - 30)
    let end = min(bytes.count, start + 60)
    let piece = String(decoding: bytes[start..<end], as: UTF8.self)
      .replacingAll("\n", with: " ")
    return (start > 0 ? "..." : "") + piece + (end < bytes.count ? "..." : "")
  }
}

extension String {
  /// Replaces every occurrence of a character (no Foundation here).
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self { if character == target { out += replacement } else { out.append(character) } }
    return out
  }
}

/// A value of an exception's `fields`, `comps` or `values`: a string or a (nested) list.
struct ExceptionEntry: Sendable {
  var isList = false
  var item = ""
  var items: [ExceptionEntry] = []

  init() {}
  init(_ item: String) { self.item = item }
  init(list items: [ExceptionEntry]) {
    isList = true
    self.items = items
  }

  /// A non-empty string or a non-empty list.
  var isValid: Bool { isList ? !items.isEmpty : !item.isEmpty }
}

struct ExceptionInfo: Sendable {
  var context: LoadContext
  var name = ""
  var fields = ExceptionEntry()
  var comps = ExceptionEntry()
  var values: [ExceptionEntry] = []
}

struct ListInfo: Sendable {
  var context: LoadContext
  var index = 0
  var visibility = 0
  var name = ""
  var items: [String] = []
}

struct MacroInfo: Sendable {
  var context: LoadContext
  var conditionSource = ConditionSource.unknown
  var index = 0
  var visibility = 0
  var name = ""
  var condition = ""
}

struct RuleInfo: Sendable {
  var context: LoadContext
  var conditionSource = ConditionSource.unknown
  var outputContext: LoadContext
  var index = 0
  var visibility = 0
  var unknownSource = false
  var name = ""
  var condition = ""
  var source = "syscall"
  var description = ""
  var output = ""
  var tags: Set<String> = []
  var exceptions: [ExceptionInfo] = []
  var priority = RulePriority.debug
  var enabled = true
  var warnEventTypes = true
  var skipIfUnknownFilter = false
  var capture = false
  var captureDuration: UInt64 = 0
}

/// An append to, or a selective replacement of, an existing rule.
struct RuleUpdate: Sendable {
  var context: LoadContext
  var conditionSource: ConditionSource?
  var name = ""
  var source: String?
  var condition: String?
  var output: String?
  var description: String?
  var tags: Set<String>?
  var exceptions: [ExceptionInfo]?
  var priority: RulePriority?
  var enabled: Bool?
  var warnEventTypes: Bool?
  var skipIfUnknownFilter: Bool?
  var capture: Bool?
  var captureDuration: UInt64?

  var hasAnyValue: Bool {
    condition != nil || output != nil || description != nil || tags != nil || exceptions != nil || priority != nil
      || enabled != nil || warnEventTypes != nil || skipIfUnknownFilter != nil || capture != nil || captureDuration != nil
  }
}

/// A version `x.y.z` as Falco's `sinsp_version` reads it: three numbers separated by dots; any
/// text after the third number (`-rc1`) is ignored.
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The first number.
  public var major: Int
  /// The second number.
  public var minor: Int
  /// The third number.
  public var patch: Int

  /// Creates a version.
  public init(_ major: Int, _ minor: Int, _ patch: Int) {
    self.major = major
    self.minor = minor
    self.patch = patch
  }

  /// Parses `x.y.z`; nil when the text does not start with three dot-separated numbers.
  public init?(_ text: String) {
    var numbers: [Int] = []
    var current: Int?
    var rest = text.utf8[...]
    while let byte = rest.first, numbers.count < 3 {
      if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        let (value, overflow) = (current ?? 0).multipliedReportingOverflow(by: 10)
        if overflow { return nil }
        current = value + Int(byte - UInt8(ascii: "0"))
      } else if byte == UInt8(ascii: "."), let number = current, numbers.count < 2 {
        numbers.append(number)
        current = nil
      } else {
        break
      }
      rest = rest.dropFirst()
    }
    guard numbers.count == 2, let last = current else { return nil }
    self.init(numbers[0], numbers[1], last)
  }

  /// True when a component with this version satisfies `requirement`: same major version and
  /// not older.
  public func isCompatible(with requirement: SemanticVersion) -> Bool {
    major == requirement.major && self >= requirement
  }

  public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
    (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
  }

  public var description: String { "\(major).\(minor).\(patch)" }
}
