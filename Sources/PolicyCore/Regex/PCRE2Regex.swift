internal import CPCRE2

/// A compiled PCRE2 regular expression, JIT-compiled when the library supports it.
///
/// This file is the only place in PolicyCore that calls PCRE2 (the funnel every engine's regex
/// goes through): Swift `Regex` is 100 to 2,000 times slower than PCRE2 with JIT on CRS-like
/// patterns, and NSRegularExpression 10 to 100 times. A compiled expression is immutable and
/// `Sendable`; each match call uses its own match data, so threads can share one expression.
///
/// Every match runs under `Limits.regexMatchLimit` and `Limits.regexDepthLimit`; hitting either
/// throws `limit_regex_match` instead of spinning on catastrophic backtracking.
public final class PCRE2Regex: @unchecked Sendable {
  // @unchecked: `code` is written once in init and only read afterwards; PCRE2 documents compiled
  // patterns (including JIT code) as safe to share between threads for matching.

  /// Compile options (a subset of PCRE2's, named as PCRE2 names them).
  public struct Options: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// PCRE2_CASELESS: `(?i)`.
    public static let caseless = Options(rawValue: UInt32(PCRE2_CASELESS))
    /// PCRE2_MULTILINE: `^`/`$` match at line breaks.
    public static let multiline = Options(rawValue: UInt32(PCRE2_MULTILINE))
    /// PCRE2_DOTALL: `.` matches newlines.
    public static let dotAll = Options(rawValue: UInt32(PCRE2_DOTALL))
    /// PCRE2_UTF: the pattern and subjects are UTF-8 (validated).
    public static let utf = Options(rawValue: UInt32(PCRE2_UTF))
    /// PCRE2_UCP: `\d`, `\w` and POSIX classes use Unicode properties.
    public static let ucp = Options(rawValue: UInt32(PCRE2_UCP))
    /// PCRE2_ANCHORED: match only at the start offset.
    public static let anchored = Options(rawValue: UInt32(PCRE2_ANCHORED))
    /// PCRE2_DOLLAR_ENDONLY: `$` matches only at the very end.
    public static let dollarEndOnly = Options(rawValue: UInt32(PCRE2_DOLLAR_ENDONLY))
    /// PCRE2_NO_UTF_CHECK on compile (the caller already validated the pattern).
    public static let noUTFCheck = Options(rawValue: UInt32(PCRE2_NO_UTF_CHECK))
  }

  /// A successful match: byte ranges of the whole match (group 0) and each capture group
  /// (nil for groups that did not take part).
  public struct Match: Sendable, Hashable {
    public var groups: [Range<Int>?]
    /// The range of the whole match.
    public var range: Range<Int> { groups.first.flatMap { $0 } ?? 0..<0 }
  }

  /// The pattern as given.
  public let pattern: String
  /// The options it was compiled with.
  public let options: Options
  /// Number of capture groups (not counting group 0).
  public let captureCount: Int
  /// True when the pattern was JIT-compiled.
  public let isJIT: Bool
  private let code: OpaquePointer
  private let limits: Limits

  /// Compiles a pattern.
  /// - Throws: `regex_compile_error` with PCRE2's message and the offset in the pattern.
  public init(_ pattern: String, options: Options = [], limits: Limits = .default) throws(Diagnostic) {
    self.pattern = pattern
    self.options = options
    self.limits = limits
    var errorCode: Int32 = 0
    var errorOffset = 0
    let compiled: OpaquePointer? = pattern.utf8.withContiguousStorageIfAvailable { bytes in
      rampart_pcre2_compile(
        bytes.baseAddress, bytes.count, options.rawValue, &errorCode, &errorOffset, nil)
    } ?? Array(pattern.utf8).withUnsafeBufferPointer { bytes in
      rampart_pcre2_compile(
        bytes.baseAddress, bytes.count, options.rawValue, &errorCode, &errorOffset, nil)
    }
    guard let compiled else {
      throw Diagnostic(
        .regexCompileError,
        "invalid regular expression '\(pattern)' at offset \(errorOffset): \(PCRE2Regex.message(for: errorCode))")
    }
    code = compiled
    var captures: UInt32 = 0
    _ = rampart_pcre2_pattern_info(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
    captureCount = Int(captures)
    isJIT = rampart_pcre2_config_jit() != 0
      && rampart_pcre2_jit_compile(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
  }

  deinit { rampart_pcre2_code_free(code) }

  /// True when PCRE2 on this machine has JIT support.
  public static var jitAvailable: Bool { rampart_pcre2_config_jit() != 0 }

  /// Returns the first match in `subject` at or after byte offset `start`, or nil.
  /// - Throws: `limit_regex_match` when the match or depth limit is hit.
  public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0) throws(Diagnostic) -> Match? {
    guard let data = rampart_pcre2_match_data_create_from_pattern(code) else {
      throw Diagnostic(.limitRegexMatch, "out of memory creating PCRE2 match data")
    }
    defer { rampart_pcre2_match_data_free(data) }
    guard let context = rampart_pcre2_match_context_create() else {
      throw Diagnostic(.limitRegexMatch, "out of memory creating PCRE2 match context")
    }
    defer { rampart_pcre2_match_context_free(context) }
    _ = rampart_pcre2_set_match_limit(context, limits.regexMatchLimit)
    _ = rampart_pcre2_set_depth_limit(context, limits.regexDepthLimit)
    // An empty buffer may have no base address; PCRE2 accepts any non-null pointer for length 0.
    var empty: UInt8 = 0
    let rc: Int32 = withUnsafePointer(to: &empty) { emptyPointer in
      rampart_pcre2_match(
        code, subject.baseAddress ?? emptyPointer, subject.count, start, 0, data, context)
    }
    if rc == PCRE2_ERROR_NOMATCH { return nil }
    if rc < 0 {
      if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT
        || rc == PCRE2_ERROR_HEAPLIMIT
      {
        throw Diagnostic(
          .limitRegexMatch,
          "regular expression '\(pattern)' hit the match limit (\(PCRE2Regex.message(for: rc)))")
      }
      throw Diagnostic(.regexCompileError, "matching '\(pattern)' failed: \(PCRE2Regex.message(for: rc))")
    }
    guard let ovector = rampart_pcre2_get_ovector_pointer(data) else { return nil }
    let pairs = Int(rampart_pcre2_get_ovector_count(data))
    let unset = rampart_pcre2_unset()
    var groups: [Range<Int>?] = []
    groups.reserveCapacity(captureCount + 1)
    for group in 0...captureCount {
      if group < pairs, ovector[2 * group] != unset, ovector[2 * group] <= ovector[2 * group + 1] {
        groups.append(ovector[2 * group]..<ovector[2 * group + 1])
      } else {
        groups.append(nil)
      }
    }
    return Match(groups: groups)
  }

  /// Returns the first match in a string (byte ranges index its UTF-8 view).
  public func firstMatch(in subject: String, from start: Int = 0) throws(Diagnostic) -> Match? {
    var subject = subject
    return try subject.withUTF8 { bytes in
      Result { () throws(Diagnostic) in try firstMatch(in: bytes, from: start) }
    }.get()
  }

  /// True when the pattern matches anywhere in `subject`.
  public func matches(_ subject: String) throws(Diagnostic) -> Bool {
    try firstMatch(in: subject) != nil
  }

  /// Every non-overlapping match, left to right (an empty match advances by one character).
  public func allMatches(in subject: String, limit: Int = .max) throws(Diagnostic) -> [Match] {
    var subject = subject
    return try subject.withUTF8 { bytes in Result { () throws(Diagnostic) in
      var results: [Match] = []
      var start = 0
      while start <= bytes.count, results.count < limit, let match = try firstMatch(in: bytes, from: start) {
        results.append(match)
        let range = match.range
        if range.isEmpty {
          // Step over one whole UTF-8 character so an empty match cannot loop.
          var next = range.upperBound + 1
          while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
          start = next
        } else {
          start = range.upperBound
        }
      }
      return results
    } }.get()
  }

  /// Match data and a match context kept between matches, so a hot loop (a WAF transaction runs
  /// thousands of matches) allocates nothing per match. Not thread-safe: one per thread or per
  /// transaction. Holds up to `pairs` capture pairs (group 0 included).
  public final class Scratch {
    fileprivate let data: OpaquePointer
    fileprivate let context: OpaquePointer
    fileprivate var configuredMatchLimit: UInt32 = 0
    fileprivate var configuredDepthLimit: UInt32 = 0
    public let pairs: Int

    public init?(pairs: Int = 16) {
      guard let data = rampart_pcre2_match_data_create(UInt32(max(1, pairs))) else { return nil }
      guard let context = rampart_pcre2_match_context_create() else {
        rampart_pcre2_match_data_free(data)
        return nil
      }
      self.data = data
      self.context = context
      self.pairs = max(1, pairs)
    }

    deinit {
      rampart_pcre2_match_data_free(data)
      rampart_pcre2_match_context_free(context)
    }

    /// The byte range of capture `group` after a successful `matches(in:scratch:)`, or nil when
    /// the group did not take part (or is beyond `pairs`).
    public func group(_ group: Int) -> Range<Int>? {
      guard group < pairs, let ovector = rampart_pcre2_get_ovector_pointer(data) else { return nil }
      let count = Int(rampart_pcre2_get_ovector_count(data))
      guard group < count else { return nil }
      let start = ovector[2 * group]
      let end = ovector[2 * group + 1]
      guard start != rampart_pcre2_unset(), start <= end else { return nil }
      return start..<end
    }
  }

  /// Result of a match attempt with limits reported as a value rather than an error, for engines
  /// (the WAF) that record a limit hit in a variable and go on.
  public enum MatchOutcome: Sendable, Equatable {
    case noMatch
    case match
    case limitExceeded
    case failed(Int32)
  }

  /// Matches `subject` using `scratch` (no allocation); captures are read from the scratch.
  /// Uses the JIT fast path when the pattern was JIT-compiled.
  public func match(_ subject: UnsafeBufferPointer<UInt8>, scratch: Scratch, matchLimit: UInt32? = nil) -> MatchOutcome {
    let wantedMatchLimit = matchLimit ?? limits.regexMatchLimit
    if scratch.configuredMatchLimit != wantedMatchLimit {
      _ = rampart_pcre2_set_match_limit(scratch.context, wantedMatchLimit)
      scratch.configuredMatchLimit = wantedMatchLimit
    }
    if scratch.configuredDepthLimit != limits.regexDepthLimit {
      _ = rampart_pcre2_set_depth_limit(scratch.context, limits.regexDepthLimit)
      scratch.configuredDepthLimit = limits.regexDepthLimit
    }
    var empty: UInt8 = 0
    let rc: Int32 = withUnsafePointer(to: &empty) { emptyPointer in
      let base = subject.baseAddress ?? emptyPointer
      if isJIT {
        return rampart_pcre2_jit_match(code, base, subject.count, 0, 0, scratch.data, scratch.context)
      }
      return rampart_pcre2_match(code, base, subject.count, 0, 0, scratch.data, scratch.context)
    }
    if rc >= 0 { return .match }
    if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
    if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT
      || rc == PCRE2_ERROR_HEAPLIMIT
    {
      return .limitExceeded
    }
    return .failed(rc)
  }

  private static func message(for errorCode: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let length = buffer.withUnsafeMutableBufferPointer { pointer in
      rampart_pcre2_get_error_message(errorCode, pointer.baseAddress, pointer.count)
    }
    guard length > 0 else { return "PCRE2 error \(errorCode)" }
    return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
  }
}
