import ArgumentParser
import Benchmarking
import PolicyCore

/// `policy bench`: throughput benchmarks, printed beside their anchors from the same run.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Run benchmarks (build with -c release for meaningful figures).",
    subcommands: [JSONBench.self])
}

/// `policy bench json`: JSON parse/print throughput against Foundation's JSONSerialization.
struct JSONBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "json",
    abstract: "JSON parse and print throughput on a 2 KB AdmissionReview and a 1 MB Kubernetes list.")

  @Option(help: "The AdmissionReview document.")
  var admission: String = "examples/arctiq/create-pod-orders.json"

  @Option(help: "Size of the generated Kubernetes list, in bytes.")
  var listBytes: Int = 1 << 20

  @Option(help: "Seconds spent on each measurement.")
  var seconds: Double = 1.0

  func run() throws {
    var documents: [(name: String, bytes: [UInt8])] = []
    do throws(Diagnostic) {
      let file = try SourceFile.read(path: admission)
      documents.append((name: "AdmissionReview (\(file.bytes.count) B)", bytes: file.bytes))
    } catch {
      throw fail(error)
    }
    let list = KubernetesListGenerator.podList(minimumBytes: listBytes)
    documents.append((name: "PodList, kubectl -o json (\(list.count) B)", bytes: list))
    // A compact list of the same size: no indentation to skip, so every byte is token or string
    // content (about three times as many pods as the indented one).
    do throws(Diagnostic) {
      let compact = JSONPrinter().bytes(try JSON.parse(KubernetesListGenerator.podList(minimumBytes: listBytes * 3)))
      documents.append((name: "PodList, compact (\(compact.count) B)", bytes: compact))
    } catch {
      throw fail(error)
    }
    let rows = try JSONBenchmark.run(documents: documents, seconds: seconds)
    print("JSON throughput, MB/s (best of rounds; anchor: Foundation JSONSerialization, same run)")
    print(pad("document", 40) + pad("parse", 10) + pad("print", 10) + pad("JSONSer parse", 15) + pad("JSONSer print", 15) + "parse ratio")
    for row in rows {
      print(
        pad(row.document, 40) + pad(format(row.parseMBps), 10) + pad(format(row.printMBps), 10)
          + pad(format(row.foundationParseMBps), 15) + pad(format(row.foundationPrintMBps), 15)
          + format(row.parseMBps / row.foundationParseMBps) + "x")
    }
  }

  private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  private func format(_ value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return String(scaled)
  }
}
