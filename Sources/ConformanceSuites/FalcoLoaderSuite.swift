internal import FalconEngine
internal import PolicyCore

/// Falco's rule loader tests (`shared/conformance/falcon/falco_loader_cases.json`): rules
/// content, whether it loads, the compiled conditions, and the warnings and errors expected.
///
/// Each YAML text of a case is loaded by a fresh loader (as each Falco test loads its content
/// into a fresh engine) with the syscall source and the field table from `falcon/fields`. A case
/// passes when:
/// - `load` (when not null) matches whether every text loaded;
/// - each rule in `compiled` compiled to exactly that canonical condition;
/// - each text in `warnings`/`errors` is contained in some warning/error message
///   (`<non-literal>`, Falco's test comparing with a named constant, asks for at least one);
/// - no warning contains a text of `not_warnings`.
/// Assertions the data only counts (`asserts`, `describe_checks`) cannot be checked. Case ids
/// are `<test file>/<test>`.
public struct FalcoLoaderSuite: ConformanceSuite {
  public init() {}
  public var name: String { "falco-loader" }
  public var summary: String { "Falco rule loader cases (falcon/falco_loader_cases.json)" }
  public var subpath: String { "falcon" }
  public var aliases: [String] { ["falcon-loader"] }

  static let nonLiteral = "<non-literal>"

  public func run(directory: String) throws -> [CaseResult] {
    let source = try SourceFile.read(path: "\(directory)/falco_loader_cases.json", limits: Limits(maxInputBytes: 16 << 20))
    guard case .array(let cases) = try JSON.parse(source) else { return [] }
    let options = RuleLoaderOptions(fields: try FalcoSharedFields.table(falconDirectory: directory))
    var results: [CaseResult] = []
    var seen: [String: Int] = [:]
    for testCase in cases {
      var result = check(testCase, options: options)
      let count = (seen[result.id] ?? 0) + 1
      seen[result.id] = count
      if count > 1 { result.id += " (\(count))" }
      results.append(result)
    }
    return results
  }

  func check(_ testCase: Value, options: RuleLoaderOptions) -> CaseResult {
    let id = "\(testCase["file"].stringValue ?? "?")/\(testCase["test"].stringValue ?? "?")"
    var results: [LoadResult] = []
    for (index, text) in (testCase["rules"].arrayValue ?? []).enumerated() {
      var loader = RuleLoader(options: options)
      results.append(loader.load(name: "rules-\(index).yaml", content: text.stringValue ?? ""))
    }
    let errors = results.flatMap(\.errors)
    let warnings = results.flatMap(\.warnings)
    let summary = { () -> String in
      let shown = (errors.map { "error: \($0.message)" } + warnings.map { "warning: \($0.message)" }).prefix(4)
      return shown.isEmpty ? "no errors or warnings" : shown.joined(separator: "; ")
    }
    if case .bool(let load) = testCase["load"] {
      let loaded = results.allSatisfy(\.successful)
      if loaded != load {
        return CaseResult(id: id, passed: false, detail: load ? "failed to load: \(summary())" : "loaded, expected a failure; \(summary())")
      }
    }
    for entry in testCase["compiled"].objectValue ?? ValueObject() {
      guard case .string(let rule) = entry.key, let expected = entry.value.stringValue else { continue }
      guard let compiled = results.last?.ruleset?.rule(named: rule) else {
        return CaseResult(id: id, passed: false, detail: "rule '\(rule)' not compiled; \(summary())")
      }
      if compiled.compiledCondition != expected {
        return CaseResult(id: id, passed: false, detail: "rule '\(rule)': want \(expected), got \(compiled.compiledCondition)")
      }
    }
    for text in (testCase["warnings"].arrayValue ?? []).compactMap(\.stringValue) {
      let found = text == Self.nonLiteral ? !warnings.isEmpty : warnings.contains { $0.message.contains(text) }
      if !found { return CaseResult(id: id, passed: false, detail: "missing warning '\(text)'; \(summary())") }
    }
    for text in (testCase["errors"].arrayValue ?? []).compactMap(\.stringValue) {
      let found = text == Self.nonLiteral ? !errors.isEmpty : errors.contains { $0.message.contains(text) }
      if !found { return CaseResult(id: id, passed: false, detail: "missing error '\(text)'; \(summary())") }
    }
    for text in (testCase["not_warnings"].arrayValue ?? []).compactMap(\.stringValue) {
      if let warning = warnings.first(where: { $0.message.contains(text) }) {
        return CaseResult(id: id, passed: false, detail: "unexpected warning: \(warning.message)")
      }
    }
    return CaseResult(id: id, passed: true)
  }
}
