import CHiredis
import Foundation
import Testing

@testable import WAFEngine

/// A `redis-server` child process on 127.0.0.1 and a free port, without persistence; stopped
/// (SIGTERM, then wait) by `stop()` or when released.
final class RedisServer: @unchecked Sendable {
  static let path = "/usr/bin/redis-server"
  static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }

  let port: Int
  private let process = Process()
  private var stopped = false

  init() throws {
    port = try RedisServer.freePort()
    process.executableURL = URL(fileURLWithPath: RedisServer.path)
    process.arguments = [
      "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
      "--daemonize", "no", "--loglevel", "warning",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until it accepts connections (startup, not a rate-window test).
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      if let context = redisConnectWithTimeout("127.0.0.1", Int32(port), timeval(tv_sec: 0, tv_usec: 100_000)) {
        let ok = context.pointee.err == 0
        redisFree(context)
        if ok { return }
      }
      usleep(20_000)
    }
    stop()
    throw CocoaError(.fileReadUnknown)
  }

  deinit { stop() }

  func stop() {
    guard !stopped else { return }
    stopped = true
    // SIGKILL: nothing to persist (--save '' --appendonly no), and a SIGTERM can sit blocked in a
    // child of the test runner, which would make the wait below hang.
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  func pause() { kill(process.processIdentifier, SIGSTOP) }
  func resume() { kill(process.processIdentifier, SIGCONT) }

  /// Runs one command on a fresh connection (test setup and inspection).
  func command(_ arguments: [String]) -> String {
    guard let context = redisConnect("127.0.0.1", Int32(port)), context.pointee.err == 0 else { return "" }
    defer { redisFree(context) }
    var cStrings = arguments.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    let lengths = arguments.map { $0.utf8.count }
    let reply = cStrings.withUnsafeMutableBufferPointer { pointers in
      pointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { rebound in
        redisCommandArgv(context, Int32(arguments.count), rebound.baseAddress, lengths)
      }
    }
    guard let reply else { return "" }
    defer { freeReplyObject(reply) }
    let value = reply.assumingMemoryBound(to: redisReply.self).pointee
    if value.type == REDIS_REPLY_INTEGER { return String(value.integer) }
    if let text = value.str { return String(cString: text) }
    return ""
  }

  static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
      }
    }
    guard bound else { throw CocoaError(.fileWriteUnknown) }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

@Suite(.enabled(if: RedisServer.available, "redis-server is not installed (apt-get install redis-server); Redis tests skipped"))
struct RedisRateStoreTests {
  private func store(
    _ server: RedisServer?, port: Int? = nil, limit: Int = 100, mode: RateFailureMode = .localFallback,
    prefix: String = "test:", backoff: Double = 0
  ) -> RedisRateStore {
    RedisRateStore(
      window: RateWindow(limit: limit, windowSeconds: 60, buckets: 6),
      configuration: .init(
        port: port ?? server?.port ?? 1, connectTimeout: 0.2, commandTimeout: 0.2, keyPrefix: prefix,
        failureMode: mode, reconnectBackoff: backoff, maxReconnectBackoff: backoff))
  }

