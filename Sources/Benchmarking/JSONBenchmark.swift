internal import Foundation
internal import PolicyCore

/// Measures JSON parse and print throughput of PolicyCore against Foundation's JSONSerialization
/// (the anchor on the same machine, in the same run).
public enum JSONBenchmark {
  /// One measured document.
  public struct Row: Sendable {
    public var document: String
    public var bytes: Int
    public var parseMBps: Double
    public var printMBps: Double
    public var foundationParseMBps: Double
    public var foundationPrintMBps: Double
  }

  /// Runs the benchmark on the documents and returns one row each.
  /// - Parameter seconds: time spent per measurement (the best of several rounds is kept).
  public static func run(documents: [(name: String, bytes: [UInt8])], seconds: Double) throws -> [Row] {
    var rows: [Row] = []
    for document in documents {
      let value = try JSON.parse(document.bytes, name: document.name)
      let printer = JSONPrinter()
      let compactSize = printer.bytes(value).count
      let parse = measure(seconds: seconds) {
        _ = try? JSON.parse(document.bytes, name: document.name)
      }
      let print = measure(seconds: seconds) {
        _ = printer.bytes(value)
      }
      let data = Data(document.bytes)
      let foundationObject = try JSONSerialization.jsonObject(with: data)
      let foundationParse = measure(seconds: seconds) {
        _ = try? JSONSerialization.jsonObject(with: data)
      }
      let foundationPrint = measure(seconds: seconds) {
        _ = try? JSONSerialization.data(withJSONObject: foundationObject, options: [.sortedKeys])
      }
      rows.append(
        Row(
          document: document.name, bytes: document.bytes.count,
          parseMBps: Double(document.bytes.count) / parse / 1e6,
          printMBps: Double(compactSize) / print / 1e6,
          foundationParseMBps: Double(document.bytes.count) / foundationParse / 1e6,
          foundationPrintMBps: Double(compactSize) / foundationPrint / 1e6))
    }
    return rows
  }

  /// Returns the best seconds per iteration over rounds filling `seconds` in total.
  static func measure(seconds: Double, _ body: () -> Void) -> Double {
    body()  // warm up caches and lazy state
    var best = Double.infinity
    let deadline = now() + seconds
    repeat {
      var iterations = 0
      let start = now()
      var elapsed = 0.0
      repeat {
        body()
        iterations += 1
        elapsed = now() - start
      } while elapsed < seconds / 10
      best = min(best, elapsed / Double(iterations))
    } while now() < deadline
    return best
  }

  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}
