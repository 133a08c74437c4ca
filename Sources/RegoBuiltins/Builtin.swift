public import PolicyCore

/// An error raised by a builtin function, classified as OPA classifies it.
///
/// `type` errors are operand type mismatches (`eval_type_error`), `builtin` errors everything
/// else a builtin rejects (`eval_builtin_error`). The interpreter prefixes the builtin's name and
/// the call's location, as OPA's `handleBuiltinErr` does, so implementations give only the
/// message: `operand 1 must be string but got number`.
public struct BuiltinError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    case type
    case builtin
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// `operand N must be EXPECTED but got TYPE` (N is 1-based), OPA's operand type error.
  public static func operand(_ index: Int, mustBe expected: String, got value: Value) -> BuiltinError {
    BuiltinError(.type, "operand \(index + 1) must be \(expected) but got \(value.typeName)")
  }

  /// A non-type failure with OPA's wording.
  public static func failure(_ message: String) -> BuiltinError {
    BuiltinError(.builtin, message)
  }

  /// The diagnostic code: `eval_type_error` or `eval_builtin_error`.
  public var code: Diagnostic.Code {
    kind == .type ? Diagnostic.Code("eval_type_error") : Diagnostic.Code("eval_builtin_error")
  }

  public var description: String { message }
}

/// State a builtin may read during one evaluation.
///
/// One context lives for one query evaluation, so `time.now_ns` returns the same instant for
/// every call in it (as OPA does) and compiled regular expressions are shared across calls.
public final class BuiltinContext: @unchecked Sendable {
  // @unchecked: every property is immutable; the regex cache is a Sendable object of its own.

  /// Nanoseconds since the Unix epoch, fixed when the evaluation started.
  public let now: Int64
  /// Resource limits (regex match limits, input sizes).
  public let limits: Limits
  /// True when builtin errors abort evaluation instead of making the call undefined.
  public let strict: Bool
  /// Compiled regular expressions; a policy shares one cache across its evaluations.
  public let regexCache: RegexCache

  public init(now: Int64, limits: Limits = .default, strict: Bool = false, regexCache: RegexCache = RegexCache()) {
    self.now = now
    self.limits = limits
    self.strict = strict
    self.regexCache = regexCache
  }

  /// Returns a compiled expression, compiling it once per pattern and options.
  public func regex(_ pattern: String, options: PCRE2Regex.Options = []) throws(Diagnostic) -> PCRE2Regex {
    try regexCache.regex(pattern, options: options, limits: limits)
  }
}

/// Compiled regular expressions by pattern and options, shared by the evaluations of a policy
/// (compiling and JIT-compiling a pattern costs far more than matching it). Bounded: past
/// `capacity` patterns the cache is emptied and refilled. Matching a compiled pattern from several
/// threads at once is safe: each match allocates its own match data.
public final class RegexCache: @unchecked Sendable {
  // @unchecked: `entries` is only touched under `lock`.
  private let lock = Lock()
  private var entries: [Key: PCRE2Regex] = [:]
  /// Go (RE2) patterns already translated and compiled, by their Go text and the limits.
  private var goEntries: [Key: GoRegex] = [:]
  /// Most patterns kept at once.
  public let capacity: Int

  private struct Key: Hashable {
    var pattern: String
    var options: UInt32
    var matchLimit: UInt32
    var depthLimit: UInt32
  }

  public init(capacity: Int = 4096) { self.capacity = capacity }

  /// Returns the compiled pattern, compiling it on first use.
  public func regex(_ pattern: String, options: PCRE2Regex.Options = [], limits: Limits) throws(Diagnostic) -> PCRE2Regex {
    let key = Key(
      pattern: pattern, options: options.rawValue, matchLimit: limits.regexMatchLimit,
      depthLimit: limits.regexDepthLimit)
    if let cached = lock.withLock({ entries[key] }) { return cached }
    let compiled = try PCRE2Regex(pattern, options: options, limits: limits)
    lock.withLock {
      if entries.count >= capacity { entries.removeAll() }
      entries[key] = compiled
    }
    return compiled
  }

  /// A Go pattern compiled earlier with these limits, if any.
  func goRegex(_ pattern: String, limits: Limits) -> GoRegex? {
    let key = Key(pattern: pattern, options: 0, matchLimit: limits.regexMatchLimit, depthLimit: limits.regexDepthLimit)
    return lock.withLock { goEntries[key] }
  }

  func store(_ regex: GoRegex, for pattern: String, limits: Limits) {
    let key = Key(pattern: pattern, options: 0, matchLimit: limits.regexMatchLimit, depthLimit: limits.regexDepthLimit)
    lock.withLock {
      if goEntries.count >= capacity { goEntries.removeAll() }
      goEntries[key] = regex
    }
  }
}

/// The arguments of one builtin call, with typed accessors that throw OPA's operand errors.
///
/// Indices are 0-based; messages say `operand N` 1-based, as OPA does.
public struct BuiltinArguments: Sendable {
  public let values: [Value]

  public init(_ values: [Value]) { self.values = values }

  public var count: Int { values.count }

  public subscript(index: Int) -> Value { values[index] }

  public func string(_ index: Int) throws(BuiltinError) -> String {
    if case .string(let text) = values[index] { return text }
    throw .operand(index, mustBe: "string", got: values[index])
  }

  public func number(_ index: Int) throws(BuiltinError) -> Number {
    if case .number(let number) = values[index] { return number }
    throw .operand(index, mustBe: "number", got: values[index])
  }

  /// An integral number that fits `Int`. Non-integral numbers throw OPA's "must be integer" error.
  public func int(_ index: Int) throws(BuiltinError) -> Int {
    let number = try number(index)
    guard let value = number.intValue else {
      throw BuiltinError(.type, "operand \(index + 1) must be integer number but got floating-point number")
    }
    return value
  }

  public func bool(_ index: Int) throws(BuiltinError) -> Bool {
    if case .bool(let flag) = values[index] { return flag }
    throw .operand(index, mustBe: "boolean", got: values[index])
  }

  public func array(_ index: Int) throws(BuiltinError) -> [Value] {
    if case .array(let elements) = values[index] { return elements }
    throw .operand(index, mustBe: "array", got: values[index])
  }

  public func object(_ index: Int) throws(BuiltinError) -> ValueObject {
    if case .object(let object) = values[index] { return object }
    throw .operand(index, mustBe: "object", got: values[index])
  }

  public func set(_ index: Int) throws(BuiltinError) -> ValueSet {
    if case .set(let set) = values[index] { return set }
    throw .operand(index, mustBe: "set", got: values[index])
  }
}

/// A builtin's implementation: returns the result, or `.undefined` when the call is undefined.
public typealias BuiltinImplementation =
  @Sendable (_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value

/// One builtin: its user-facing name, how many inputs it takes, its family, and its code.
public final class Builtin: Sendable {
  /// The name users call, exactly as OPA spells it (`strings.replace_n`).
  public let name: String
  /// Number of input operands; `nil` for variadic builtins (`print`).
  public let arity: Int?
  /// The family (file) it belongs to, for docs: `strings`, `regex`, `time`, ...
  public let category: String
  /// True for relations that produce several outputs per call (`walk`): the implementation
  /// returns an array whose elements are the outputs.
  public let isRelation: Bool
  public let implementation: BuiltinImplementation

  public init(
    name: String, arity: Int?, category: String, isRelation: Bool = false,
    implementation: @escaping BuiltinImplementation
  ) {
    self.name = name
    self.arity = arity
    self.category = category
    self.isRelation = isRelation
    self.implementation = implementation
  }
}
