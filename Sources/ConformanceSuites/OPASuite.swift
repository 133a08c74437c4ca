internal import Foundation
internal import PolicyCore
internal import RegoEngine

/// OPA's own v1 conformance cases (`shared/conformance/rego/opa-v1`), run as OPA's runner runs
/// them: modules compiled together as `test-<i>.rego`, the query evaluated with the case's data
/// and input, and the result set compared as a set of binding objects (row order and duplicates
/// ignored, sets compared as sorted arrays, numbers by value). A case that expects an error
/// passes only when evaluation fails with that code or message.
public struct OPASuite: ConformanceSuite {
  public init() {}
  public var name: String { "opa-v1" }
  public var summary: String { "OPA v1 conformance cases (rego/opa-v1)" }

  public var subpath: String { "rego/opa-v1" }
  public var aliases: [String] { ["opa"] }

  public func run(directory: String) throws -> [CaseResult] {
    var files: [String] = []
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    for case let path as String in walker where path.hasSuffix(".json") { files.append(path) }
    files.sort()
    var results: [CaseResult] = []
    // Notes are not unique across the suite; the second and later uses of a note get " (2)",
    // " (3)" in file order so every case has its own ratchet line.
    var seen: [String: Int] = [:]
    for file in files {
      let source = try SourceFile.read(path: "\(directory)/\(file)", limits: Limits(maxInputBytes: 64 << 20))
      let document = try JSON.parse(source)
      guard case .array(let cases) = document["cases"] else { continue }
      for testCase in cases {
        var result = runCase(testCase)
        let count = (seen[result.id] ?? 0) + 1
        seen[result.id] = count
        if count > 1 { result.id += " (\(count))" }
        results.append(result)
      }
    }
    return results
  }

  /// Runs one case and compares with its expectations.
  func runCase(_ testCase: Value) -> CaseResult {
    let id = testCase["note"].stringValue ?? "?"
    let outcome = evaluate(testCase)
    let wantCode = testCase["want_error_code"].stringValue
    let wantError = testCase["want_error"].stringValue
    if wantCode != nil || wantError != nil {
      switch outcome {
      case .success(let rows):
        return CaseResult(id: id, passed: false, detail: "expected error \(wantCode ?? "") \(wantError ?? ""), got \(rows.count) result(s)")
      case .failure(let error):
        let rendered = OPASuite.render(error)
        if let wantCode, error.code.rawValue != wantCode {
          return CaseResult(id: id, passed: false, detail: "expected \(wantCode), got \(rendered)")
        }
        if let wantError, !wantError.isEmpty, !rendered.contains(wantError) {
          return CaseResult(id: id, passed: false, detail: "expected error containing '\(wantError)', got \(rendered)")
        }
        return CaseResult(id: id, passed: true)
      }
    }
    switch outcome {
    case .failure(let error):
      return CaseResult(id: id, passed: false, detail: "unexpected error: \(OPASuite.render(error))")
    case .success(let rows):
      guard case .array(let wanted) = testCase["want_result"] else {
        return CaseResult(id: id, passed: true)
      }
      let sortBindings = testCase["sort_bindings"] == .bool(true)
      let actual = Set(rows.map { normalise($0, sortBindings: sortBindings) })
      let expected = Set(wanted.map { normalise($0, sortBindings: sortBindings) })
      if actual == expected { return CaseResult(id: id, passed: true) }
      let got = Value.array(actual.sorted()).json
      let want = Value.array(expected.sorted()).json
      return CaseResult(id: id, passed: false, detail: "want \(want.prefix(300)), got \(got.prefix(300))")
    }
  }

  /// OPA's error text: `file:row: code: message`.
  static func render(_ error: Diagnostic) -> String {
    if let span = error.span {
      return "\(span.file.name):\(span.line): \(error.code.rawValue): \(error.message)"
    }
    return "\(error.code.rawValue): \(error.message)"
  }

  private func evaluate(_ testCase: Value) -> Result<[Value], Diagnostic> {
    do throws(Diagnostic) {
      var modules: [RegoModule] = []
      if case .array(let sources) = testCase["modules"] {
        for (index, source) in sources.enumerated() {
          modules.append(RegoModule(name: "test-\(index).rego", text: source.stringValue ?? ""))
        }
      }
      let data = testCase["data"].objectValue.map(Value.object) ?? .object(ValueObject())
      let policy = try RegoPolicy(modules: modules, data: data)
      // A JSON null input means "no input", as OPA's runner reads it into a nil pointer.
      var input: Value? = testCase["input"].isDefined && testCase["input"] != .null ? testCase["input"] : nil
      if let term = testCase["input_term"].stringValue {
        let prepared = try policy.prepare("__input__ = \(term)", name: "input_term")
        input = try prepared.evaluate().first?.bindings["__input__"]
        if input == nil {
          let named = try policy.prepare("x__input = \(term)", name: "input_term")
          input = try named.evaluate().first?.bindings["x__input"]
        }
      }
      let query = try policy.prepare(testCase["query"].stringValue ?? "", name: "query.rego")
      let strict = testCase["strict_error"] == .bool(true)
      let rows = try query.evaluate(input: input, options: EvaluationOptions(strictBuiltinErrors: strict, now: 1_700_000_000_000_000_000))
      return .success(rows.map { row in
        Value.object(ValueObject(row.bindings.map { ($0.key, $0.value) }))
      })
    } catch {
      return .failure(error)
    }
  }

  /// JSON form (sets as sorted arrays) with optionally sorted binding arrays.
  private func normalise(_ row: Value, sortBindings: Bool) -> Value {
    let json = (try? JSON.parse(row.json)) ?? row
    guard sortBindings, case .object(let object) = json else { return json }
    var result = ValueObject()
    for entry in object {
      if case .array(let elements) = entry.value {
        result.set(.array(elements.sorted()), forKey: entry.key)
      } else {
        result.set(entry.value, forKey: entry.key)
      }
    }
    return .object(result)
  }
}
