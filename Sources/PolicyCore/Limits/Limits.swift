/// The resource limits every engine enforces on untrusted input, in one configurable value.
///
/// Each limit has a default chosen for real workloads (Kubernetes admission requests, Falco rule
/// files, HTTP requests) with a wide margin, can be changed by the API and the CLIs, and fails
/// with its own diagnostic code so callers can tell which one tripped. docs/RATIONALE.md explains
/// each default.
public struct Limits: Sendable, Hashable {
  /// Deepest nesting of arrays/objects in a JSON document, or of parentheses and brackets in a
  /// rule or policy expression. Code `limit_nesting_depth`.
  public var maxNestingDepth: Int
  /// Largest document or source file read, in bytes. Code `limit_input_size`.
  public var maxInputBytes: Int
  /// PCRE2 match limit: how many times the matcher may call its internal match function for one
  /// match attempt (catastrophic backtracking stops here). Code `limit_regex_match`.
  public var regexMatchLimit: UInt32
  /// PCRE2 depth limit: backtracking depth for one match attempt. Code `limit_regex_match`.
  public var regexDepthLimit: UInt32
  /// Evaluation steps one query, rule or request may take. Code `limit_evaluation_steps`.
  public var maxEvaluationSteps: Int

  /// The defaults.
  public static let `default` = Limits()

  /// Creates limits; every argument has the documented default.
  public init(
    maxNestingDepth: Int = 512,
    maxInputBytes: Int = 64 << 20,
    regexMatchLimit: UInt32 = 1_000_000,
    regexDepthLimit: UInt32 = 10_000,
    maxEvaluationSteps: Int = 50_000_000
  ) {
    self.maxNestingDepth = maxNestingDepth
    self.maxInputBytes = maxInputBytes
    self.regexMatchLimit = regexMatchLimit
    self.regexDepthLimit = regexDepthLimit
    self.maxEvaluationSteps = maxEvaluationSteps
  }
}

extension Diagnostic.Code {
  /// Nesting went deeper than `Limits.maxNestingDepth`.
  public static let limitNestingDepth = Self("limit_nesting_depth")
  /// An input was larger than `Limits.maxInputBytes`.
  public static let limitInputSize = Self("limit_input_size")
  /// A regular expression hit the PCRE2 match or depth limit.
  public static let limitRegexMatch = Self("limit_regex_match")
  /// Evaluation took more than `Limits.maxEvaluationSteps` steps.
  public static let limitEvaluationSteps = Self("limit_evaluation_steps")
}

extension Limits {
  /// Throws `limit_input_size` when `byteCount` exceeds the input limit.
  public func checkInputSize(_ byteCount: Int, name: String) throws(Diagnostic) {
    if byteCount > maxInputBytes {
      throw Diagnostic(
        .limitInputSize,
        "\(name) is \(byteCount) bytes, more than the input limit of \(maxInputBytes) bytes")
    }
  }
}

/// Counts evaluation steps against `Limits.maxEvaluationSteps`.
///
/// An engine's evaluator owns one per evaluation and calls `step()` at each unit of work (a rule
/// body expression, a filter node, a rule on a request); the counter throws once the budget is
/// spent, so a hostile policy or rule set cannot run forever.
public struct StepCounter: Sendable {
  /// The budget.
  public let limit: Int
  /// Steps taken so far.
  public private(set) var taken: Int = 0

  /// Creates a counter with the budget from `limits`.
  public init(limits: Limits) { self.limit = limits.maxEvaluationSteps }

  /// Creates a counter with an explicit budget.
  public init(limit: Int) { self.limit = limit }

  /// Takes `count` steps, throwing `limit_evaluation_steps` once the budget is exceeded.
  public mutating func step(_ count: Int = 1) throws(Diagnostic) {
    taken &+= count
    if taken > limit { throw exceeded() }
  }

  func exceeded() -> Diagnostic {
    Diagnostic(.limitEvaluationSteps, "evaluation exceeded the limit of \(limit) steps")
  }
}
