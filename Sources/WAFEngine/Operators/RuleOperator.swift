import Glibc
import PolicyCore

/// A compiled `@operator argument`, negated or not. Arguments with macros are expanded per
/// transaction; constant ones are prepared once (regex compiled with JIT, phrase automaton built).
final class RuleOperator: Sendable {
  enum NumericComparison: Sendable { case eq, ge, gt, le, lt }
  enum StringComparison: Sendable { case streq, contains, containsWord, beginsWith, endsWith, within, strmatch }

  enum Kind: Sendable {
    case rx(PCRE2Regex)
    /// `@rx` whose pattern has macros: compiled per transaction.
    case rxMacro(Macro)
    case pm(PhraseMatcher)
    case numeric(NumericComparison, Macro)
    case string(StringComparison, Macro)
    case validateByteRange(ByteRangeSet)
    case validateURLEncoding
    case validateUTF8Encoding
    case detectSQLi
    case detectXSS
    case ipMatch(IPMatchSet)
    case unconditionalMatch
    case noMatch
    /// `@geoLookup` with no `SecGeoLookupDb`: ModSecurity's lookup fails without a database, so
    /// the operator never matches (CRS 3.x only uses it when country blocking is configured).
    case geoLookupWithoutDatabase
    case rbl(String)
  }

  let kind: Kind
  let negated: Bool
  /// SecLang name without `@` (`rx`, `pmFromFile`), for log lines.
  let name: String
  /// The argument as written, for log lines.
  let argument: String

  /// The argument of a numeric or string comparison without macros, prepared once: the loop
  /// reads these instead of the `Macro` in `kind` (which would cost reference counting per value).
  let constantInteger: Int?
  private let constantStorage: OwnedBytes?
  var constantParameter: ByteSpan? { constantStorage?.span }
  /// The comparison of a numeric or string operator, readable without `kind`'s payload.
  let numericComparison: NumericComparison?
  let stringComparison: StringComparison?

  init(kind: Kind, negated: Bool, name: String, argument: String) {
    self.kind = kind
    self.negated = negated
    self.name = name
    self.argument = argument
    switch kind {
    case .numeric(let comparison, let macro):
      let constant = macro.constantValue
      constantStorage = nil
      constantInteger = constant.map { secLangInteger($0) }
      numericComparison = comparison
      stringComparison = nil
    case .string(let comparison, let macro):
      constantStorage = macro.constantValue.map { OwnedBytes($0) }
      constantInteger = nil
      numericComparison = nil
      stringComparison = comparison
    default:
      constantStorage = nil
      constantInteger = nil
      numericComparison = nil
      stringComparison = nil
    }
  }
}

/// `@pm` / `@pmFromFile`: the phrases and their automaton.
final class PhraseMatcher: Sendable {
  let automaton: AhoCorasick
  let phrases: [[UInt8]]

  init(automaton: AhoCorasick, phrases: [[UInt8]]) {
    self.automaton = automaton
    self.phrases = phrases
  }
}

/// ModSecurity's numeric reading of operands (`atoi`): optional spaces and sign, then digits; any
/// other text reads as 0.
func secLangInteger<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
  var index = bytes.startIndex
  while index < bytes.endIndex, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
    index = bytes.index(after: index)
  }
  var negative = false
  if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
    negative = bytes[index] == UInt8(ascii: "-")
    index = bytes.index(after: index)
  }
  var value = 0
  while index < bytes.endIndex, bytes[index] >= 0x30, bytes[index] <= 0x39 {
    let (m, o1) = value.multipliedReportingOverflow(by: 10)
    let (a, o2) = m.addingReportingOverflow(Int(bytes[index] - 0x30))
    if o1 || o2 { return negative ? Int.min : Int.max }
    value = a
    index = bytes.index(after: index)
  }
  return negative ? -value : value
}

/// The first offset at or after `start` where `needle` occurs in `haystack` (byte-wise).
func firstOccurrence(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
  needle.withUnsafeBufferPointer { firstOccurrence(of: $0, in: haystack, from: start) }
}

/// Whether two byte buffers hold the same bytes (memcmp; the generic `elementsEqual` walks them
/// byte by byte through iterators).
@inline(__always)
func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
  guard a.count == b.count else { return false }
  guard a.count > 0, let x = a.baseAddress, let y = b.baseAddress else { return true }
  return memcmp(x, y, a.count) == 0
}

/// The first position at or after `start` where `needle` occurs in `haystack` (memchr on the
/// first byte, memcmp on the rest).
func firstOccurrence(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
  let n = needle.count
  if n == 0 { return start <= haystack.count ? start : nil }
  if haystack.count - start < n { return nil }
  guard let hBase = haystack.baseAddress, let nBase = needle.baseAddress else { return nil }
  let first = nBase[0]
  var i = start
  let last = haystack.count - n
  while i <= last {
    guard let found = memchr(hBase + i, Int32(first), last - i + 1) else { return nil }
    let pos = hBase.distance(to: found.assumingMemoryBound(to: UInt8.self))
    if memcmp(hBase + pos, nBase, n) == 0 { return pos }
    i = pos + 1
  }
  return nil
}
