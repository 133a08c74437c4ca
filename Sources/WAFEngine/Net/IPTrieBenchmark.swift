/// The IP prefix trie benchmark: build a trie from random mixed IPv4/IPv6 prefixes, then time
/// longest-prefix lookups on one core, one at a time and in batches. The `bench` CLI prints the
/// result.
///
/// Data is deterministic for a seed. Prefixes are 60% IPv4 (40% `/32`, 35% `/24`, the rest `/8`
/// to `/31`, like FireHOL and Spamhaus lists) and 40% IPv6 inside `2000::/3` (30% `/48`, 30% `/64`,
/// 20% `/128`, the rest `/16` to `/63`). Lookups cycle over 2^20 pre-generated addresses, half
/// IPv4 and half IPv6, half of them drawn inside a listed prefix and half uniformly at random.
public enum IPTrieBenchmark {
  /// What one run measured.
  public struct Result: Sendable, CustomStringConvertible {
    /// Prefixes generated (duplicates collapse, see `distinctPrefixes`).
    public var prefixes: Int
    /// Distinct prefixes in the trie.
    public var distinctPrefixes: Int
    /// Trie nodes (prefixes plus branch points).
    public var nodes: Int
    /// Seconds to insert every prefix and build the jump tables.
    public var buildSeconds: Double
    /// Bytes the trie's arrays hold (capacity).
    public var trieBytes: Int
    /// Growth of the resident set across the build (`/proc/self/statm`), in bytes.
    public var residentBytesDelta: Int
    /// Lookups timed.
    public var lookups: Int
    /// Lookups that found a prefix.
    public var matched: Int
    /// Seconds the lookups took (monotonic clock), one `longestMatch` call per address.
    public var lookupSeconds: Double
    /// Seconds the same number of lookups took through `longestMatches` (eight in flight).
    public var batchedLookupSeconds: Double

    /// Single lookups per second on one core.
    public var lookupsPerSecond: Double { lookupSeconds > 0 ? Double(lookups) / lookupSeconds : 0 }
    /// Batched lookups per second on one core.
    public var batchedLookupsPerSecond: Double {
      batchedLookupSeconds > 0 ? Double(lookups) / batchedLookupSeconds : 0
    }

    public var description: String {
      let rate = (lookupsPerSecond / 1e5).rounded() / 10
      let batched = (batchedLookupsPerSecond / 1e5).rounded() / 10
      let build = (buildSeconds * 1000).rounded() / 1000
      return "ip trie: \(distinctPrefixes) prefixes, \(nodes) nodes, build \(build) s, "
        + "\(trieBytes >> 20) MiB arrays, RSS +\(residentBytesDelta >> 20) MiB; "
        + "\(lookups) lookups (\(matched) matched) at \(rate)M/s single, \(batched)M/s batched"
    }
  }

  /// Runs the benchmark.
  /// - Parameters:
  ///   - prefixes: how many prefixes to generate (mixed IPv4/IPv6).
  ///   - lookups: how many lookups to time.
  ///   - seed: the generator seed; the same seed gives the same data.
  public static func run(prefixes: Int = 1_000_000, lookups: Int = 20_000_000, seed: UInt64 = 42) -> Result {
    var random = SplitMix64(seed: seed)
    let generated = (0..<max(prefixes, 1)).map { _ in randomPrefix(&random) }
    var addresses: [IPAddress] = []
    let addressCount = 1 << 20
    addresses.reserveCapacity(addressCount)
    for index in 0..<addressCount {
      if random.next() & 1 == 0 {
        // Inside a listed prefix: random host bits under a random generated prefix.
        let prefix = generated[Int(random.next() % UInt64(generated.count))]
        let host = randomBits(&random, prefix.address.bitWidth) & ~IPPrefix.mask(
          length: prefix.length, bitWidth: prefix.address.bitWidth)
        addresses.append(IPAddress(rawValue: prefix.address.value | host, family: prefix.address.family))
      } else if index & 1 == 0 {
        addresses.append(IPAddress(v4: UInt32(truncatingIfNeeded: random.next())))
      } else {
        let bits = randomBits(&random, 128) >> 3 | (UInt128(1) << 125)
        addresses.append(IPAddress(rawValue: bits, family: .v6))
      }
    }

    let residentBefore = residentBytes()
    let buildStart = monotonicSeconds()
    var trie = IPPrefixTrie()
    for (index, prefix) in generated.enumerated() { trie.insert(prefix, value: Int32(truncatingIfNeeded: index)) }
    trie.optimize()
    let buildSeconds = monotonicSeconds() - buildStart
    let residentDelta = residentBytes() - residentBefore

    var matched = 0
    let mask = addressCount - 1
    let lookupStart = monotonicSeconds()
    addresses.withUnsafeBufferPointer { addresses in
      for index in 0..<lookups where trie.longestMatch(addresses[index & mask]) != nil {
        matched += 1
      }
    }
    let lookupSeconds = monotonicSeconds() - lookupStart

    var results = [Int32](repeating: -1, count: addressCount)
    var batchedMatched = 0
    let batchedStart = monotonicSeconds()
    var done = 0
    addresses.withUnsafeBufferPointer { addresses in
      results.withUnsafeMutableBufferPointer { results in
        while done < lookups {
          let size = min(addressCount, lookups - done)
          trie.longestMatches(UnsafeBufferPointer(rebasing: addresses[0..<size]), into: results)
          for index in 0..<size where results[index] >= 0 { batchedMatched += 1 }
          done += size
        }
      }
    }
    let batchedLookupSeconds = monotonicSeconds() - batchedStart

    return Result(
      prefixes: generated.count, distinctPrefixes: trie.count, nodes: trie.nodeCount,
      buildSeconds: buildSeconds, trieBytes: trie.memoryBytes, residentBytesDelta: residentDelta,
      lookups: lookups, matched: matched, lookupSeconds: lookupSeconds,
      batchedLookupSeconds: batchedLookupSeconds + (batchedMatched == matched ? 0 : .nan))
  }

  static func randomBits(_ random: inout SplitMix64, _ width: Int) -> UInt128 {
    let bits = UInt128(random.next()) << 64 | UInt128(random.next())
    return width == 128 ? bits : bits & ((UInt128(1) << width) - 1)
  }

  static func randomPrefix(_ random: inout SplitMix64) -> IPPrefix {
    let roll = random.next() % 100
    if roll < 60 {
      let kind = random.next() % 100
      let length = kind < 40 ? 32 : kind < 75 ? 24 : 8 + Int(random.next() % 24)
      return IPPrefix(address: IPAddress(v4: UInt32(truncatingIfNeeded: random.next())), length: length)
    }
    let kind = random.next() % 100
    let length = kind < 30 ? 48 : kind < 60 ? 64 : kind < 80 ? 128 : 16 + Int(random.next() % 48)
    let bits = randomBits(&random, 128) >> 3 | (UInt128(1) << 125)
    return IPPrefix(address: IPAddress(rawValue: bits, family: .v6), length: length)
  }
}
