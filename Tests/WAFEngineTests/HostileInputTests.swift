#if canImport(Glibc)
  import Glibc
#endif
import Testing
import WAFEngine

/// Hostile requests against a small configuration with the limits of ModSecurity's recommended
/// setup and its base rules (200002 REQBODY_ERROR, 200003 MULTIPART_STRICT_ERROR, 200005 TX:MSC_*,
/// 200007 argument count), and malformed SecLang that must fail with `file:line`. Each request
/// test asserts the documented flag or verdict (docs/RATIONALE.md, "WAF limits"); that evaluation
/// returns at all is the other half of the assertion, so none of them measures time.
@Suite struct HostileInputTests {
  /// The configuration under test. Rule 100 copies the body processor's flags into `TX` (before
  /// the deny rules, so the flags are visible whichever rule stops the phase).
  static let config = #"""
    SecRuleEngine On
    SecRequestBodyAccess On
    SecRequestBodyLimit 131072
    SecRequestBodyLimitAction Reject
    SecRequestBodyJsonDepthLimit 512
    SecArgumentsLimit 1000
    SecPcreMatchLimit 1000
    SecPcreMatchLimitRecursion 1000

    SecRule REQUEST_HEADERS:Content-Type "@rx ^(?:application(?:/soap\+|/)|text/)xml" \
      "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
    SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" \
      "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
    SecAction "id:100,phase:2,pass,nolog,\
      setvar:tx.seen_reqbody_error=%{REQBODY_ERROR},\
      setvar:tx.seen_reqbody_error_msg=%{REQBODY_ERROR_MSG},\
      setvar:tx.seen_strict_error=%{MULTIPART_STRICT_ERROR},\
      setvar:tx.seen_header_folding=%{MULTIPART_HEADER_FOLDING},\
      setvar:tx.seen_missing_semicolon=%{MULTIPART_MISSING_SEMICOLON},\
      setvar:tx.seen_data_before=%{MULTIPART_DATA_BEFORE}"
    SecRule REQBODY_ERROR "!@eq 0" \
      "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',\
      logdata:'%{reqbody_error_msg}',severity:2"
    SecRule MULTIPART_STRICT_ERROR "!@eq 0" \
      "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation'"
    SecRule &ARGS "@ge 1000" \
      "id:200007,phase:2,t:none,log,deny,status:400,\
      msg:'Failed to fully parse request body due to large argument count',severity:2"
    SecRule ARGS "@rx (a+)+$" "id:1001,phase:2,t:none,pass,log,msg:'catastrophic pattern'"
    SecRule REQUEST_URI|ARGS|REQUEST_BODY "@validateUtf8Encoding" "id:1002,phase:2,t:none,pass,log,msg:'invalid UTF-8'"
    SecRule REQUEST_HEADERS:User-Agent|REQUEST_COOKIES "@endsWith needle" "id:1003,phase:2,t:none,pass,log,msg:'needle at the end'"
    SecRule TX:/^MSC_/ "!@streq 0" \
      "id:200005,phase:2,t:none,log,deny,msg:'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}'"
    """#

  static func ruleSet() throws -> WAFRuleSet {
    try WAFRuleSet.load(text: config, name: "hostile.conf")
  }

  static func post(_ contentType: String, _ body: [UInt8], uri: String = "/submit", headers: [HTTPHeader] = []) -> HTTPRequest {
    HTTPRequest(
      method: "POST", uri: uri,
      headers: [HTTPHeader("Host", "example.test"), HTTPHeader("Content-Type", contentType)] + headers, body: body)
  }

  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  // MARK: - Request body size

  @Test func bodyOverTheLimitIsRejectedWith413() throws {
    let rules = try Self.ruleSet()
    let body = Self.bytes("a=") + [UInt8](repeating: UInt8(ascii: "x"), count: 131_072)
    let result = rules.evaluate(Self.post("application/x-www-form-urlencoded", body))
    // SecRequestBodyLimitAction Reject: the engine answers 413 itself (no rule id), before phase 2.
    #expect(result.intervention?.status == 413)
    #expect(result.intervention?.ruleID == 0)
    #expect(!result.matches.contains { $0.phase == 2 })
  }

  @Test func bodyAtTheLimitIsInspected() throws {
    let rules = try Self.ruleSet()
    let body = Self.bytes("a=") + [UInt8](repeating: UInt8(ascii: "x"), count: 131_070)
    let result = rules.evaluate(Self.post("application/x-www-form-urlencoded", body))
    #expect(result.intervention == nil)
    #expect(result.transactionVariables["seen_reqbody_error"] == "0")
  }

  // MARK: - Request body size without files (SecRequestBodyNoFilesLimit)

  /// The limit as libmodsecurity 3.0.9 applies it (each case checked against it through the
  /// anchors' harness): a URL-encoded, JSON or XML body longer than the limit is not parsed and
  /// sets REQBODY_ERROR; a multipart body errs when its non-file parts exceed it; bodies no
  /// processor reads are exempt. ARGS_COMBINED_SIZE counts query and non-multipart body
  /// arguments, printed as a C double.
  @Test func bodyWithoutFilesOverItsLimitIsABodyError() throws {
    let rules = try WAFRuleSet.load(
      text: #"""
        SecRuleEngine On
        SecRequestBodyAccess On
        SecRequestBodyNoFilesLimit 1000
        SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}'"
        SecAction "id:100,phase:2,pass,nolog,setvar:tx.args=%{ARGS_COMBINED_SIZE}"
        SecRule ARGS:g "@rx ^z" "id:101,phase:2,pass,nolog,setvar:tx.g=%{MATCHED_VAR_NAME}"
        """#, name: "nofiles.conf")
    let form = "application/x-www-form-urlencoded"
    let over = rules.evaluate(Self.post(form, Self.bytes("a=" + String(repeating: "q", count: 999))))
    #expect(over.intervention?.ruleID == 200002)
    #expect(over.intervention?.status == 400)
    #expect(over.matches.first?.data == "Request body excluding files is bigger than the maximum expected.")
    let at = rules.evaluate(Self.post(form, Self.bytes("a=" + String(repeating: "q", count: 998)), uri: "/submit?q=1"))
    #expect(at.intervention == nil)
    #expect(at.transactionVariables["args"] == "1001.000000")
    #expect(rules.evaluate(Self.post("text/plain", [UInt8](repeating: 0x78, count: 3_000))).intervention == nil)

    func multipart(file: Int, field: Int) -> [UInt8] {
      Self.bytes(
        "--XB\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
          + String(repeating: "y", count: file) + "\r\n--XB\r\nContent-Disposition: form-data; name=\"g\"\r\n\r\n"
          + String(repeating: "z", count: field) + "\r\n--XB--\r\n")
    }
    let type = "multipart/form-data; boundary=XB"
    let bigFile = rules.evaluate(Self.post(type, multipart(file: 3_000, field: 850)))
    #expect(bigFile.intervention == nil)
    // Multipart parts do not count towards ARGS_COMBINED_SIZE: with no query it is empty.
    #expect(bigFile.transactionVariables["args"] == "")
    #expect(bigFile.transactionVariables["g"] == "ARGS:g")
    #expect(rules.evaluate(Self.post(type, multipart(file: 10, field: 1_200))).intervention?.ruleID == 200002)
  }

  // MARK: - Argument count

  @Test func tenThousandQueryArgumentsHitRule200007() throws {
    let rules = try Self.ruleSet()
    let query = (0..<10_000).map { "a\($0)=\($0)" }.joined(separator: "&")
    let result = rules.evaluate(HTTPRequest(uri: "/?" + query, headers: [HTTPHeader("Host", "example.test")]))
    #expect(result.intervention?.ruleID == 200007)
    #expect(result.intervention?.status == 400)
  }

  @Test func tenThousandBodyArgumentsAreCappedAndHitRule200007() throws {
    let rules = try Self.ruleSet()
    let body = Self.bytes((0..<10_000).map { "b\($0)=1" }.joined(separator: "&"))
    #expect(body.count < 131_072)
    let result = rules.evaluate(Self.post("application/x-www-form-urlencoded", body))
    // ARGS stops at SecArgumentsLimit (1000) without an error; &ARGS @ge 1000 catches it.
    #expect(result.intervention?.ruleID == 200007)
    #expect(result.transactionVariables["seen_reqbody_error"] == "0")
  }

  @Test func tenThousandJSONArgumentsStopTheParseWithABodyError() throws {
    let rules = try Self.ruleSet()
    let body = Self.bytes("[" + Array(repeating: "1", count: 10_000).joined(separator: ",") + "]")
    let result = rules.evaluate(Self.post("application/json", body))
    // The JSON processor stops at SecArgumentsLimit with a body error (libmodsecurity 3.0.5+
    // cancels the parse), so REQBODY_ERROR's rule, which comes first here, denies it.
    #expect(result.intervention?.ruleID == 200002)
    #expect(result.transactionVariables["seen_reqbody_error"] == "1")
  }

  // MARK: - JSON depth

  @Test func hundredThousandDeepJSONHitsTheDepthLimit() throws {
    let rules = try Self.ruleSet()
    let body = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
    let result = rules.evaluate(Self.post("application/json", body))
    #expect(result.intervention?.ruleID == 200002)
    #expect(result.intervention?.status == 400)
    #expect(result.transactionVariables["seen_reqbody_error_msg"]?.hasSuffix("Parsing depth limit exceeded") == true)
  }

  @Test func deepJSONParsesIterativelyWithoutALimit() {
    // 100,000 levels with the limit above them: the flattener keeps its own stack, so this
    // neither overflows the thread's stack nor goes quadratic in the argument name.
    let depth = 100_000
    let body = [UInt8](repeating: UInt8(ascii: "["), count: depth) + Self.bytes("1") + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
    let result = JSONBodyProcessor(depthLimit: depth).parse(body)
    #expect(result.error == nil)
    #expect(result.arguments.count == 1)
    let limited = JSONBodyProcessor(depthLimit: 512).parse(body)
    #expect(limited.error?.hasSuffix("Parsing depth limit exceeded") == true)
  }

  // MARK: - Broken multipart

  struct MultipartCase: Sendable, CustomTestStringConvertible {
    var name: String
    var contentType: String
    var body: String
    /// The rule that must deny: 200002 (REQBODY_ERROR) or 200003 (MULTIPART_STRICT_ERROR only).
    var deniedBy: Int
    /// TX variables rule 100 copied, and their expected values.
    var flags: [String: String]
    var testDescription: String { name }
  }

  static let multipartCases: [MultipartCase] = [
    MultipartCase(
      name: "no closing boundary", contentType: "multipart/form-data; boundary=b",
      body: "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n", deniedBy: 200002,
      flags: ["seen_reqbody_error": "1", "seen_reqbody_error_msg": "Multipart parsing error: Multipart: Final boundary missing."]),
    MultipartCase(
      name: "header folding", contentType: "multipart/form-data; boundary=b",
      body: "--b\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nvalue\r\n--b--\r\n", deniedBy: 200003,
      flags: ["seen_reqbody_error": "0", "seen_header_folding": "1", "seen_strict_error": "1"]),
    MultipartCase(
      name: "garbage without boundaries", contentType: "multipart/form-data; boundary=b",
      body: "\u{1}\u{7f}garbage\r\n-- b\r\n\0\0\0", deniedBy: 200002,
      flags: ["seen_reqbody_error": "1", "seen_reqbody_error_msg": "Multipart parsing error: Multipart: No boundaries found in payload."]),
    MultipartCase(
      name: "part without Content-Disposition", contentType: "multipart/form-data; boundary=b",
      body: "--b\r\nX-Other: 1\r\n\r\nvalue\r\n--b--\r\n", deniedBy: 200002,
      // libmodsecurity 3.0.9 keeps parsing after a part header error, so the message that stays
      // is the last one ("colon missing" for the value line read as a header); the flag is what counts.
      flags: ["seen_reqbody_error": "1"]),
  ]

  @Test(arguments: multipartCases)
  func brokenMultipartIsDenied(_ c: MultipartCase) throws {
    let rules = try Self.ruleSet()
    let result = rules.evaluate(Self.post(c.contentType, Self.bytes(c.body)))
    #expect(result.intervention?.ruleID == c.deniedBy)
    #expect(result.intervention?.status == 400)
    for (key, value) in c.flags {
      #expect(result.transactionVariables[key] == value, "\(key)")
    }
  }

  @Test func missingSemicolonSetsTheFlagInTheParser() {
    let body = Self.bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--b--\r\n")
    let result = MultipartParser().parse(contentType: "multipart/form-data boundary=b", body: body)
    #expect(result.multipart?.missingSemicolon == 1)
    #expect(result.multipart?.strictError == 1)
    #expect(result.arguments == [BodyArgument("a", "value")])
  }

  @Test
  func missingSemicolonInATransactionHitsRule200003() throws {
    let rules = try Self.ruleSet()
    let body = Self.bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--b--\r\n")
    let result = rules.evaluate(Self.post("multipart/form-data boundary=b", body))
    #expect(result.transactionVariables["seen_missing_semicolon"] == "1")
    #expect(result.transactionVariables["seen_strict_error"] == "1")
    #expect(result.intervention?.ruleID == 200003)
    #expect(result.intervention?.status == 400)
  }

  @Test func tenThousandMultipartPartsStopAtThePartLimit() {
    let part = "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nv\r\n"
    let body = Self.bytes(String(repeating: part, count: 10_001) + "--b--\r\n")
    let result = MultipartParser().parse(contentType: "multipart/form-data; boundary=b", body: body)
    // Parsing stops at part 10,001 with "Too many parts (limit 10000)"; the final boundary is then
    // never reached, and that message is the one reported. Either way it is a body error and a
    // strict error, and no part becomes an argument.
    #expect(result.error != nil)
    #expect(result.multipart?.parserError == 1)
    #expect(result.multipart?.strictError == 1)
    #expect(result.arguments.isEmpty)
  }

  // MARK: - Invalid UTF-8

  struct UTF8Case: Sendable, CustomTestStringConvertible {
    var name: String
    var contentType: String
    var body: [UInt8]
    /// `nil`: the request passes and rule 1002 logs; otherwise the rule that denies.
    var deniedBy: Int?
    var testDescription: String { name }
  }

  static let invalid: [UInt8] = [0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF8, 0x88, 0x80, 0x80, 0x80]

  static let utf8Cases: [UTF8Case] = [
    UTF8Case(name: "form body", contentType: "application/x-www-form-urlencoded", body: bytes("a=") + invalid + bytes("&") + invalid + bytes("=1"), deniedBy: nil),
    UTF8Case(name: "JSON string", contentType: "application/json", body: bytes("{\"a\":\"") + invalid + bytes("\"}"), deniedBy: 200002),
    UTF8Case(name: "JSON key", contentType: "application/json", body: bytes("{\"") + invalid + bytes("\":1}"), deniedBy: 200002),
    UTF8Case(name: "XML text", contentType: "text/xml", body: bytes("<a>") + invalid + bytes("</a>"), deniedBy: 200002),
    UTF8Case(
      name: "multipart name and value", contentType: "multipart/form-data; boundary=b",
      body: bytes("--b\r\nContent-Disposition: form-data; name=\"") + invalid + bytes("\"\r\n\r\n") + invalid + bytes("\r\n--b--\r\n"),
      deniedBy: nil),
  ]

  @Test(arguments: utf8Cases)
  func invalidUTF8InBodies(_ c: UTF8Case) throws {
    let rules = try Self.ruleSet()
    let result = rules.evaluate(Self.post(c.contentType, c.body, uri: "/p%ff%c0%af?q=%ed%a0%80", headers: [HTTPHeader("X-Bad", "\u{FFFD}\u{0}")]))
    if let rule = c.deniedBy {
      #expect(result.intervention?.ruleID == rule)
      #expect(result.transactionVariables["seen_reqbody_error"] == "1")
    } else {
      #expect(result.intervention == nil)
      #expect(result.loggedRuleIDs.contains(1002))
    }
  }

  @Test
  func xmlEncodingErrorIsABodyError() throws {
    let body: [UInt8] = [0x3C, 0x00, 0x00, 0x00, 0x41, 0x2F, 0x2D, 0x2F]
    let parsed = XMLBodyProcessor().parse(body)
    #expect(parsed.xml != nil || parsed.error != nil)
    let rules = try Self.ruleSet()
    let result = rules.evaluate(Self.post("text/xml", body))
    #expect(result.transactionVariables["seen_reqbody_error"] == "1")
    #expect(result.intervention?.ruleID == 200002)
  }

  // MARK: - Regular expression limits

  @Test func catastrophicBacktrackingHitsThePCRELimit() throws {
    let rules = try Self.ruleSet()
    let value = String(repeating: "a", count: 64) + "b"
    let result = rules.evaluate(HTTPRequest(uri: "/?q=" + value, headers: [HTTPHeader("Host", "example.test")]))
    // The match gives up after SecPcreMatchLimit steps: no match, TX:MSC_PCRE_LIMITS_EXCEEDED set,
    // and 200005 turns the flag into a denial.
    #expect(result.transactionVariables["msc_pcre_limits_exceeded"] == "1")
    #expect(!result.matches.contains { $0.ruleID == 1001 })
    #expect(result.intervention?.ruleID == 200005)
    #expect(result.intervention?.status == 403)
  }

  @Test func catastrophicPatternStillMatchesWhatItShould() throws {
    let rules = try Self.ruleSet()
    let result = rules.evaluate(HTTPRequest(uri: "/?q=" + String(repeating: "a", count: 64), headers: [HTTPHeader("Host", "example.test")]))
    #expect(result.loggedRuleIDs.contains(1001))
    #expect(result.transactionVariables["msc_pcre_limits_exceeded"] == nil)
    #expect(result.intervention == nil)
  }

  // MARK: - Headers and cookies

  @Test func oneMegabyteHeaderValueIsInspectedWhole() throws {
    let rules = try Self.ruleSet()
    let agent = String(repeating: "x", count: 1 << 20) + "needle"
    let result = rules.evaluate(HTTPRequest(uri: "/", headers: [HTTPHeader("Host", "example.test"), HTTPHeader("User-Agent", agent)]))
    #expect(result.loggedRuleIDs.contains(1003))
    #expect(result.intervention == nil)
  }

  @Test func tenThousandHeadersAreAccepted() throws {
    let rules = try Self.ruleSet()
    let headers = (0..<10_000).map { HTTPHeader("X-H\($0)", String(repeating: "v", count: 100)) }
    let result = rules.evaluate(HTTPRequest(uri: "/", headers: [HTTPHeader("Host", "example.test")] + headers))
    #expect(result.intervention == nil)
  }

  @Test func oneMegabyteCookieIsSplitAndInspected() throws {
    let rules = try Self.ruleSet()
    var cookie = ""
    var index = 0
    while cookie.utf8.count < 1 << 20 {
      cookie += "c\(index)=\(String(repeating: "v", count: 32)); "
      index += 1
    }
    cookie += "last=needle"
    let result = rules.evaluate(HTTPRequest(uri: "/", headers: [HTTPHeader("Host", "example.test"), HTTPHeader("Cookie", cookie)]))
    #expect(result.loggedRuleIDs.contains(1003))
    #expect(result.intervention == nil)
  }

  @Test func oneMegabyteSingleCookieValue() throws {
    let rules = try Self.ruleSet()
    let cookie = "session=" + String(repeating: "a", count: 1 << 20) + "needle"
    let result = rules.evaluate(HTTPRequest(uri: "/", headers: [HTTPHeader("Host", "example.test"), HTTPHeader("Cookie", cookie)]))
    #expect(result.loggedRuleIDs.contains(1003))
  }

  // MARK: - Malformed SecLang

  struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Text whose error is on `line`.
    var text: String
    var line: Int
    /// A fragment of the message.
    var message: String
    var testDescription: String { name }
  }

  static let preamble = "SecRuleEngine On\nSecRule ARGS \"@rx ok\" \"id:1,phase:2,pass\"\n"

  static let malformedCases: [MalformedCase] = [
    MalformedCase(name: "unterminated double quote", text: preamble + "SecRule ARGS \"@rx a\" \"id:2,phase:2\nSecRuleEngine On\n", line: 3, message: "unterminated"),
    MalformedCase(name: "unterminated single quote", text: preamble + "SecAction 'id:2,pass\nSecRuleEngine On\n", line: 3, message: "unterminated"),
    MalformedCase(name: "unterminated quote at end of file", text: preamble + "SecAction \"id:2,pass", line: 3, message: "unterminated"),
    MalformedCase(name: "unknown directive", text: preamble + "SecNoSuchDirective On\n", line: 3, message: "SecNoSuchDirective"),
    MalformedCase(name: "unknown operator", text: preamble + "SecRule ARGS \"@noSuchOperator x\" \"id:2,phase:2,pass\"\n", line: 3, message: "noSuchOperator"),
    MalformedCase(name: "unknown action", text: preamble + "SecRule ARGS \"@rx a\" \"id:2,phase:2,pass,noSuchAction\"\n", line: 3, message: "noSuchAction"),
    MalformedCase(name: "unknown transformation", text: preamble + "SecRule ARGS \"@rx a\" \"id:2,phase:2,pass,t:noSuchT\"\n", line: 3, message: "noSuchT"),
    MalformedCase(name: "unknown variable", text: preamble + "SecRule NO_SUCH_VARIABLE \"@rx a\" \"id:2,phase:2,pass\"\n", line: 3, message: "NO_SUCH_VARIABLE"),
    MalformedCase(name: "chain without a follower", text: preamble + "SecRule ARGS \"@rx a\" \"id:2,phase:2,deny,chain\"\n", line: 3, message: "chain"),
    MalformedCase(
      name: "chain followed by another directive", text: preamble + "SecRule ARGS \"@rx a\" \"id:2,phase:2,deny,chain\"\nSecAction \"id:3,pass\"\n",
      line: 4, message: "chain"),
    MalformedCase(name: "duplicate id", text: preamble + "SecRule ARGS \"@rx b\" \"id:1,phase:2,pass\"\n", line: 3, message: "id 1"),
    MalformedCase(name: "bad regex", text: preamble + "SecRule ARGS \"@rx (a\" \"id:2,phase:2,pass\"\n", line: 3, message: "@rx"),
    MalformedCase(name: "bad key regex", text: preamble + "SecRule ARGS:/(/ \"@rx a\" \"id:2,phase:2,pass\"\n", line: 3, message: "pattern"),
    MalformedCase(
      name: "error in a continued rule names its first line",
      text: preamble + "SecRule ARGS \\\n  \"@rx a\" \\\n  \"id:2,phase:2,pass,noSuchAction\"\n", line: 3, message: "noSuchAction"),
    MalformedCase(name: "rule without id", text: preamble + "SecRule ARGS \"@rx a\" \"phase:2,pass\"\n", line: 3, message: "id"),
    MalformedCase(name: "limit that is not a number", text: preamble + "SecRequestBodyLimit lots\n", line: 3, message: "SecRequestBodyLimit"),
    MalformedCase(name: "missing include", text: preamble + "Include no-such-file.conf\n", line: 3, message: "no-such-file.conf"),
  ]

  @Test(arguments: malformedCases)
  func malformedSecLangFailsWithFileAndLine(_ c: MalformedCase) {
    do {
      let rules = try WAFRuleSet.load(text: c.text, name: "/nonexistent/hostile.conf")
      Issue.record("loaded \(rules.ruleCount) rules")
    } catch {
      #expect(error.location?.line == c.line)
      #expect(error.description.hasPrefix("/nonexistent/hostile.conf:\(c.line): "), "\(error)")
      #expect(error.message.contains(c.message), "\(error)")
    }
  }

  @Test func includeCycleIsAnError() throws {
    // A file that includes itself: stopped by the include depth limit (32), with file:line.
    let directory = "/tmp/rampart-hostile-\(UInt32.random(in: 0...UInt32.max))"
    #expect(mkdirForTest(directory))
    let path = directory + "/self.conf"
    #expect(writeForTest(path, "SecRuleEngine On\nInclude self.conf\n"))
    do {
      let rules = try WAFRuleSet.load(path: path)
      Issue.record("loaded \(rules.ruleCount) rules")
    } catch {
      #expect(error.message.contains("Include nesting deeper than 32"), "\(error)")
      #expect(error.description.hasPrefix(path + ":"), "\(error)")
    }
  }
}

private func mkdirForTest(_ path: String) -> Bool {
  mkdir(path, 0o700) == 0
}

private func writeForTest(_ path: String, _ text: String) -> Bool {
  guard let file = fopen(path, "w") else { return false }
  defer { fclose(file) }
  return fputs(text, file) >= 0
}