  @Test func countsAtomicallyOnTheServer() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let store = store(server, limit: 3)
    let counts = (0..<5).map { store.record(key: "1.2.3.4", at: 1_000 + Double($0)) }
    #expect(counts.map(\.count) == [1, 2, 3, 4, 5])
    #expect(counts.map(\.limited) == [false, false, false, true, true])
    #expect(counts.allSatisfy { $0.degraded == nil })
    // The key has a TTL of one window plus one bucket (and a second of margin).
    let ttl = Int(server.command(["TTL", "test:60:6:1.2.3.4"])) ?? -1
    #expect(ttl > 0 && ttl <= 71)
    #expect(store.peek(key: "1.2.3.4", at: 1_010).count == 5)
    #expect(store.peek(key: "other", at: 1_010).count == 0)
    // Same bucket arithmetic as in memory: the bucket [1000, 1010) leaves the window at 1060.
    #expect(store.peek(key: "1.2.3.4", at: 1_059.9).count == 5)
    #expect(store.peek(key: "1.2.3.4", at: 1_060).count == 0)
    #expect(store.statistics.connects == 1)
    #expect(store.statistics.redisDecisions == 9)
  }

  /// Two stores, two connections, one limit: together they allow exactly the limit.
  @Test func twoConnectionsShareOneLimit() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let stores = [store(server, limit: 100), store(server, limit: 100)]
    let allowed = AllowedCounter()
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      for step in 0..<150 {
        let decision = stores[worker].record(key: "10.0.0.1", at: 5_000 + Double(step) * 0.01)
        if decision.degraded == nil, !decision.limited { allowed.add() }
      }
    }
    #expect(allowed.value == 100)
    #expect(stores[0].peek(key: "10.0.0.1", at: 5_010).count == 300)
  }

  /// Two real processes (this test binary re-executed as a worker) share one limit.
  @Test func twoProcessesShareOneLimit() throws {
    if ProcessInfo.processInfo.environment["RAMPART_REDIS_WORKER_PORT"] != nil { return }  // no recursion
    let server = try RedisServer()
    defer { server.stop() }
    let workers = try (0..<2).map { _ in try RedisWorker.spawn(port: server.port, requests: 150) }
    let allowed = workers.map { $0.waitForAllowed() }
    if allowed.contains(nil) {
      // The test runner could not be re-executed as a worker here; the two-connection test covers
      // the same path in one process.
      Issue.record("worker processes did not report: \(allowed)")
      return
    }
    #expect(allowed.compactMap { $0 }.reduce(0, +) == 100)
  }

  /// The worker side of `twoProcessesShareOneLimit`: a no-op unless started by it.
  @Test func workerProcess() throws {
    guard let port = ProcessInfo.processInfo.environment["RAMPART_REDIS_WORKER_PORT"].flatMap(Int.init),
      let output = ProcessInfo.processInfo.environment["RAMPART_REDIS_WORKER_OUTPUT"]
    else { return }
    let store = store(nil, port: port, limit: 100, prefix: "proc:")
    var allowed = 0
    for step in 0..<150 where !store.record(key: "10.9.9.9", at: 7_000 + Double(step) * 0.01).limited {
      allowed += 1
    }
    if store.statistics.degradedDecisions > 0 { allowed = -1 }
    try String(allowed).write(toFile: output, atomically: true, encoding: .utf8)
  }

  @Test func pipelinedBatch() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let store = store(server, limit: 100)
    let decisions = store.record(keys: Array(repeating: "k", count: 250) + ["other"], at: 100)
    #expect(decisions.prefix(250).map(\.count) == Array(1...250))
    #expect(decisions.prefix(250).filter { !$0.limited }.count == 100)
    #expect(decisions.last?.count == 1)
  }

  @Test func scriptFlushFallsBackToEval() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let store = store(server)
    #expect(store.record(key: "k", at: 0).count == 1)
    #expect(server.command(["SCRIPT", "FLUSH"]) == "OK")
    #expect(store.record(key: "k", at: 0) == RateDecision(count: 2, limited: false))
    #expect(store.statistics.scriptReloads == 1)
    #expect(store.record(key: "k", at: 0).count == 3)
  }

  @Test(arguments: [RateFailureMode.localFallback, .failOpen, .failClosed])
  func stoppedServerFollowsTheFailureMode(mode: RateFailureMode) throws {
    let server = try RedisServer()
    let store = store(server, limit: 2, mode: mode, backoff: 10)
    #expect(store.record(key: "k", at: 0).degraded == nil)
    server.stop()
    let start = Date()
    let decisions = (0..<5).map { _ in store.record(key: "k", at: 1) }
    #expect(Date().timeIntervalSince(start) < 1)
    #expect(decisions.allSatisfy { $0.degraded == mode })
    switch mode {
    case .localFallback: #expect(decisions.map(\.count) == [1, 2, 3, 4, 5])  // counted in memory
    case .failOpen: #expect(decisions.allSatisfy { !$0.limited })
    case .failClosed: #expect(decisions.allSatisfy { $0.limited })
    }
    let statistics = store.statistics
    #expect(statistics.commandFailures == 1)  // then the backoff: no reconnect attempt per request
    #expect(statistics.connectFailures == 0)
    #expect(statistics.degradedDecisions == 5)
    #expect(statistics.lastError != nil)
  }

  @Test func unreachableServerNeverStalls() throws {
    let port = try RedisServer.freePort()  // nothing listens there
    let failures = AllowedCounter()
    let store = RedisRateStore(
      window: RateWindow(limit: 1, windowSeconds: 60),
      configuration: .init(port: port, failureMode: .failClosed, reconnectBackoff: 30),
      onFailure: { _ in failures.add() })
    let start = Date()
    for _ in 0..<1_000 { #expect(store.record(key: "k", at: 0).limited) }
    #expect(Date().timeIntervalSince(start) < 1)
    #expect(store.statistics.connectFailures == 1)
    #expect(failures.value == 1)
  }

  @Test func hungServerTimesOutAndRecovers() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let store = RedisRateStore(
      window: RateWindow(limit: 10, windowSeconds: 60),
      configuration: .init(
        port: server.port, connectTimeout: 0.1, commandTimeout: 0.1, failureMode: .failOpen, reconnectBackoff: 0,
        maxReconnectBackoff: 0))
    #expect(store.record(key: "k", at: 0).count == 1)
    server.pause()
    let start = Date()
    let decision = store.record(key: "k", at: 0)
    let elapsed = Date().timeIntervalSince(start)
    server.resume()
    #expect(decision.degraded == .failOpen)
    #expect(elapsed < 1)
    #expect(store.statistics.commandFailures == 1)
    // Back: the next decision reconnects (backoff 0 here) and counts on the server again.
    let again = store.record(key: "k", at: 0)
    #expect(again.degraded == nil)
    #expect(again.count >= 2)
    #expect(store.statistics.connects == 2)
  }

  @Test func benchmarkRunsSmall() throws {
    let server = try RedisServer()
    defer { server.stop() }
    let result = try #require(RateLimitBenchmark.runRedis(port: server.port, decisions: 5_000, batch: 50, keys: 20))
    #expect(result.degraded == 0)
    #expect(result.limited > 0)
    #expect(RateLimitBenchmark.runRedis(port: try RedisServer.freePort(), decisions: 10) == nil)
  }
}

final class AllowedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}

/// This test binary, re-executed to run only `workerProcess` against a given Redis port.
struct RedisWorker {
  let process: Process
  let output: String

  static func spawn(port: Int, requests: Int) throws -> RedisWorker {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-worker-\(UUID().uuidString)")
      .path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--testing-library", "swift-testing", "--filter", "RedisRateStoreTests/workerProcess"]
    var environment = ProcessInfo.processInfo.environment
    environment["RAMPART_REDIS_WORKER_PORT"] = String(port)
    environment["RAMPART_REDIS_WORKER_OUTPUT"] = output
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return RedisWorker(process: process, output: output)
  }

  /// Waits for the worker and returns how many of its requests were allowed.
  func waitForAllowed() -> Int? {
    let deadline = Date().addingTimeInterval(120)
    while process.isRunning, Date() < deadline { usleep(50_000) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    defer { try? FileManager.default.removeItem(atPath: output) }
    guard let text = try? String(contentsOfFile: output, encoding: .utf8), let value = Int(text), value >= 0 else {
      return nil
    }
    return value
  }
}
