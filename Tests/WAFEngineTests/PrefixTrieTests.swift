import Testing

@testable import WAFEngine

@Suite struct PrefixTrieTests {
  private func prefix(_ text: String) -> IPPrefix {
    do { return try IPPrefix(parsing: text) } catch {
      Issue.record("bad prefix \(text)")
      return IPPrefix(host: IPAddress(v4: 0))
    }
  }

  @Test func longestPrefixWins() throws {
    var trie = IPPrefixTrie()
    trie.insert(prefix("10.0.0.0/8"), value: 1)
    trie.insert(prefix("10.1.0.0/16"), value: 2)
    trie.insert(prefix("10.1.2.3"), value: 3)
    trie.insert(prefix("2001:db8::/32"), value: 4)
    trie.insert(prefix("0.0.0.0/0"), value: 0)
    #expect(trie.longestMatch(IPAddress("10.1.2.3")!) == 3)
    #expect(trie.longestMatch(IPAddress("10.1.2.4")!) == 2)
    #expect(trie.longestMatch(IPAddress("10.2.0.1")!) == 1)
    #expect(trie.longestMatch(IPAddress("11.0.0.1")!) == 0)
    #expect(trie.longestMatch(IPAddress("2001:db8::1")!) == 4)
    #expect(trie.longestMatch(IPAddress("2001:db9::1")!) == nil)
    #expect(trie.matches(IPAddress("10.1.2.3")!) == [0, 1, 2, 3])
    #expect(trie.contains(IPAddress("::ffff:10.9.9.9")!))
    #expect(trie.count == 5)
  }

  @Test func replacingAPayloadKeepsTheCount() {
    var trie = IPPrefixTrie()
    trie.insert(prefix("10.0.0.0/8"), value: 1)
    trie.insert(prefix("10.0.0.0/8"), value: 7)
    #expect(trie.count == 1)
    #expect(trie.longestMatch(IPAddress("10.3.3.3")!) == 7)
  }

  /// Random prefixes and addresses, checked against a linear scan; with enough prefixes to build
  /// the jump tables, and again with few (no tables) so both lookup paths are covered.
  @Test(arguments: [(UInt64(1), 20_000), (UInt64(2), 300), (UInt64(3), 6_000)])
  func matchesBruteForce(seed: UInt64, count: Int) {
    var random = SplitMix64(seed: seed)
    var prefixes: [IPPrefix] = []
    for _ in 0..<count {
      // Short lengths are common so that prefixes nest and share paths; a narrow address space
      // (first octet 10..13, 2001:db8::/30) makes random addresses actually hit them.
      if random.next() & 1 == 0 {
        let length = Int(random.next() % 33)
        let bits = UInt32(truncatingIfNeeded: random.next()) & 0x03FF_FFFF | 0x0A00_0000
        prefixes.append(IPPrefix(address: IPAddress(v4: bits), length: length))
      } else {
        let length = Int(random.next() % 129)
        let bits = IPTrieBenchmark.randomBits(&random, 128) >> 30 | (UInt128(0x2001_0db8) << 96)
        prefixes.append(IPPrefix(address: IPAddress(rawValue: bits, family: .v6), length: length))
      }
    }
    var trie = IPPrefixTrie()
    var payload: [IPPrefix: Int32] = [:]
    for (index, prefix) in prefixes.enumerated() {
      trie.insert(prefix, value: Int32(index))
      payload[prefix] = Int32(index)
    }
    trie.optimize()
    #expect(trie.count == payload.count)
    let distinct = Array(payload.keys)
    var hits = 0
    var probes: [IPAddress] = []
    for round in 0..<5_000 {
      let address: IPAddress
      if round % 3 == 0, let base = distinct.randomElement(using: &random) {
        let host = IPTrieBenchmark.randomBits(&random, base.address.bitWidth)
          & ~IPPrefix.mask(length: base.length, bitWidth: base.address.bitWidth)
        address = IPAddress(rawValue: base.address.value | host, family: base.address.family)
      } else if round & 1 == 0 {
        address = IPAddress(v4: UInt32(truncatingIfNeeded: random.next()) & 0x03FF_FFFF | 0x0A00_0000)
      } else {
        let bits = IPTrieBenchmark.randomBits(&random, 128) >> 30 | (UInt128(0x2001_0db8) << 96)
        address = IPAddress(rawValue: bits, family: .v6)
      }
      let covering = distinct.filter { $0.contains(address) }.sorted { $0.length < $1.length }
      let expected = covering.last.flatMap { payload[$0] }
      #expect(trie.longestMatch(address) == expected, "\(address)")
      #expect(trie.contains(address) == !covering.isEmpty)
      #expect(trie.matches(address) == covering.compactMap { payload[$0] })
      if expected != nil { hits += 1 }
      probes.append(address)
    }
    #expect(hits > 1_000)
    // The batched lookup gives the same answers.
    var batched = [Int32](repeating: -2, count: probes.count)
    probes.withUnsafeBufferPointer { input in
      batched.withUnsafeMutableBufferPointer { output in trie.longestMatches(input, into: output) }
    }
    #expect(batched == probes.map { trie.longestMatch($0) ?? -1 })
  }

  @Test func benchmarkRunsSmall() {
    let result = IPTrieBenchmark.run(prefixes: 10_000, lookups: 100_000, seed: 7)
    #expect(result.distinctPrefixes > 9_000)
    #expect(result.matched > 0 && result.matched < result.lookups)
    #expect(result.lookupsPerSecond > 0)
    #expect(result.batchedLookupsPerSecond > 0)  // NaN if batched and single lookups disagreed
  }
}
