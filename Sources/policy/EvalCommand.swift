import ArgumentParser
#if canImport(Glibc)
  import Glibc
#endif
import PolicyCore
import RegoEngine

/// `policy eval`: evaluate a Rego query like `opa eval`.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a Rego query (default: the policies' entry point) against data and an input.",
    discussion: """
      Positional arguments that are directories or .rego files are loaded like -d; a .json file
      given positionally is the input (unless -i is used); anything else is the query.
        policy eval rules/ examples/arctiq/exec-into-orders.json
        policy eval -d rules -i input.json 'data.arctiq.admission.deny'
      Exit status: 0, or 1 on errors (and with --fail when the result is undefined, with
      --fail-defined when it is defined), as opa eval.
      """)

  @Option(name: [.short, .customLong("data")], help: "Policy or data file or directory (repeatable).")
  var data: [String] = []

  @Option(name: [.short, .customLong("input")], help: "Input document (JSON).")
  var input: String?

  @Option(help: "Output format: json, pretty or values.")
  var format: String = "json"

  @Flag(name: .customLong("fail"), help: "Exit 1 when the result is undefined.")
  var failUndefined = false

  @Flag(help: "Exit 1 when the result is defined.")
  var failDefined = false

  @Flag(help: "Parse modules as Rego v0 (OPA 0.x, Gatekeeper).")
  var v0Compatible = false

  @Flag(help: "Builtin errors abort evaluation instead of making the expression undefined.")
  var strictBuiltinErrors = false

  @OptionGroup var limitOptions: LimitOptions

  @Argument(help: "Paths (directories, .rego, input .json) and the query.")
  var arguments: [String] = []

  func run() throws {
    let limits = limitOptions.limits
    var paths = data
    var inputPath = input
    var query: String? = nil
    for argument in arguments {
      if argument.hasSuffix(".json"), inputPath == nil, !argument.hasPrefix("data.") {
        inputPath = argument
      } else if argument.hasSuffix("/") || argument.hasSuffix(".rego") || isDirectory(argument) {
        paths.append(argument)
      } else if query == nil {
        query = argument
      } else {
        throw ValidationError("more than one query given: '\(query ?? "")' and '\(argument)'")
      }
    }
    let results: [QueryResult]
    do throws(Diagnostic) {
      let loaded = try RegoLoader.load(paths: paths, version: v0Compatible ? .v0 : .v1, limits: limits)
      let policy = try RegoPolicy(modules: loaded.modules, data: loaded.data, limits: limits)
      let text = query ?? defaultQuery(loaded, policy)
      let prepared = try policy.prepare(text)
      var inputValue: Value? = nil
      if let inputPath {
        inputValue = try JSON.parse(try SourceFile.read(path: inputPath, limits: limits), limits: limits)
      }
      results = try prepared.evaluate(
        input: inputValue,
        options: EvaluationOptions(strictBuiltinErrors: strictBuiltinErrors, printer: { StandardStreams.writeError($0) }))
      StandardStreams.writeOutput(render(results, prepared))
    } catch {
      throw policy.fail(error)
    }
    if failUndefined && results.isEmpty { throw ExitCode(1) }
    if failDefined && !results.isEmpty { throw ExitCode(1) }
  }

  private func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  /// The entry point: a METADATA `entrypoint: true` rule or package, else every package.
  private func defaultQuery(_ loaded: RegoLoader.Loaded, _ policy: RegoPolicy) -> String {
    if let entry = loaded.entrypoints.first { return entry }
    let packages = policy.packagePaths
    if packages.count == 1, let only = packages.first { return only }
    return "data"
  }

  private func render(_ results: [QueryResult], _ prepared: PreparedQuery) -> String {
    let texts = prepared.expressionTexts
    switch format {
    case "values":
      let values = results.map { result -> Value in
        result.expressions.count == 1 ? result.expressions[0] : .array(result.expressions)
      }
      return JSONPrinter(options: .pretty).string(.array(values)) + "\n"
    case "pretty":
      if results.isEmpty { return "undefined\n" }
      if results.count == 1, results[0].bindings.isEmpty, results[0].expressions.count == 1 {
        return JSONPrinter(options: .pretty).string(results[0].expressions[0]) + "\n"
      }
      let rows = results.map { result -> Value in
        result.bindings.isEmpty ? .array(result.expressions) : .object(ValueObject(result.bindings.map { ($0.key, $0.value) }))
      }
      return JSONPrinter(options: .pretty).string(.array(rows)) + "\n"
    default:
      if results.isEmpty { return "{}\n" }
      let rows = results.map { result -> Value in
        var expressions: [Value] = []
        for (index, value) in result.expressions.enumerated() where index < texts.count {
          expressions.append(.object(ValueObject([
            ("value", value), ("text", .string(texts[index].text)),
            ("location", .object(ValueObject([("row", .int(texts[index].row)), ("col", .int(texts[index].column))]))),
          ])))
        }
        var members: [(String, Value)] = [("expressions", .array(expressions))]
        if !result.bindings.isEmpty {
          members.append(("bindings", .object(ValueObject(result.bindings.map { ($0.key, $0.value) }))))
        }
        return .object(ValueObject(members))
      }
      return JSONPrinter(options: .pretty).string(.object(ValueObject([("result", .array(rows))]))) + "\n"
    }
  }
}
