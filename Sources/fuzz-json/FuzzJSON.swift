#if canImport(Glibc)
  import Glibc
#endif
import PolicyCore

/// Checks the properties every input must keep: parsing never crashes or hangs (a failure is a
/// `Diagnostic` with a position inside the input), and a document that parses prints to canonical
/// JSON that parses back to an equal value and prints identically (printing is a fixed point).
func checkJSONProperties(_ bytes: [UInt8]) {
  let limits = Limits(maxNestingDepth: 128)
  do throws(Diagnostic) {
    let value = try JSON.parse(bytes, limits: limits)
    let printed = JSONPrinter().bytes(value)
    let reparsed: Value
    do throws(Diagnostic) {
      reparsed = try JSON.parse(printed, limits: limits)
    } catch {
      fatalError("printed JSON does not parse: \(error) in \(String(decoding: printed, as: UTF8.self))")
    }
    precondition(reparsed == value, "round trip changed the value: \(String(decoding: printed, as: UTF8.self))")
    precondition(JSONPrinter().bytes(reparsed) == printed, "printing is not a fixed point")
    let pretty = JSONPrinter(options: .pretty).bytes(value)
    precondition((try? JSON.parse(pretty, limits: limits)) == value, "pretty output does not round-trip")
  } catch {
    if let span = error.span {
      precondition(span.start >= 0 && span.start <= bytes.count, "error position outside the input")
    }
  }
  _ = try? JSON.parseLines(bytes, limits: limits)
}

#if FUZZING
  /// libFuzzer's entry point.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkJSONProperties(bytes)
    return 0
  }
#else
  /// Without libFuzzer the target replays files (a crash reproducer or a corpus) through the same
  /// property check, so the plain build compiles and can run it.
  @main
  struct FuzzJSONReplay {
    static func main() {
      let paths = Array(CommandLine.arguments.dropFirst())
      if paths.isEmpty {
        StandardStreams.writeError("usage: fuzz-json FILE... (replays inputs; build with -DFUZZING for libFuzzer, see docs/fuzzing.md)")
        exit(2)
      }
      for path in paths {
        do throws(Diagnostic) {
          let file = try SourceFile.read(path: path, limits: Limits(maxInputBytes: 1 << 30))
          checkJSONProperties(file.bytes)
        } catch {
          StandardStreams.writeError(error.rendered())
          exit(1)
        }
      }
      StandardStreams.writeError("replayed \(paths.count) input(s): properties hold")
    }
  }

#endif
