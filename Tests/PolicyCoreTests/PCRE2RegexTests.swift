import PolicyCore
import Testing

@Suite("PCRE2 funnel")
struct PCRE2RegexTests {
  @Test("JIT is available and used")
  func jit() throws {
    #expect(PCRE2Regex.jitAvailable)
    #expect(try PCRE2Regex("a+b").isJIT)
  }

  @Test("captures report byte ranges; unset groups are nil")
  func captures() throws {
    let regex = try PCRE2Regex("(\\w+)@(\\w+)(x)?")
    let match = try #require(try regex.firstMatch(in: "mail é bob@host now"))
    #expect(regex.captureCount == 3)
    #expect(match.range == 8..<16)
    #expect(match.groups[1] == 8..<11)
    #expect(match.groups[2] == 12..<16)
    #expect(match.groups[3] == nil)
    #expect(try regex.firstMatch(in: "nothing here") == nil)
  }

  @Test("options: caseless, multiline, dotall")
  func options() throws {
    #expect(try PCRE2Regex("select", options: .caseless).matches("SeLeCt 1"))
    #expect(try !PCRE2Regex("^b").matches("a\nb"))
    #expect(try PCRE2Regex("^b", options: .multiline).matches("a\nb"))
    #expect(try PCRE2Regex("a.b", options: .dotAll).matches("a\nb"))
  }

  @Test("all matches, including empty ones, terminate and step over whole characters")
  func allMatches() throws {
    #expect(try PCRE2Regex("\\d+").allMatches(in: "a1b22c333").map(\.range) == [1..<2, 3..<5, 6..<9])
    #expect(try PCRE2Regex("x*", options: .utf).allMatches(in: "éx").map(\.range) == [0..<0, 2..<3, 3..<3])
    #expect(try PCRE2Regex("\\d").allMatches(in: "1234", limit: 2).count == 2)
  }

  @Test("a bad pattern is a regex_compile_error with PCRE2's reason")
  func compileError() {
    let error = #expect(throws: Diagnostic.self) { try PCRE2Regex("a(b") }
    #expect(error?.code == .regexCompileError)
    #expect(error?.message.contains("missing closing parenthesis") == true)
  }
}
