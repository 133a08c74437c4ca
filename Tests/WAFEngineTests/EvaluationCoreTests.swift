import Testing

@testable import WAFEngine

/// The rule loop's shortcuts (per-phase lists, cached transformations, numbered markers, the
/// prefilter for ctl target removals, memoised XPath, constant setvar keys) must give the
/// answers of the plain reading of each rule. CRS's regression corpus exercises them at scale;
/// these cases pin the edges.
@Suite("WAF evaluation core")
struct EvaluationCoreTests {
  static func matchedIDs(_ config: String, _ request: HTTPRequest) throws -> [Int] {
    let rules = try WAFRuleSet.load(text: config, name: "core.conf")
    return rules.evaluate(request).matches.map(\.ruleID)
  }

  static func get(_ uri: String, headers: [HTTPHeader] = []) -> HTTPRequest {
    HTTPRequest(method: "GET", uri: uri, headers: [HTTPHeader("Host", "example.test")] + headers)
  }

  @Test("a ctl target removal applies to the rules it names only")
  func targetRemovalsNameTheirRules() throws {
    let config = #"""
      SecRuleEngine DetectionOnly
      SecAction "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=10;ARGS:a,ctl:ruleRemoveTargetById=30-31;ARGS:b,ctl:ruleRemoveTargetByTag=quiet;ARGS:c"
      SecRule ARGS "@rx ^x$" "id:10,phase:2,pass,nolog"
      SecRule ARGS:a "@rx ^x$" "id:20,phase:2,pass,nolog"
      SecRule ARGS:b "@rx ^x$" "id:25,phase:2,pass,nolog"
      SecRule ARGS:b "@rx ^x$" "id:31,phase:2,pass,nolog"
      SecRule ARGS:c "@rx ^x$" "id:40,phase:2,pass,nolog,tag:'quiet'"
      SecRule ARGS:c "@rx ^x$" "id:41,phase:2,pass,nolog,tag:'loud'"
      """#
    // Rule 10 still sees b and c; 25 lies between the removed ranges but is not in them.
    #expect(try Self.matchedIDs(config, Self.get("/?a=x")) == [1, 20])
    #expect(try Self.matchedIDs(config, Self.get("/?b=x")) == [1, 10, 25])
    #expect(try Self.matchedIDs(config, Self.get("/?c=x")) == [1, 10, 41])
  }

  @Test("skipAfter jumps to its marker, and past the phase's end when the marker is missing")
  func skipAfterMarkers() throws {
    let config = #"""
      SecRuleEngine DetectionOnly
      SecRule ARGS:skip "@streq 1" "id:1,phase:1,pass,nolog,skipAfter:END-ONE"
      SecAction "id:2,phase:1,pass,nolog"
      SecMarker END-ONE
      SecAction "id:3,phase:1,pass,nolog"
      SecRule ARGS:skip "@streq 2" "id:4,phase:1,pass,nolog,skipAfter:NO-SUCH-MARKER"
      SecAction "id:5,phase:1,pass,nolog"
      SecAction "id:6,phase:2,pass,nolog"
      """#
    #expect(try Self.matchedIDs(config, Self.get("/")) == [2, 3, 5, 6])
    #expect(try Self.matchedIDs(config, Self.get("/?skip=1")) == [1, 3, 5, 6])
    #expect(try Self.matchedIDs(config, Self.get("/?skip=2")) == [2, 3, 4, 6])
  }

  @Test("cached transformations: shared lists, changed and unchanged values, per variable")
  func cachedTransformations() throws {
    let config = #"""
      SecRuleEngine DetectionOnly
      SecRule ARGS "@streq abc" "id:1,phase:1,pass,nolog,t:none,t:lowercase"
      SecRule ARGS "@streq ABC" "id:2,phase:1,pass,nolog,t:none"
      SecRule ARGS "@streq abc" "id:3,phase:1,pass,nolog,t:none,t:lowercase"
      SecRule ARGS_NAMES "@streq name" "id:4,phase:1,pass,nolog,t:none,t:lowercase"
      SecRule ARGS "@streq a c" "id:5,phase:1,pass,nolog,t:none,t:urlDecodeUni,t:lowercase"
      SecRule ARGS "@streq abc" "id:6,phase:2,pass,nolog,t:none,t:lowercase"
      SecRule ARGS "@streq a%20c" "id:7,phase:2,pass,nolog,t:none,t:lowercase"
      """#
    #expect(try Self.matchedIDs(config, Self.get("/?NAME=ABC")) == [1, 2, 3, 4, 6])
    // %20 decodes once for rule 5 and stays encoded for rule 7's list.
    #expect(try Self.matchedIDs(config, Self.get("/?x=A%2520C")) == [5, 7])
  }

  @Test("setvar with constant and macro keys, add and subtract, read back by TX targets")
  func setvarKeys() throws {
    let config = #"""
      SecRuleEngine DetectionOnly
      SecAction "id:1,phase:1,pass,nolog,setvar:tx.score=5,setvar:tx.score=+3,setvar:tx.score=-1,setvar:tx.%{REQUEST_METHOD}_seen=1"
      SecRule TX:SCORE "@eq 7" "id:2,phase:1,pass,nolog"
      SecRule TX:get_seen "@eq 1" "id:3,phase:1,pass,nolog,setvar:tx.get_seen=+41"
      SecRule TX:/^get_/ "@eq 42" "id:4,phase:1,pass,nolog"
      SecRule &TX:missing "@eq 0" "id:5,phase:1,pass,nolog"
      """#
    #expect(try Self.matchedIDs(config, Self.get("/")) == [1, 2, 3, 4, 5])
  }

  @Test("XML targets read the parsed document in every rule and phase")
  func xmlTargets() throws {
    let config = #"""
      SecRuleEngine DetectionOnly
      SecRequestBodyAccess On
      SecRule REQUEST_HEADERS:Content-Type "@rx ^text/xml" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=XML"
      SecRule XML:/* "@contains needle" "id:2,phase:2,pass,nolog"
      SecRule XML:/* "@contains hay" "id:3,phase:2,pass,nolog"
      SecRule XML://@* "@streq v" "id:4,phase:2,pass,nolog"
      SecRule XML:/* "@contains needle" "id:5,phase:3,pass,nolog"
      """#
    let request = HTTPRequest(
      method: "POST", uri: "/",
      headers: [HTTPHeader("Host", "example.test"), HTTPHeader("Content-Type", "text/xml")],
      body: Array("<a k=\"v\"><b>hay needle</b></a>".utf8))
    let rules = try WAFRuleSet.load(text: config, name: "core.conf")
    let ids = rules.evaluate(request, response: HTTPResponse(status: 200)).matches.map(\.ruleID)
    #expect(ids == [1, 2, 3, 4, 5])
  }
}

/// Finished transactions hand their arena and tables back to the rule set for the next one:
/// nothing a transaction leaves there may show in another's results.
@Suite("WAF transaction buffer reuse")
struct BufferReuseTests {
  static let config = #"""
    SecRuleEngine DetectionOnly
    SecRule ARGS "@rx (?i)select" "id:1,phase:2,pass,log,t:none,t:lowercase,t:urlDecodeUni,msg:'sql %{MATCHED_VAR}',setvar:tx.score=+5"
    SecRule REQUEST_HEADERS:User-Agent "@pm nikto sqlmap" "id:2,phase:1,pass,log,t:lowercase,msg:'scanner'"
    SecRule TX:score "@ge 5" "id:3,phase:2,pass,log,msg:'score %{tx.score}'"
    """#

  static func request(_ query: String, agent: String) -> HTTPRequest {
    HTTPRequest(method: "GET", uri: "/?\(query)", headers: [HTTPHeader("Host", "example.test"), HTTPHeader("User-Agent", agent)])
  }

  static func summary(_ result: WAFResult) -> [String] {
    result.matches.map { "\($0.ruleID) \($0.message) \($0.matchedVariable)=\($0.matchedValue)" }
  }

  @Test("a request gives the same result before and after others reused the buffers")
  func sameResultAfterReuse() throws {
    let rules = try WAFRuleSet.load(text: Self.config, name: "reuse.conf")
    let first = Self.request("q=SELECT%20x&a=1", agent: "Nikto/2.1")
    let other = Self.request("b=hello&c=world", agent: "Mozilla/5.0")
    let before = Self.summary(rules.evaluate(first))
    #expect(before.count == 3)
    for _ in 0..<50 { _ = rules.evaluate(other) }
    #expect(Self.summary(rules.evaluate(first)) == before)
    #expect(Self.summary(rules.evaluate(other)).isEmpty)
  }

  @Test("transactions on several threads share one rule set's pool")
  func concurrent() async throws {
    let rules = try WAFRuleSet.load(text: Self.config, name: "reuse.conf")
    let requests = (0..<8).map { Self.request("q=select%20\($0)&n=\($0)", agent: $0 % 2 == 0 ? "sqlmap" : "curl") }
    let expected = requests.map { Self.summary(rules.evaluate($0)) }
    let results = await withTaskGroup(of: (Int, Bool).self) { group in
      for worker in 0..<8 {
        group.addTask {
          var same = true
          for round in 0..<40 {
            let index = (worker + round) % requests.count
            same = same && Self.summary(rules.evaluate(requests[index])) == expected[index]
          }
          return (worker, same)
        }
      }
      var all: [Bool] = []
      for await (_, same) in group { all.append(same) }
      return all
    }
    #expect(results.count == 8 && results.allSatisfy { $0 })
  }

  @Test("an emptied table finds nothing it held and takes new keys")
  func tableReset() {
    var table = IntegerKeyedTable(initialCapacity: 16, filler: 0)
    for key in 0..<100 { table.insert(Int(key), for: UInt64(key)) }
    #expect(table.value(for: 42) == 42)
    table.removeAll()
    #expect(table.value(for: 42) == nil)
    table.insert(7, for: 42)
    #expect(table.value(for: 42) == 7)
    #expect(table.value(for: 41) == nil)
  }
}

@Suite("WAF XML targets without an XML body")
struct XMLWithoutBodyTests {
  @Test("XML:/* has no values and &XML:/* counts 0 when the body is not XML")
  func noDocument() throws {
    let config = #"""
      SecRuleEngine DetectionOnly
      SecRule &XML:/* "@eq 0" "id:1,phase:2,pass,nolog"
      SecRule XML:/* "@rx ." "id:2,phase:2,pass,nolog"
      SecRule ARGS|XML:/* "@rx ^x$" "id:3,phase:2,pass,nolog"
      """#
    let rules = try WAFRuleSet.load(text: config, name: "xml.conf")
    let ids = rules.evaluate(HTTPRequest(method: "GET", uri: "/?a=x", headers: [HTTPHeader("Host", "example.test")])).matches.map(\.ruleID)
    #expect(ids == [1, 3])
  }
}

@Suite("WAF phrase rules scanning together")
struct PhraseScanSetTests {
  /// The rules; `extra` goes into each phase-4 rule's actions.
  static func rules(_ extra: String = "") -> String {
    """
    SecRuleEngine DetectionOnly
    SecResponseBodyAccess On
    SecResponseBodyMimeType text/html
    SecRule RESPONSE_BODY "@pm alpha beta" "id:1,phase:4,pass,log,capture\(extra),setvar:'tx.one=%{tx.0}'"
    SecRule RESPONSE_BODY "!@pm gamma" "id:2,phase:4,pass,log\(extra)"
    SecRule RESPONSE_BODY "@pm delta bet" "id:3,phase:4,pass,log,capture\(extra),setvar:'tx.three=%{tx.0}'"
    SecRule RESPONSE_BODY "@pm zeta" "id:4,phase:4,pass,log,t:lowercase\(extra)"
    SecRule RESPONSE_BODY "@pm zeta" "id:5,phase:4,pass,log,t:lowercase\(extra)"
    SecRule ARGS "@pm alpha" "id:6,phase:2,pass,log"
    SecRule ARGS "@pm beta" "id:7,phase:2,pass,log"
    """
  }

  static func run(_ rules: WAFRuleSet, body: String) -> (ids: [Int], one: String?, three: String?) {
    let request = HTTPRequest(method: "GET", uri: "/?a=alpha&b=beta", headers: [HTTPHeader("Host", "example.test")])
    let response = HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "text/html")], body: Array(body.utf8))
    let result = rules.evaluate(request, response: response)
    return (result.matches.map(\.ruleID), result.transactionVariable("one"), result.transactionVariable("three"))
  }

  @Test("members share a variable and a transformation list; collections and multiMatch are left alone")
  func grouping() throws {
    let rules = try WAFRuleSet.load(text: Self.rules(), name: "pm.conf")
    #expect(rules.phraseScanSets.map(\.automata.count) == [3, 2])
    // multiMatch rules scan every intermediate value, so they are never grouped.
    #expect(try WAFRuleSet.load(text: Self.rules(",multiMatch"), name: "pm.conf").phraseScanSets.isEmpty)
  }

  @Test("grouped rules answer as each rule alone does, transaction after transaction")
  func sameAnswers() throws {
    let grouped = try WAFRuleSet.load(text: Self.rules(), name: "pm.conf")
    // multiMatch over no (or case-only) transformations gives @pm the same answers, ungrouped.
    let alone = try WAFRuleSet.load(text: Self.rules(",multiMatch"), name: "pm.conf")
    for body in ["..Beta and ALPHA..", "gamma delta ZETA", "nothing here", "", "bet alpha", "beta"] {
      let a = Self.run(grouped, body: body)
      let b = Self.run(alone, body: body)
      #expect(a.ids == b.ids, "\(body)")
      #expect(a.one == b.one && a.three == b.three, "\(body)")
    }
    let result = Self.run(grouped, body: "..Beta and ALPHA..")
    #expect(result.ids == [6, 7, 1, 2, 3])
    #expect(result.one == "beta" && result.three == "bet")
  }
}
