#if canImport(Glibc)
  import Glibc
#endif
import PolicyCore
import Testing

@Suite("Limits hold against hostile input")
struct LimitsTests {
  @Test("nesting: the limit itself parses, one more level fails with limit_nesting_depth")
  func nesting() throws {
    let limits = Limits(maxNestingDepth: 64)
    let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(try JSON.parse(ok, limits: limits).arrayValue != nil)
    let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    let error = #expect(throws: Diagnostic.self) { try JSON.parse(deep, limits: limits) }
    #expect(error?.code == .limitNestingDepth)
    let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
    #expect(throws: Diagnostic.self) { try JSON.parse(objects, limits: limits) }
  }

  @Test("an object of 200,000 keys in reverse order, with duplicates, sorts without quadratic work")
  func manyKeysInReverseOrder() throws {
    // Quadratic sorting would take minutes here; the test finishing at all is the assertion.
    let count = 200_000
    var text = "{"
    for index in stride(from: count - 1, through: 0, by: -1) { text += "\"k\(index)\":\(index)," }
    text += "\"k7\":\"last\"}"
    let object = try #require(try JSON.parse(text).objectValue)
    #expect(object.count == count)
    #expect(object["k7"] == "last")
    #expect(object.keys.prefix(3) == ["k0", "k1", "k10"])
  }

  @Test("100 MB of '[' fails fast and cleanly, on both limits")
  func hundredMegabytesOfBrackets() throws {
    let brackets = [UInt8](repeating: UInt8(ascii: "["), count: 100 << 20)
    let sizeError = #expect(throws: Diagnostic.self) { try JSON.parse(brackets) }
    #expect(sizeError?.code == .limitInputSize)
    let generous = Limits(maxInputBytes: 200 << 20)
    let depthError = #expect(throws: Diagnostic.self) { try JSON.parse(brackets, limits: generous) }
    #expect(depthError?.code == .limitNestingDepth)
    #expect(depthError?.description.hasPrefix("<input>:1:513:") == true)
  }

  @Test("input size: files over the limit are refused before reading")
  func inputSize() throws {
    let path = "/tmp/rampart-limits-\(getpid()).json"
    let bytes = Array("[\"\(String(repeating: "x", count: 5000))\"]".utf8)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    #expect(descriptor >= 0)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    defer { unlink(path) }
    let error = #expect(throws: Diagnostic.self) { try SourceFile.read(path: path, limits: Limits(maxInputBytes: 1000)) }
    #expect(error?.code == .limitInputSize)
    #expect(try SourceFile.read(path: path).bytes == bytes)
    let missing = #expect(throws: Diagnostic.self) { try SourceFile.read(path: path + ".missing") }
    #expect(missing?.code == .ioError)
    #expect(missing?.message.contains("No such file") == true)
  }

  @Test("regex: catastrophic backtracking stops at the match limit")
  func regexMatchLimit() throws {
    let regex = try PCRE2Regex("^(a+)+$", limits: Limits(regexMatchLimit: 10_000))
    let subject = String(repeating: "a", count: 40) + "b"
    let error = #expect(throws: Diagnostic.self) { try regex.matches(subject) }
    #expect(error?.code == .limitRegexMatch)
    #expect(try regex.matches("aaaa"))
  }

  @Test("evaluation steps: the counter throws once the budget is spent")
  func steps() throws {
    var counter = StepCounter(limit: 1000)
    var taken = 0
    let error = #expect(throws: Diagnostic.self) {
      while true {
        try counter.step()
        taken += 1
      }
    }
    #expect(taken == 1000)
    #expect(error?.code == .limitEvaluationSteps)
    #expect(StepCounter(limits: .default).limit == Limits.default.maxEvaluationSteps)
  }
}
