import ArgumentParser
import PolicyCore
import WAFEngine

#if canImport(Glibc)
  import Glibc
#endif

/// `policy waf bench`: the web ACL layer's benchmarks (release build): IP list lookups over
/// 1,000,000 prefixes, in-memory rate decisions, Redis-backed decisions with pipelining, and a
/// full web ACL check on a request corpus beside the CRS alone.
struct WAFBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time IP lookups, rate decisions (memory, Redis) and full web ACL checks.")

  @Option(help: "Prefixes in the IP list benchmark (mixed IPv4/IPv6).")
  var prefixes = 1_000_000

  @Option(help: "Lookups to time.")
  var lookups = 20_000_000

  @Option(help: "In-memory rate decisions to time.")
  var decisions = 20_000_000

  @Option(help: "Distinct rate keys (repeatable: one in-memory run per count). Default: 10000 and 100000.")
  var keys: [Int] = [10_000, 100_000]

  @Option(help: "Port of a redis-server on 127.0.0.1 for the shared-limit benchmark (skipped when unset).")
  var redisPort: Int?

  @Option(help: "Web ACL to time on the corpus.")
  var acl = "rules/waf/arctiq-acl.yaml"

  @Option(help: "SecLang configuration timed alone on the corpus (the ACL's managed CRS).")
  var config = "rules/waf/crs-debian.conf"

  @Option(help: "Request corpus (JSON lines) for the full-check comparison; skipped when missing.")
  var corpus = "../shared/conformance/waf/benign.jsonl"

  func run() throws {
    // In-memory rate decisions first, in a fresh heap: at 100k keys a decision is bound by
    // memory latency, and after the IP list's 65 MiB trie is freed the rate tables less often
    // get the huge pages they ask for (9.7-11.0 M/s measured in that order, 12.5-14.0 M/s first).
    for count in keys {
      let memory = RateLimitBenchmark.runInMemory(decisions: decisions, keys: count)
      print(String(format: "rate decisions in memory (%d keys): %.2f M/s", memory.keys, memory.decisionsPerSecond / 1e6))
    }
    let trie = IPTrieBenchmark.run(prefixes: prefixes, lookups: lookups)
    print("ip list: \(trie.prefixes) prefixes (\(trie.distinctPrefixes) distinct), \(trie.nodes) nodes")
    print(String(format: "  build %.2f s, trie %.1f MiB, resident +%.1f MiB", trie.buildSeconds,
      Double(trie.trieBytes) / 1_048_576, Double(trie.residentBytesDelta) / 1_048_576))
    print(String(format: "  lookups: %.2f M/s single, %.2f M/s batched", trie.lookupsPerSecond / 1e6, trie.batchedLookupsPerSecond / 1e6))
    if let redisPort {
      if let redis = RateLimitBenchmark.runRedis(port: redisPort, decisions: 200_000, batch: 64) {
        print(String(format: "rate decisions on redis (pipelined, batch 64): %.0f /s", redis.decisionsPerSecond))
      } else {
        print("rate decisions on redis: skipped (no server answers on 127.0.0.1:\(redisPort))")
      }
      if let single = RateLimitBenchmark.runRedis(port: redisPort, decisions: 20_000, batch: 1) {
        print(String(format: "rate decisions on redis (one round trip each): %.0f /s", single.decisionsPerSecond))
      }
    } else {
      print("rate decisions on redis: skipped (pass --redis-port)")
    }
    guard access(corpus, R_OK) == 0 else {
      print("full web ACL check: skipped (corpus \(corpus) not found)")
      return
    }
    let file = try SourceFile.read(path: corpus, limits: Limits(maxInputBytes: 1 << 30))
    var requests: [HTTPRequest] = []
    for line in file.bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
      requests.append(try HTTPRequest(json: try JSON.parse(SourceFile(name: corpus, bytes: Array(line)))))
    }
    let ruleSet = try WAFRuleSet.load(path: config)
    let webACL = try WebACL.load(path: acl)
    func time(_ body: (HTTPRequest, Int) -> Void) -> Double {
      for (i, r) in requests.enumerated() { body(r, i) }  // warm-up
      var best = Double.infinity
      for _ in 0..<3 {
        let start = now()
        for (i, r) in requests.enumerated() { body(r, i) }
        best = min(best, now() - start)
      }
      return Double(requests.count) / best
    }
    let crsAlone = time { r, _ in _ = ruleSet.evaluate(r) }
    // Requests get distinct times one millisecond apart so the rate rule sees a steady stream.
    let full = time { r, i in _ = webACL.evaluate(r, at: 1_700_000_000 + Double(i) / 1000) }
    print(String(format: "full web ACL check (IP list + rate rule + CRS): %.0f requests/s; CRS alone: %.0f requests/s (%d requests, best of 3)",
      full, crsAlone, requests.count))
  }

  private func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}
