import PolicyCore
import Testing

@testable import WAFEngine

#if canImport(Glibc)
  import Glibc
#endif

/// The web ACL layer: file format and errors, rule order, actions and labels, rate windows and
/// keys (with injected time, never sleeps), and the replay of examples/waf.
@Suite struct WebACLTests {
  // MARK: - Helpers

  static let repositoryRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/WAFEngineTests/WebACLTests.swift
    return parts.joined(separator: "/")
  }()

  static func acl(_ yaml: String, name: String = "test-acl.yaml", options: WebACL.Options = WebACL.Options()) throws(Diagnostic) -> WebACL {
    try WebACL.load(SourceFile(name: name, text: yaml), options: options)
  }

  /// The load error of a web ACL text, rendered `file:line:col: code: message`.
  static func loadError(_ yaml: String) -> String? {
    do {
      _ = try WebACL.load(SourceFile(name: "bad.yaml", text: yaml))
      return nil
    } catch {
      return error.description
    }
  }

  static func request(
    _ uri: String = "/", method: String = "GET", ip: String = "192.0.2.1", headers: [HTTPHeader] = [], body: String = ""
  ) -> HTTPRequest {
    HTTPRequest(clientAddress: ip, method: method, uri: uri, headers: headers, body: Array(body.utf8))
  }

  static func writeFile(_ path: String, _ text: String) {
    guard let handle = fopen(path, "w") else { return }
    fputs(text, handle)
    fclose(handle)
  }

  static func temporaryDirectory() -> String {
    var template = Array("/tmp/rampart-webacl-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
      return String(cString: made)
    }
  }

  // MARK: - Rule order, actions, labels, default action

  @Test func rulesRunByPriorityNotFileOrder() throws {
    let acl = try Self.acl(
      """
      default_action: allow
      rules:
        - name: late-allow
          priority: 20
          statement: {byte_match: {field: uri_path, match: starts_with, value: /admin}}
          action: allow
        - name: early-block
          priority: 5
          statement: {byte_match: {field: uri_path, match: exactly, value: /admin/login}}
          action: block
      """)
    #expect(acl.ruleNames == ["early-block", "late-allow"])
    let login = acl.evaluate(Self.request("/admin/login"), at: 0)
    #expect(login.terminatingRule == "early-block")
    #expect(login.blockStatus == 403)
    let other = acl.evaluate(Self.request("/admin/users"), at: 0)
    #expect(other.action == .allow)
    #expect(other.terminatingRule == "late-allow")
  }

  @Test func defaultActionAppliesWhenNoRuleTerminates() throws {
    let acl = try Self.acl(
      """
      default_action: block
      rules:
        - name: allow-health
          statement: {byte_match: {field: uri_path, match: exactly, value: /healthz}}
          action: allow
      """)
    let denied = acl.evaluate(Self.request("/other"), at: 0)
    #expect(denied.action == .block(nil))
    #expect(denied.terminatingRule == nil)
    #expect(denied.matchedRules.isEmpty)
    #expect(acl.evaluate(Self.request("/healthz"), at: 0).terminatingRule == "allow-health")
  }

  @Test func countContinuesAndLabelsReachLaterRules() throws {
    let acl = try Self.acl(
      """
      default_action: allow
      rules:
        - name: tag-bots
          priority: 1
          statement:
            byte_match:
              field: {header: user-agent}
              match: contains
              value: curl
              transformations: [LOWERCASE]
          action: count
          labels: ["bots:scripted", "bots:curl"]
        - name: count-api
          priority: 2
          statement: {byte_match: {field: uri_path, match: starts_with, value: /api/}}
          action: count
          labels: [api:call]
        - name: block-scripted-api
          priority: 3
          statement:
            and:
              - label_match: {scope: namespace, key: "bots:"}
              - label_match: {key: "api:call"}
          action: {block: {status: 451, body: "no", headers: {X-Reason: scripted}}}
      """)
    let result = acl.evaluate(Self.request("/api/x", headers: [HTTPHeader("User-Agent", "CURL/8.5")]), at: 0)
    #expect(result.matchedRules.map(\.rule) == ["tag-bots", "count-api", "block-scripted-api"])
    #expect(result.matchedRules.map(\.action.name) == ["count", "count", "block"])
    #expect(result.labels == ["bots:scripted", "bots:curl", "api:call"])
    #expect(result.terminatingRule == "block-scripted-api")
    #expect(result.action == .block(ACLCustomResponse(status: 451, body: "no", headers: [HTTPHeader("X-Reason", "scripted")])))
    // Without the bot label the count rule still matches and the request is allowed by default.
    let browser = acl.evaluate(Self.request("/api/x", headers: [HTTPHeader("User-Agent", "Firefox")]), at: 0)
    #expect(browser.matchedRules.map(\.rule) == ["count-api"])
    #expect(browser.action == .allow)
    #expect(browser.terminatingRule == nil)
    #expect(browser.labels == ["api:call"])
  }

  @Test func captchaAndChallengeAreTerminatingVerdicts() throws {
    let acl = try Self.acl(
      """
      default_action: allow
      rules:
        - {name: c1, priority: 1, statement: {byte_match: {field: method, match: exactly, value: POST}}, action: captcha}
        - {name: c2, priority: 2, statement: {byte_match: {field: method, match: exactly, value: PUT}}, action: challenge}
      """)
    #expect(acl.evaluate(Self.request(method: "POST"), at: 0).action == .captcha)
    #expect(acl.evaluate(Self.request(method: "PUT"), at: 0).action == .challenge)
    #expect(acl.evaluate(Self.request(method: "PUT"), at: 0).terminatingRule == "c2")
  }

  // MARK: - Match statements

  @Test func byteRegexSizeAndLogicStatements() throws {
    let acl = try Self.acl(
      """
      {"default_action": "allow", "rules": [
        {"name": "word", "priority": 1, "action": "count", "labels": ["m:word"],
         "statement": {"byte_match": {"field": {"query_argument": "q"}, "match": "contains_word", "value": "drop",
                                      "transformations": ["URL_DECODE", "lowercase"]}}},
        {"name": "regex", "priority": 2, "action": "count", "labels": ["m:regex"],
         "statement": {"regex_match": {"field": "query_string", "pattern": "^id=[0-9]+$"}}},
        {"name": "big-body", "priority": 3, "action": "count", "labels": ["m:size"],
         "statement": {"size_constraint": {"field": "body", "comparison": "gt", "size": 8}}},
        {"name": "not-get", "priority": 4, "action": "count", "labels": ["m:not"],
         "statement": {"not": {"or": [{"byte_match": {"field": "method", "match": "exactly", "value": "GET"}},
                                     {"byte_match": {"field": "method", "match": "exactly", "value": "HEAD"}}]}}}
      ]}
      """, name: "test.json")
    #expect(acl.evaluate(Self.request("/s?q=Please%20DROP%20it"), at: 0).labels == ["m:word"])
    #expect(acl.evaluate(Self.request("/s?q=dropped"), at: 0).labels == [])
    #expect(acl.evaluate(Self.request("/s?id=42"), at: 0).labels == ["m:regex"])
    #expect(acl.evaluate(Self.request("/s?id=42x"), at: 0).labels == [])
    #expect(acl.evaluate(Self.request("/p", method: "POST", body: "123456789"), at: 0).labels == ["m:size", "m:not"])
    #expect(acl.evaluate(Self.request("/p", method: "POST", body: "1234"), at: 0).labels == ["m:not"])
  }

  @Test func ipSetWithForwardedHeaderPositionsAndFallback() throws {
    let acl = try Self.acl(
      """
      default_action: allow
      rules:
        - name: first
          priority: 1
          statement:
            ip_set:
              addresses: [198.51.100.0/24, "2001:db8::/32"]
              forwarded_ip: {header: X-Forwarded-For, position: first, fallback: no_match}
          action: count
          labels: [ip:first]
        - name: any
          priority: 2
          statement:
            ip_set:
              addresses: [203.0.113.7]
              forwarded_ip: {header: X-Forwarded-For, position: any, fallback: match}
          action: count
          labels: [ip:any]
        - name: peer
          priority: 3
          statement: {ip_set: {addresses: ["192.0.2.0/24"]}}
          action: count
          labels: [ip:peer]
      """)
    let xff = { (value: String) in [HTTPHeader("X-Forwarded-For", value)] }
    #expect(acl.evaluate(Self.request(ip: "10.0.0.1", headers: xff("198.51.100.9, 203.0.113.7")), at: 0).labels == ["ip:first", "ip:any"])
    #expect(acl.evaluate(Self.request(ip: "10.0.0.1", headers: xff("2001:db8::1")), at: 0).labels == ["ip:first"])
    // Missing header: `first` falls back to no match, `any` to match; the peer rule uses the socket.
    #expect(acl.evaluate(Self.request(ip: "192.0.2.5"), at: 0).labels == ["ip:any", "ip:peer"])
    // An invalid first entry is a fallback too.
    #expect(acl.evaluate(Self.request(ip: "10.0.0.1", headers: xff("unknown, 198.51.100.9")), at: 0).labels == [])
    // IPv4-mapped peers match IPv4 prefixes.
    #expect(acl.evaluate(Self.request(ip: "::ffff:192.0.2.5"), at: 0).labels.contains("ip:peer"))
  }

  @Test func ipReputationNamesTheMatchingList() throws {
    let directory = Self.temporaryDirectory()
    Self.writeFile(directory + "/bad.netset", "# test\n198.51.100.0/24\n2001:db8::/32 ; doc range\n")
    Self.writeFile(
      directory + "/acl.yaml",
      """
      default_action: allow
      rules:
        - name: reputation
          statement: {ip_reputation: {lists: [bad.netset]}}
          action: block
      """)
    let acl = try WebACL.load(path: directory + "/acl.yaml")
    let result = acl.evaluate(Self.request(ip: "2001:db8::7"), at: 0)
    #expect(result.terminatingRule == "reputation")
    #expect(result.matchedRules.first?.lists == ["bad"])
    #expect(acl.evaluate(Self.request(ip: "192.0.2.1"), at: 0).action == .allow)
  }

  @Test func ipSetFileAndBadListErrors() throws {
    let directory = Self.temporaryDirectory()
    Self.writeFile(directory + "/office.txt", "10.1.0.0/16\n2001:db8:cafe::/48\n")
    Self.writeFile(directory + "/broken.netset", "10.0.0.0/8\nnot-an-address\n")
    Self.writeFile(
      directory + "/ok.yaml",
      """
      default_action: block
      rules:
        - {name: office, statement: {ip_set: {file: office.txt, addresses: [192.0.2.9]}}, action: allow}
      """)
    let acl = try WebACL.load(path: directory + "/ok.yaml")
    #expect(acl.evaluate(Self.request(ip: "10.1.2.3"), at: 0).action == .allow)
    #expect(acl.evaluate(Self.request(ip: "2001:db8:cafe::1"), at: 0).action == .allow)
    #expect(acl.evaluate(Self.request(ip: "192.0.2.9"), at: 0).action == .allow)
    #expect(acl.evaluate(Self.request(ip: "10.2.0.1"), at: 0).action == .block(nil))
    Self.writeFile(
      directory + "/bad.yaml",
      """
      default_action: allow
      rules:
        - {name: r, statement: {ip_reputation: {lists: [broken.netset]}}, action: block}
      """)
    do throws(Diagnostic) {
      _ = try WebACL.load(path: directory + "/bad.yaml")
      Issue.record("expected an error")
    } catch {
      // The list's own position, and where the web ACL refers to it.
      #expect(error.description.hasPrefix(directory + "/broken.netset:2:1: waf_ip_list_error"))
      #expect(error.notes.contains { $0.hasPrefix("referenced at " + directory + "/bad.yaml:3:") })
    }
  }

  // MARK: - Rate-based rules

  static let rateACL = """
    default_action: allow
    rules:
      - name: limit
        statement:
          rate_based:
            limit: 3
            window: 60
            buckets: 60
            scope_down: {byte_match: {field: uri_path, match: starts_with, value: /api/}}
        action: block
    """

  @Test func windowBoundaries() throws {
    let acl = try Self.acl(Self.rateACL)
    // One-second buckets: requests at 1000.x count until the window has fully passed them.
    for time in [1000.1, 1000.2, 1000.3] {
      #expect(acl.evaluate(Self.request("/api/a"), at: time).action == .allow)
    }
    let fourth = acl.evaluate(Self.request("/api/a"), at: 1000.9)
    #expect(fourth.terminatingRule == "limit")
    #expect(fourth.rateCounts == [ACLRateCount(rule: "limit", key: "192.0.2.1", count: 4, limit: 3, limited: true)])
    // 59.x s later the 1000 bucket is still in the window (limited requests count too).
    #expect(acl.evaluate(Self.request("/api/a"), at: 1059.99).rateCounts.first?.count == 5)
    // At 1060 the 1000 bucket has left: only the request at 1059.99 and this one remain.
    let later = acl.evaluate(Self.request("/api/a"), at: 1060.0)
    #expect(later.action == .allow)
    #expect(later.rateCounts.first?.count == 2)
  }

  @Test func bucketedWindowStaysWithinTheDocumentedBound() throws {
    // 10 buckets of 30 s for a 300 s window: a request is never counted after 300 s, and is
    // always counted for the first 270 s.
    let acl = try Self.acl(
      """
      default_action: allow
      rules:
        - {name: r, statement: {rate_based: {limit: 100, window: 300}}, action: count}
      """)
    _ = acl.evaluate(Self.request(), at: 3000)  // bucket [3000, 3030)
    #expect(acl.evaluate(Self.request(), at: 3269.9).rateCounts.first?.count == 2)  // < 270 s: counted
    #expect(acl.evaluate(Self.request(), at: 3300).rateCounts.first?.count == 2)  // 300 s: gone (3269.9 and this)
  }

  @Test func scopeDownDecidesWhatCounts() throws {
    let acl = try Self.acl(Self.rateACL)
    for _ in 0..<10 {
      let outside = acl.evaluate(Self.request("/static/x"), at: 50)
      #expect(outside.action == .allow)
      #expect(outside.rateCounts.isEmpty)
    }
    #expect(acl.evaluate(Self.request("/api/x"), at: 50).rateCounts.first?.count == 1)
  }

  @Test func aggregationKeys() throws {
    let acl = try Self.acl(
      """
      default_action: allow
      rules:
        - name: per-forwarded
          priority: 1
          statement:
            rate_based:
              limit: 1
              window: 120
              aggregate: forwarded_ip
              forwarded_ip: {header: X-Real-IP, fallback: no_match}
          action: count
        - name: per-key-and-method
          priority: 2
          statement:
            rate_based:
              limit: 1
              window: 600
              aggregate: custom_keys
              custom_keys:
                - header: {name: X-Api-Key, transformations: [lowercase]}
                - http_method
                - query_argument: {name: tenant}
                - cookie: {name: session}
          action: count
      """)
    let headers = { (key: String) in
      [HTTPHeader("X-Api-Key", key), HTTPHeader("X-Real-IP", "203.0.113.4"), HTTPHeader("Cookie", "a=1; session=s1")]
    }
    let first = acl.evaluate(Self.request("/x?tenant=t1", headers: headers("ABC")), at: 10)
    #expect(
      first.rateCounts.map(\.key) == [
        "203.0.113.4", "header:x-api-key=abc | http_method=GET | query_argument:tenant=t1 | cookie:session=s1",
      ])
    // The same key in another case is the same aggregation instance after the transformation.
    let second = acl.evaluate(Self.request("/x?tenant=t1", headers: headers("abc")), at: 11)
    #expect(second.rateCounts.map(\.count) == [2, 2])
    #expect(second.matchedRules.map(\.rule) == ["per-forwarded", "per-key-and-method"])
    // Another method is another instance.
    #expect(acl.evaluate(Self.request("/x?tenant=t1", method: "POST", headers: headers("abc")), at: 12).rateCounts.last?.count == 1)
    // A request without one of the custom keys is not counted by that rule.
    let missing = acl.evaluate(Self.request("/x", headers: headers("abc")), at: 13)
    #expect(missing.rateCounts.map(\.rule) == ["per-forwarded"])
    // Without the forwarded header (fallback no_match) the forwarded rule does not count either.
    #expect(acl.evaluate(Self.request("/x"), at: 14).rateCounts.isEmpty)
  }

  @Test func labelNamespaceKeyAndInjectedClock() throws {
    final class Clock: @unchecked Sendable {
      var now = 500.0
    }
    let clock = Clock()
    let acl = try Self.acl(
      """
      default_action: allow
      rules:
        - name: tier
          priority: 1
          statement: {byte_match: {field: {header: x-tier}, match: exactly, value: gold}}
          action: count
          labels: ["tier:gold"]
        - name: per-tier
          priority: 2
          statement:
            rate_based: {limit: 2, window: 60, aggregate: custom_keys, custom_keys: [{label_namespace: {namespace: "tier:"}}]}
          action: block
      """, options: WebACL.Options(clock: { clock.now }))
    let gold = Self.request(headers: [HTTPHeader("X-Tier", "gold")])
    #expect(acl.evaluate(gold).rateCounts.first?.key == "label_namespace:tier:=tier:gold")
    #expect(acl.evaluate(gold).action == .allow)
    #expect(acl.evaluate(gold).terminatingRule == "per-tier")
    clock.now += 61
    #expect(acl.evaluate(gold).action == .allow)
    // No label in the namespace: not counted.
    #expect(acl.evaluate(Self.request()).rateCounts.isEmpty)
  }

  @Test func redisFailureModesWhenUnreachable() throws {
    for (mode, limited) in [("fail_closed", true), ("fail_open", false)] {
      let acl = try Self.acl(
        """
        default_action: allow
        redis: {address: "127.0.0.1:1", timeout_ms: 20, failure_mode: \(mode)}
        rules:
          - {name: r, statement: {rate_based: {limit: 100, window: 60}}, action: block}
        """)
      let result = acl.evaluate(Self.request(), at: 100)
      #expect(result.rateCounts.first?.limited == limited)
      #expect(result.rateCounts.first?.degraded != nil)
      #expect((result.terminatingRule == "r") == limited)
    }
  }

  // MARK: - Managed CRS overrides

  @Test func managedOverridesRunBeforeTheCRSRules() throws {
    let directory = Self.temporaryDirectory()
    // A stand-in for CRS: setup actions, then an "initialization" rule that blocks when the
    // paranoia level it sees is 2 or more.
    Self.writeFile(
      directory + "/mini-crs.conf",
      """
      SecRuleEngine On
      SecAction "id:900000,phase:1,pass,nolog,setvar:tx.paranoia_level=1"
      SecRule TX:paranoia_level "@ge 2" "id:901000,phase:1,deny,status:403,log,msg:'PL %{tx.paranoia_level}'"
      SecRule TX:inbound_anomaly_score_threshold "@eq 7" "id:901001,phase:1,pass,log,msg:'threshold 7'"

      """)
    let yaml = { (pl: Int) in
      """
      default_action: allow
      rules:
        - name: crs
          statement: {managed: {group: crs, config: mini-crs.conf, paranoia_level: \(pl), inbound_anomaly_threshold: 7}}
          action: block
      """
    }
    Self.writeFile(directory + "/pl1.yaml", yaml(1))
    Self.writeFile(directory + "/pl2.yaml", yaml(2))
    let pl1 = try WebACL.load(path: directory + "/pl1.yaml").evaluate(Self.request(), at: 0)
    #expect(pl1.action == .allow)
    let pl2 = try WebACL.load(path: directory + "/pl2.yaml").evaluate(Self.request(), at: 0)
    #expect(pl2.terminatingRule == "crs")
    #expect(pl2.matchedRules.first?.managed?.ruleIDs == [901000])
    #expect(pl2.matchedRules.first?.managed?.threshold == 7)
    #expect(ManagedCRSStatement.ruleID(ConfigDirective(name: "SecAction", arguments: ["id:'900990', phase:1"], location: ConfigLocation(file: "x", line: 1))) == 900990)
  }

  // MARK: - Load errors

  @Test func loadErrorsPointAtLineAndColumn() {
    let cases: [(String, String)] = [
      (
        """
        default_action: allow
        rules:
          - name: r
            statment: {byte_match: {field: uri, value: x}}
            action: block
        """, "bad.yaml:4:5: waf_acl_error: unknown key 'statment' in a rule"
      ),
      (
        """
        default_action: allow
        rules:
          - name: r
            statement: {rate_based: {limit: 10, window: 90}}
            action: block
        """, "bad.yaml:4:49: waf_acl_error: window must be one of 60, 120, 300, 600"
      ),
      (
        """
        default_action: allow
        rules:
          - name: r
            statement: {byte_match: {field: uri, value: x}}
            action: deny
        """, "bad.yaml:5:13: waf_acl_error: unknown action 'deny'"
      ),
      ("default_action: count\nrules: []\n", "bad.yaml:1:17: waf_acl_error: default_action must be allow or block"),
      ("default_action: allow\nrules:\n  - name: [unclosed\n", "bad.yaml:4:1: waf_acl_error: YAML:"),
      (
        """
        default_action: allow
        rules:
          - name: r
            statement: {label_match: {scope: namespace, key: "bots"}}
            action: block
        """, "bad.yaml:4:54: waf_acl_error: a label namespace must end with ':'"
      ),
      (
        """
        default_action: allow
        rules:
          - name: r
            statement:
              and:
                - rate_based: {limit: 10}
                - byte_match: {field: uri, value: x}
            action: block
        """, "bad.yaml:6:11: waf_acl_error: rate_based must be a rule's statement"
      ),
      (
        """
        default_action: allow
        rules:
          - name: r
            statement: {ip_set: {addresses: [10.0.0.0/8, 300.1.1.1]}}
            action: block
        """, "bad.yaml:4:50: waf_acl_error: '300.1.1.1' is not an IP address"
      ),
      (
        """
        default_action: allow
        rules:
          - name: r
            statement: {regex_match: {field: uri, pattern: "(unclosed"}}
            action: block
        """, "bad.yaml:4:52: waf_acl_error: pattern does not compile"
      ),
      (
        """
        default_action: allow
        rules:
          - {name: a, priority: 1, statement: {byte_match: {field: uri, value: x}}, action: count}
          - {name: b, priority: 1, statement: {byte_match: {field: uri, value: x}}, action: count}
        """, "bad.yaml:4:5: waf_acl_error: rules 'a' and 'b' have the same priority 1"
      ),
      (
        """
        default_action: allow
        rules:
          - name: r
            statement: {byte_match: {field: uri, value: x, transformations: [URL_DECODE, rot13]}}
            action: block
        """, "bad.yaml:4:82: waf_acl_error: unknown transformation 'rot13'"
      ),
    ]
    for (yaml, expected) in cases {
      let error = Self.loadError(yaml)
      #expect(error?.hasPrefix(expected) == true, "expected \(expected), got \(error ?? "no error")")
    }
  }

  @Test func errorsInsideARuleNameTheRule() {
    do throws(Diagnostic) {
      _ = try Self.acl(
        """
        default_action: allow
        rules:
          - name: orders
            statement: {rate_based: {limit: 0}}
            action: block
        """)
      Issue.record("expected an error")
    } catch {
      #expect(error.notes == ["in rule 'orders'"])
      #expect(error.rendered().contains("^"))
    }
  }

  // MARK: - The shipped web ACL and the example replay

  @Test func examplesReplayReproducesTheExpectedVerdicts() throws {
    let root = Self.repositoryRoot
    guard access("/usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf", R_OK) == 0 else {
      print("WebACLTests: skipping the examples/waf replay: Debian's modsecurity-crs is not installed")
      return
    }
    let acl = try WebACL.load(path: root + "/rules/waf/arctiq-acl.yaml")
    #expect(acl.ruleNames == ["ip-reputation", "orders-rate-limit", "owasp-crs"])
    let log = try SourceFile.read(path: root + "/examples/waf/access.jsonl", limits: Limits(maxInputBytes: 1 << 28))
    let expected = try SourceFile.read(path: root + "/examples/waf/expected-verdicts.jsonl", limits: Limits(maxInputBytes: 1 << 28))
    let requests = log.bytes.split(separator: 0x0A)
    let verdicts = expected.bytes.split(separator: 0x0A)
    #expect(requests.count == verdicts.count)
    var mismatches = 0
    for (index, (line, verdictLine)) in zip(requests, verdicts).enumerated() {
      let request = try HTTPRequest(json: try JSON.parse(SourceFile(name: "access.jsonl:\(index + 1)", bytes: Array(line))))
      let want = try JSON.parse(SourceFile(name: "expected-verdicts.jsonl:\(index + 1)", bytes: Array(verdictLine)))
      let result = acl.evaluate(request)
      let wantRule = want["rule"].stringValue
      let wantStatus: Int? = { if case .number(let n) = want["status"] { return n.intValue } else { return nil } }()
      if result.action.name != want["action"].stringValue || result.terminatingRule != wantRule || result.blockStatus != wantStatus {
        mismatches += 1
        if mismatches <= 10 {
          Issue.record(
            "line \(index + 1): expected \(want["action"].stringValue ?? "?") by \(wantRule ?? "default"), got \(result.action) by \(result.terminatingRule ?? "default") \(result.rateCounts)"
          )
        }
      }
    }
    #expect(mismatches == 0)
  }
}

