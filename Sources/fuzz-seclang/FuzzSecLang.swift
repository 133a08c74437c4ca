#if canImport(Glibc)
  import Glibc
#endif
import PolicyCore
import WAFEngine

/// The name the fuzzed configuration is loaded under: no directory, so relative `Include`s and
/// `@pmFromFile` paths resolve against the fuzzer's working directory (run it in an empty one).
let configName = "fuzz.conf"

/// Whether the input could make the loader read a file outside the working directory: a file
/// keyword (`Include`, `@pmFromFile`/`@pmf`, `@ipMatchFromFile`/`@ipMatchF`, `SecUnicodeMapFile`)
/// together with a `/` anywhere. Such inputs are skipped: `Include /proc/*` or `/dev/stdin` would
/// test the machine, not the parser. Relative paths still exercise the include and file code.
func readsOutsideWorkingDirectory(_ bytes: [UInt8]) -> Bool {
  guard bytes.contains(UInt8(ascii: "/")) else { return false }
  let lowered = bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
  for keyword in ["include", "fromfile", "pmf", "ipmatchf", "mapfile"] {
    let needle = Array(keyword.utf8)
    if lowered.count >= needle.count {
      for start in 0...(lowered.count - needle.count) where lowered[start] == needle[0] {
        if lowered[start..<(start + needle.count)].elementsEqual(needle) { return true }
      }
    }
  }
  return false
}

/// A small request the loaded rule set is run against, so rules that load also execute.
let probeRequest = HTTPRequest(
  method: "POST", uri: "/index.php?id=1%27%20or%201=1&q=%3Cscript%3E",
  headers: [
    HTTPHeader("Host", "example.test"), HTTPHeader("User-Agent", "fuzz"),
    HTTPHeader("Content-Type", "application/x-www-form-urlencoded"), HTTPHeader("Cookie", "a=b; c=d"),
  ],
  body: Array("name=value&x=%00%ff&y=aaaaaaaaaaaaaaaaaaaaaaaaaaaaab".utf8))

/// Checks the properties every input must keep: loading never crashes or hangs; it either builds
/// a rule set or throws a `WAFConfigError` that carries a location, and a location in the fuzzed
/// text names a line that exists. A rule set that loads evaluates a fixed request without crashing.
func checkSecLangProperties(_ bytes: [UInt8]) {
  if readsOutsideWorkingDirectory(bytes) { return }
  let text = String(decoding: bytes, as: UTF8.self)
  do throws(WAFConfigError) {
    let ruleSet = try WAFRuleSet.load(text: text, name: configName)
    _ = ruleSet.ruleIDs
    let result = ruleSet.evaluate(probeRequest)
    if let intervention = result.intervention {
      precondition(intervention.status >= 0, "negative status \(intervention.status)")
    }
  } catch {
    guard let location = error.location else {
      preconditionFailure("error without a location: \(error.message)")
    }
    if location.file == configName {
      let lines = text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
      precondition(location.line >= 1 && location.line <= lines, "error line \(location.line) outside 1...\(lines): \(error)")
    }
    precondition(error.description.hasPrefix("\(location.file):\(location.line): "), "description lacks file:line: \(error)")
  }
}

#if FUZZING
  /// libFuzzer's entry point.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzSecLang(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkSecLangProperties(bytes)
    return 0
  }
#else
  /// Without libFuzzer the target replays files (crash reproducers or a corpus).
  @main
  struct FuzzSecLangReplay {
    static func main() {
      let paths = Array(CommandLine.arguments.dropFirst())
      if paths.isEmpty {
        StandardStreams.writeError("usage: fuzz-seclang FILE... (replays inputs; build with -DFUZZING for libFuzzer, see docs/fuzzing.md)")
        exit(2)
      }
      for path in paths {
        do throws(Diagnostic) {
          checkSecLangProperties(try SourceFile.read(path: path).bytes)
        } catch {
          StandardStreams.writeError(error.rendered())
          exit(1)
        }
      }
      StandardStreams.writeError("replayed \(paths.count) input(s): properties hold")
    }
  }
#endif
