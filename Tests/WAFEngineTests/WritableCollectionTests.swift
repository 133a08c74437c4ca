import Testing

@testable import WAFEngine

/// TX and the other writable collections keep keys and values in one byte buffer; rewrites
/// append and the buffer is compacted when abandoned values dominate.
@Suite("WAF writable collections")
struct WritableCollectionTests {
  static func text(_ collection: WritableCollection, _ key: String) -> String? {
    collection[key].map { String(decoding: $0, as: UTF8.self) }
  }

  @Test("set, add and remove keep insertion order and last values")
  func setAddRemove() {
    var tx = WritableCollection()
    tx.set("a", Array("one".utf8))
    tx.set("b", Array("2".utf8))
    tx.add(keyBytes: Array("b".utf8), hash: Array("b".utf8).withUnsafeBufferPointer { WritableCollection.hash($0) }, 5, subtracting: nil)
    tx.add(keyBytes: Array("c".utf8), hash: Array("c".utf8).withUnsafeBufferPointer { WritableCollection.hash($0) }, nil, subtracting: 3)
    tx.set("a", Array("uno".utf8))
    #expect(Self.text(tx, "a") == "uno")
    #expect(Self.text(tx, "b") == "7")
    #expect(Self.text(tx, "c") == "-3")
    tx.remove("b")
    #expect(tx["b"] == nil)
    var order: [String] = []
    tx.forEach { key, _ in order.append(key) }
    #expect(order == ["a", "c"])
  }

  @Test("decimal text without String, extremes included")
  func decimals() {
    for value in [0, 7, -7, 10, 1234567890, Int.max, Int.min] {
      var out: [UInt8] = []
      WritableCollection.appendDecimal(value, to: &out)
      #expect(String(decoding: out, as: UTF8.self) == String(value))
    }
  }

  @Test("a variable copied from another by a macro, while the buffer grows")
  func copiedThroughMacro() throws {
    let long = String(repeating: "x", count: 5000)
    let config = """
      SecRuleEngine DetectionOnly
      SecAction "id:1,phase:1,pass,nolog,setvar:tx.a=\(long)"
      SecAction "id:2,phase:1,pass,nolog,setvar:tx.b=%{tx.a},setvar:tx.c=%{tx.b}%{tx.a}"
      SecRule TX:c "@streq \(long)\(long)" "id:3,phase:1,pass,nolog"
      SecRule TX:b "@within %{tx.c}" "id:4,phase:1,pass,nolog"
      """
    let rules = try WAFRuleSet.load(text: config, name: "copy.conf")
    let result = rules.evaluate(HTTPRequest(method: "GET", uri: "/", headers: [HTTPHeader("Host", "example.test")]))
    #expect(result.matches.map(\.ruleID) == [1, 2, 3, 4])
    #expect(result.transactionVariable("b")?.count == 5000)
  }

  @Test("rewriting one variable many times keeps the buffer small")
  func compaction() {
    var tx = WritableCollection()
    tx.set("list", [UInt8](repeating: UInt8(ascii: "a"), count: 100))
    let key = Array("score".utf8)
    let hash = key.withUnsafeBufferPointer { WritableCollection.hash($0) }
    for _ in 0..<100_000 { tx.add(keyBytes: key, hash: hash, 5, subtracting: nil) }
    #expect(Self.text(tx, "score") == "500000")
    #expect(tx["list"]?.count == 100)
    #expect(tx.storage.count <= 8192)
  }
}

/// Match texts live in shared fixed blocks; a transaction whose texts outgrow one block starts
/// another, and a text longer than a block gets a block of its own.
@Suite("WAF match texts")
struct MatchTextTests {
  @Test("texts survive across blocks, long ones included")
  func textsAcrossBlocks() throws {
    var config = "SecRuleEngine DetectionOnly\n"
    for id in 1...400 {
      config += "SecRule ARGS:v \"@rx ^(x+)$\" \"id:\(id),phase:2,pass,log,capture,msg:'rule \(id) saw %{TX.1}',logdata:'data \(id)'\"\n"
    }
    let rules = try WAFRuleSet.load(text: config, name: "texts.conf")
    let long = String(repeating: "x", count: 20_000)
    let request = HTTPRequest(method: "GET", uri: "/?v=\(long)", headers: [HTTPHeader("Host", "example.test")])
    let result = rules.evaluate(request)
    #expect(result.matches.count == 400)
    for (index, match) in result.matches.enumerated() {
      #expect(match.message == "rule \(index + 1) saw \(long)")
      #expect(match.data == "data \(index + 1)")
      #expect(match.matchedVariable == "ARGS:v")
      #expect(match.matchedValue == long)
      #expect(match.logged)
    }
  }
}
