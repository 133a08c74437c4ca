#if canImport(Glibc)
  internal import Glibc
#endif
internal import PolicyCore
internal import RegoEngine

/// Times the Gatekeeper corpus in-process the way the anchors' harnesses time OPA and regorus:
/// per iteration, parse the input JSON text, evaluate the violation query, and serialise the
/// result to JSON; warm up, then run at least `minimumIterations` and `minimumMilliseconds`.
public enum GatekeeperBenchmark {
  public struct Row: Sendable {
    public var id: String
    public var coldMicroseconds: Double
    public var medianMicroseconds: Double
    public var iterations: Int
  }

  public static func run(
    directory: String, filter: String? = nil, minimumIterations: Int = 300, minimumMilliseconds: Double = 100
  ) throws -> [Row] {
    var rows: [Row] = []
    let index = try JSON.parse(try SourceFile.read(path: "\(directory)/index.json"))
    guard case .array(let cases) = index["cases"] else { return [] }
    for entry in cases {
      let path = entry["path"].stringValue ?? ""
      if let filter, !path.contains(filter) { continue }
      let start = now()
      let prepared = try GatekeeperSuite().prepare(directory: "\(directory)/\(path)", entry: entry)
      try iteration(prepared)
      let cold = now() - start
      for _ in 0..<20 { try iteration(prepared) }
      var samples: [Double] = []
      samples.reserveCapacity(minimumIterations * 2)
      let began = now()
      while samples.count < minimumIterations || (now() - began) * 1000 < minimumMilliseconds {
        let a = now()
        try iteration(prepared)
        samples.append(now() - a)
      }
      samples.sort()
      rows.append(Row(id: path, coldMicroseconds: cold * 1e6, medianMicroseconds: samples[samples.count / 2] * 1e6, iterations: samples.count))
    }
    return rows
  }

  /// One evaluation: input text in, result JSON out.
  @inline(never)
  static func iteration(_ prepared: GatekeeperSuite.PreparedCase) throws {
    let input = try JSON.parse(prepared.inputText)
    let results = try prepared.query.evaluate(input: input)
    var rows: [Value] = .reserved(results.count)
    for result in results {
      var bindings = ValueObject()
      for (name, value) in result.bindings { bindings.set(value, forKey: .string(name)) }
      rows.append(.object(ValueObject([("bindings", .object(bindings)), ("expressions", .array(result.expressions))])))
    }
    let out = JSONPrinter().bytes(.object(ValueObject([("result", .array(rows))])))
    if out.isEmpty { throw Diagnostic(.ioError, "empty output") }
  }

  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}
