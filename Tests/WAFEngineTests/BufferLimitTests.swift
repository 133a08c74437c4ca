import Testing

@testable import WAFEngine

/// What finished transactions keep for the next ones is bounded, and the TX buffer's limit
/// counts live bytes only.
@Suite("WAF buffer limits")
struct BufferLimitTests {
  @Test("an arena keeps at most eight standard chunks and no large ones")
  func arenaReset() {
    var arena = ByteArena()
    for _ in 0..<100 { _ = arena.allocate(UInt8.self, count: 6_000) }
    _ = arena.allocate(UInt8.self, count: 1_000_000)
    arena.reset()
    #expect(arena.spareChunkCount == 8)
    let span = arena.store(Array("after".utf8))
    #expect(span.array == Array("after".utf8))
    arena.releaseAll()
    #expect(arena.spareChunkCount == 0)
  }

  @Test("pooled buffers drop what a transaction grew past the caps")
  func pooledCaps() {
    var buffers = TransactionBuffers()
    buffers.expansion = [UInt8](repeating: 1, count: 1 << 20)
    buffers.candidates.reserveCapacity(100_000)
    for key in 0..<20_000 { buffers.transformationCache.insert(.empty, for: UInt64(key)) }
    buffers.reset()
    #expect(buffers.expansion.capacity <= TransactionBuffers.keptBytes)
    #expect(buffers.candidates.capacity <= TransactionBuffers.keptCandidates)
    #expect(buffers.transformationCache.capacity <= TransactionBuffers.keptTableSlots)
    buffers.release()
  }

  @Test("a table emptied and grown again keeps only new keys")
  func tableGrowAfterReset() {
    var table = IntegerKeyedTable(initialCapacity: 4, filler: -1)
    for key in 0..<10 { table.insert(Int(key), for: UInt64(key)) }
    table.removeAll()
    for key in 100..<200 { table.insert(Int(key), for: UInt64(key)) }
    #expect(table.value(for: 5) == nil)
    #expect(table.value(for: 150) == 150)
  }

  @Test("rewriting a large variable compacts instead of hitting the limit")
  func largeRewrites() {
    var tx = WritableCollection()
    let size = 20 << 20
    for round in 1...4 {
      tx.set("b", [UInt8](repeating: UInt8(round), count: size))
      #expect(tx["b"]?.first == UInt8(round))
    }
    #expect(tx.storage.count <= WritableCollection.storageLimit)
  }

  @Test("a variable doubled by its own macro stops at the limit without failing")
  func doublingStops() throws {
    var config = "SecRuleEngine DetectionOnly\nSecAction \"id:1,phase:1,pass,nolog,setvar:tx.x=0123456789abcdef\"\n"
    for id in 2...40 { config += "SecAction \"id:\(id),phase:1,pass,nolog,setvar:tx.x=%{tx.x}%{tx.x}\"\n" }
    let rules = try WAFRuleSet.load(text: config, name: "double.conf")
    let result = rules.evaluate(HTTPRequest(method: "GET", uri: "/", headers: [HTTPHeader("Host", "example.test")]))
    let length = result.transactionVariable("x")?.utf8.count ?? 0
    #expect(length > 1 << 20 && length <= WritableCollection.storageLimit)
  }
}

/// Which responses have their bodies inspected: the Content-Type's media type, found as
/// ModSecurity finds it.
@Suite("WAF response media type")
struct ResponseMediaTypeTests {
  static let config = """
    SecRuleEngine DetectionOnly
    SecResponseBodyAccess On
    SecResponseBodyMimeType text/plain text/html
    SecRule RESPONSE_BODY "@contains secret" "id:1,phase:4,pass,log,msg:'body'"
    """

  static func inspected(_ contentType: String) throws -> Bool {
    let rules = try WAFRuleSet.load(text: config, name: "mime.conf")
    let request = HTTPRequest(method: "GET", uri: "/", headers: [HTTPHeader("Host", "example.test")])
    let response = HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", contentType)], body: Array("a secret".utf8))
    return rules.evaluate(request, response: response).matches.contains { $0.ruleID == 1 }
  }

  @Test("media types with parameters, spaces, case and empty pieces")
  func mediaTypes() throws {
    #expect(try Self.inspected("text/html"))
    #expect(try Self.inspected(" Text/HTML ; charset=utf-8"))
    #expect(try Self.inspected(";text/plain"))
    #expect(try Self.inspected("text/html\r\n"))
    #expect(try !Self.inspected("application/json"))
    #expect(try !Self.inspected(""))
    #expect(try !Self.inspected(";;"))
    #expect(try !Self.inspected("   "))
  }
}
