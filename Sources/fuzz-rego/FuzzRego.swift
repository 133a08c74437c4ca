#if canImport(Glibc)
  import Glibc
#endif
import PolicyCore
import RegoEngine

/// Checks the property every input must keep: parsing and compiling a module never crashes or
/// hangs; it either compiles or fails with a Diagnostic whose position lies inside the input.
/// When it compiles, evaluating `data` (bounded by a small step limit) also never crashes.
func checkRegoProperties(_ bytes: [UInt8]) {
  let text = String(decoding: bytes, as: UTF8.self)
  let limits = Limits(maxNestingDepth: 64, maxEvaluationSteps: 10_000)
  for version in [RegoVersion.v1, .v0] {
    do throws(Diagnostic) {
      let policy = try RegoPolicy(modules: [RegoModule(name: "fuzz.rego", text: text, version: version)], limits: limits)
      _ = try? policy.prepare("data").evaluate(input: .object(ValueObject()))
    } catch {
      if let span = error.span {
        precondition(span.start >= 0 && span.start <= span.file.bytes.count, "error position outside the input")
      }
    }
  }
}

#if FUZZING
  /// libFuzzer's entry point.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzRego(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkRegoProperties(bytes)
    return 0
  }
#else
  /// Without libFuzzer the target replays files (crash reproducers or a corpus).
  @main
  struct FuzzRegoReplay {
    static func main() {
      let paths = Array(CommandLine.arguments.dropFirst())
      if paths.isEmpty {
        StandardStreams.writeError("usage: fuzz-rego FILE... (replays inputs; build with -DFUZZING for libFuzzer, see docs/fuzzing.md)")
        exit(2)
      }
      for path in paths {
        do throws(Diagnostic) {
          checkRegoProperties(try SourceFile.read(path: path).bytes)
        } catch {
          StandardStreams.writeError(error.rendered())
          exit(1)
        }
      }
      StandardStreams.writeError("replayed \(paths.count) input(s): properties hold")
    }
  }
#endif
