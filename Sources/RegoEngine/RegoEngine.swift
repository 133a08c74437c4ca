public import PolicyCore
public import RegoBuiltins
internal import Synchronization

/// A Rego module's source: a name for diagnostics and its text.
public struct RegoModule: Sendable {
  public var name: String
  public var text: String
  /// Syntax: `.v1` (OPA 1.x) unless the module is Rego v0 (Gatekeeper's library).
  public var version: RegoVersion

  public init(name: String, text: String, version: RegoVersion = .v1) {
    self.name = name
    self.text = text
    self.version = version
  }
}

/// A compiled set of modules and base data: the unit queries are prepared against.
///
/// Compile once, prepare queries once, evaluate many times: a `RegoPolicy` and its prepared
/// queries are immutable and `Sendable`, so threads can evaluate concurrently with their own
/// inputs, as OPA's `PrepareForEval` allows.
public final class RegoPolicy: @unchecked Sendable {
  // @unchecked: the rule tree is built in init and only read afterwards.
  let root: RuleNode
  let compiler: Compiler
  /// The base document (`data` without rules).
  public let data: Value
  public let limits: Limits
  let packages: Set<String>
  /// Compiled regular expressions, shared by every evaluation of this policy.
  let regexCache = RegexCache()

  /// Parses and compiles modules.
  /// - Throws: `rego_parse_error`, `rego_compile_error`, `rego_unsafe_var_error`,
  ///   `rego_type_error` with the file, line and column.
  public init(
    modules: [RegoModule], data: Value = .object(ValueObject()), limits: Limits = .default,
    builtins: BuiltinRegistry = .standard
  ) throws(Diagnostic) {
    var parsed: [Module] = []
    var packages = Set<String>()
    for module in modules {
      let file = SourceFile(name: module.name, text: module.text)
      try limits.checkInputSize(file.bytes.count, name: module.name)
      let module = try Parser.parseModule(file, version: module.version, limits: limits)
      packages.insert((["data"] + module.package).joined(separator: "."))
      parsed.append(module)
    }
    self.packages = packages
    var compiler = Compiler(builtins: builtins)
    root = try compiler.compile(parsed)
    self.compiler = compiler
    self.data = data
    self.limits = limits
  }

  /// Prepares a query (`data.kubernetes.admission.deny`, `x := data.a; x > 1`).
  public func prepare(_ query: String, name: String = "query") throws(Diagnostic) -> PreparedQuery {
    let file = SourceFile(name: name, text: query)
    let body = try Parser.parseQuery(file, limits: limits)
    let compiled = try compiler.compileQuery(body, file: file)
    return PreparedQuery(policy: self, body: compiled.body, frameSize: compiled.frameSize, variables: compiled.variables)
  }
}

/// One solution of a query: the values of its named variables and of each expression.
public struct QueryResult: Sendable, Hashable {
  public var bindings: [String: Value]
  /// The value of each top-level expression of the query, in order (`true` for expressions
  /// that are not terms, such as `x := 1`), as `opa eval` reports them.
  public var expressions: [Value] = []
}

/// Options for one evaluation.
public struct EvaluationOptions: Sendable {
  /// Builtin errors abort evaluation instead of making the call undefined (`opa eval --strict-builtin-errors`).
  public var strictBuiltinErrors = false
  /// Evaluation time in nanoseconds since the epoch (`time.now_ns`); nil means the clock.
  public var now: Int64? = nil
  /// Receives `print` output.
  public var printer: (@Sendable (String) -> Void)? = nil

  public init(strictBuiltinErrors: Bool = false, now: Int64? = nil, printer: (@Sendable (String) -> Void)? = nil) {
    self.strictBuiltinErrors = strictBuiltinErrors
    self.now = now
    self.printer = printer
  }
}

/// A query compiled against a policy, ready to evaluate with different inputs.
public struct PreparedQuery: Sendable {
  let policy: RegoPolicy
  let body: Body
  let frameSize: Int
  /// The query's named variables, in order of appearance.
  public let variableNames: [String]
  /// The source text of each top-level expression (after safety reordering), as `opa eval`
  /// reports it under `text`, with its 1-based line and column.
  public var expressionTexts: [(text: String, row: Int, column: Int)] {
    body.map { expr in
      let bytes = expr.span.file.bytes[expr.span.start..<min(expr.span.end, expr.span.file.bytes.count)]
      let (row, column) = expr.span.file.location(of: expr.span.start)
      return (String(decoding: bytes, as: UTF8.self), row, column)
    }
  }
  let variableSlots: [Int]
  /// Interpreters between evaluations, so an evaluation does not allocate its rule-state array
  /// and call cache afresh.
  let pool = InterpreterPool()

  init(policy: RegoPolicy, body: Body, frameSize: Int, variables: [(String, Int)]) {
    self.policy = policy
    self.body = body
    self.frameSize = frameSize
    self.variableNames = variables.map(\.0)
    self.variableSlots = variables.map(\.1)
  }

  /// Evaluates the query; returns every solution (an empty array when it is undefined).
  /// - Throws: `eval_type_error`, `eval_builtin_error` (strict mode), `eval_conflict_error`,
  ///   `limit_evaluation_steps`, `rego_recursion_error`.
  public func evaluate(input: Value? = nil, options: EvaluationOptions = EvaluationOptions()) throws(Diagnostic) -> [QueryResult] {
    let now = options.now ?? Clock.nowNanoseconds()
    let context = BuiltinContext(
      now: now, limits: policy.limits, strict: options.strictBuiltinErrors, regexCache: policy.regexCache)
    let interpreter: Interpreter
    if let idle = pool.take() {
      interpreter = idle
      interpreter.prepare(input: input ?? .undefined, context: context, strict: options.strictBuiltinErrors)
    } else {
      interpreter = Interpreter(
        root: policy.root, data: policy.data, input: input ?? .undefined, context: context, limits: policy.limits,
        strict: options.strictBuiltinErrors)
    }
    defer { pool.give(interpreter) }
    interpreter.printer = options.printer
    let frame = Frame.make(size: frameSize)
    var results: [QueryResult] = []
    do {
      let initial: [Value] = .filled(.bool(true), count: body.count)
      _ = try interpreter.evalQuery(body, 0, frame, initial) { expressionValues in
        var bindings: [String: Value] = [:]
        for (name, slot) in zip(variableNames, variableSlots) {
          let value = frame.slots[slot]
          if value.isDefined { bindings[name] = value }
        }
        results.append(QueryResult(bindings: bindings, expressions: expressionValues))
        return false
      }
    } catch let diagnostic as Diagnostic {
      throw diagnostic
    } catch {
      throw Diagnostic(.evalBuiltinError, "\(error)")
    }
    return results
  }
}

/// Idle interpreters of one prepared query. An evaluation takes one (or makes one) and gives it
/// back cleared (`Interpreter.clear()`: no input, rule value or cached call survives), so
/// concurrent evaluations each have their own and a sequence of evaluations reuses the storage.
/// At most `capacity` wait; more are dropped.
final class InterpreterPool: @unchecked Sendable {
  // @unchecked: `idle` is only touched under `lock`, and an interpreter belongs to one evaluation
  // between `take` and `give`.
  private let lock = Mutex(())
  private var idle: [Interpreter] = []
  private let capacity = 4

  func take() -> Interpreter? {
    lock.withLock { _ in idle.popLast() }
  }

  func give(_ interpreter: Interpreter) {
    interpreter.clear()
    lock.withLock { _ in
      if idle.count < capacity { idle.append(interpreter) }
    }
  }
}