/// Two web ACL instances (two replicas of a service) sharing one rate limit through a real
/// `redis-server` on loopback, and the configured failure mode once it is stopped.
@Suite(.enabled(if: RedisServer.available, "redis-server is not installed; web ACL Redis tests skipped"))
struct WebACLRedisTests {
  static func yaml(port: Int, mode: String, prefix: String) -> String {
    """
    name: replicas
    default_action: allow
    redis: {address: "127.0.0.1:\(port)", timeout_ms: 200, failure_mode: \(mode), key_prefix: "\(prefix)"}
    rules:
      - name: orders
        statement:
          rate_based:
            limit: 50
            window: 60
            scope_down: {byte_match: {field: uri_path, match: starts_with, value: /api/orders}}
        action: {block: {status: 429}}
    """
  }

  @Test func replicasShareOneLimitAndFollowTheFailureMode() throws {
    let server = try RedisServer()
    let text = Self.yaml(port: server.port, mode: "fail_closed", prefix: "webacl-test:")
    let replicas = try (0..<2).map { index in
      try WebACL.load(SourceFile(name: "replica\(index).yaml", text: text))
    }
    let request = HTTPRequest(clientAddress: "198.51.100.7", uri: "/api/orders")
    var allowed = 0
    for n in 0..<80 {
      let result = replicas[n % 2].evaluate(request, at: 1_800_000_000 + Double(n) / 10)
      #expect(result.rateCounts.first?.degraded == nil)
      if result.action == .allow { allowed += 1 }
    }
    #expect(allowed == 50)  // together, exactly the limit (one burst well inside one bucket)
    #expect(replicas[1].evaluate(request, at: 1_800_000_008).rateCounts.first?.count == 81)
    server.stop()
    let down = replicas[0].evaluate(request, at: 1_800_000_009)
    #expect(down.rateCounts.first?.degraded == .failClosed)
    #expect(down.blockStatus == 429)
    // Out of scope requests never touch Redis.
    #expect(replicas[0].evaluate(HTTPRequest(uri: "/static/a.css"), at: 1_800_000_009).action == .allow)
  }
}
