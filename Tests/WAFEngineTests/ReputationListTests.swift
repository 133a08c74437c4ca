import Foundation
import PolicyCore
import Testing

@testable import WAFEngine

@Suite struct ReputationListTests {
  private func parse(_ text: String, name: String = "list", format: ReputationList.Format = .automatic) throws
    -> ReputationList
  {
    try ReputationList.parse(SourceFile(name: "\(name).txt", text: text), name: name, format: format)
  }

  @Test func readsFireHOLNetsets() throws {
    let list = try parse(
      """
      #
      # firehol_level1
      #
      ; also a comment
      0.0.0.0/8
      1.10.16.0/20
        192.168.1.5/24   
      2001:db8::/32
      203.0.113.7

      """, name: "firehol_level1")
    #expect(list.entries.map(\.prefix.description) == [
      "0.0.0.0/8", "1.10.16.0/20", "192.168.1.0/24", "2001:db8::/32", "203.0.113.7/32",
    ])
    #expect(list.entries.map(\.line) == [5, 6, 7, 8, 9])
  }

  @Test func readsSpamhausDropNotes() throws {
    let list = try parse(
      """
      ; Spamhaus DROP List 2024/01/01 - (c) 2024 The Spamhaus Project
      ; Last-Modified: Mon, 01 Jan 2024 00:00:00 GMT
      1.10.16.0/20 ; SBL256894
      1.19.0.0/16 ; SBL434604\r
      """, name: "spamhaus_drop")
    #expect(list.entries.count == 2)
    #expect(list.entries[0].note == "SBL256894")
    #expect(list.entries[1].note == "SBL434604")
  }

  @Test func readsSpamhausJSONLines() throws {
    let list = try parse(
      """
      {"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"}
      {"cidr":"2001:db8::/32","sblid":"SBL1","rir":"ripencc"}
      {"type":"metadata","timestamp":1700000000,"size":2,"records":2,"copyright":"(c) Spamhaus"}
      """)
    #expect(list.entries.map(\.prefix.description) == ["1.10.16.0/20", "2001:db8::/32"])
    #expect(list.entries[1].note == "SBL1")
  }

  @Test func readsJSONArraysAndAWSIPSets() throws {
    let array = try parse(#"["192.0.2.0/24", "2001:db8::1"]"#)
    #expect(array.entries.map(\.prefix.description) == ["192.0.2.0/24", "2001:db8::1/128"])
    let aws = try parse(#"{"Name": "bad", "Addresses": ["198.51.100.0/24"], "IPAddressVersion": "IPV4"}"#)
    #expect(aws.entries.map(\.prefix.description) == ["198.51.100.0/24"])
    let nested = try parse(
      """
      {"IPSet": {"Name": "bad",
                 "Addresses": ["198.51.100.0/24",
                               "203.0.113.0/24"]},
       "LockToken": "x"}
      """)
    #expect(nested.entries.map(\.line) == [2, 3])
  }

  @Test func badLineIsAnErrorWithFileAndLine() throws {
    do {
      _ = try parse("10.0.0.0/8\n# comment\n10.0.0.0/33\nbogus\n", name: "mylist")
      Issue.record("expected an error")
    } catch let error as Diagnostic {
      #expect(error.code == .wafIPList)
      #expect(error.span?.line == 3)
      #expect(error.description.hasPrefix("mylist.txt:3:1: waf_ip_list_error: mylist:"))
      #expect(error.notes == ["and 1 more bad entries"])
    }
  }

  @Test func badJSONEntryPointsAtItsLine() throws {
    do {
      _ = try parse("[\n  \"10.0.0.0/8\",\n  \"10.0.0.300\"\n]")
      Issue.record("expected an error")
    } catch let error as Diagnostic {
      #expect(error.code == .wafIPList)
      #expect(error.span?.line == 3)
    }
    #expect(throws: Diagnostic.self) { try parse(#"{"Other": []}"#) }
    #expect(throws: Diagnostic.self) { try parse(#"[1, 2]"#) }
  }

  @Test func setSaysWhichListsMatched() throws {
    let drop = try parse("10.0.0.0/8 ; SBL1\n", name: "drop")
    let firehol = try parse("10.1.0.0/16\n10.0.0.0/8\n2001:db8::/32\n", name: "firehol")
    let set = ReputationSet(lists: [drop, firehol])
    let address = try #require(IPAddress("10.1.2.3"))
    #expect(set.contains(address))
    #expect(set.matchingLists(address) == ["drop", "firehol"])
    #expect(set.matches(address).map(\.description) == ["drop: 10.0.0.0/8 (SBL1)", "firehol: 10.0.0.0/8", "firehol: 10.1.0.0/16"])
    #expect(set.matchingLists(IPAddress("::ffff:10.9.9.9")!) == ["drop", "firehol"])
    #expect(set.matchingLists(IPAddress("2001:db8::5")!) == ["firehol"])
    #expect(!set.contains(IPAddress("11.0.0.1")!))
    #expect(set.prefixCount == 3)
  }

  // MARK: - Store and reload

  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rampart-rep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func reloadWithABadFileKeepsTheOldList() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("blocklist.netset").path
    try "192.0.2.0/24\n".write(toFile: path, atomically: true, encoding: .utf8)
    let errors = ErrorLog()
    let store = try ReputationStore(sources: [.init(path: path)], onError: { errors.append($0) })
    #expect(store.snapshot.listNames == ["blocklist"])
    #expect(store.snapshot.contains(IPAddress("192.0.2.9")!))

    // Unchanged: nothing happens.
    #expect(store.reloadIfChanged().reloaded.isEmpty)

    // A bad file: the old entries stay, the error is reported with file:line and counted.
    try "198.51.100.0/24\nthis is not an address\n".write(toFile: path, atomically: true, encoding: .utf8)
    let bad = store.reloadIfChanged()
    #expect(bad.reloaded.isEmpty)
    #expect(bad.failures.count == 1)
    #expect(bad.failures.first?.span?.line == 2)
    #expect(store.snapshot.contains(IPAddress("192.0.2.9")!))
    #expect(!store.snapshot.contains(IPAddress("198.51.100.1")!))
    #expect(store.statistics.failedReloads == 1)
    #expect(store.statistics.lastError?.code == .wafIPList)
    #expect(errors.count == 1)
    // The same bad file is not re-read and re-reported on every poll.
    #expect(store.reloadIfChanged().failures.isEmpty)

    // A good file replaces the list.
    try "198.51.100.0/24\n".write(toFile: path, atomically: true, encoding: .utf8)
    let good = store.reloadIfChanged()
    #expect(good.reloaded == ["blocklist"])
    #expect(store.snapshot.contains(IPAddress("198.51.100.1")!))
    #expect(!store.snapshot.contains(IPAddress("192.0.2.9")!))
    #expect(store.statistics.reloads == 1)

    // A deleted file also keeps the list.
    try FileManager.default.removeItem(atPath: path)
    #expect(store.reloadIfChanged().failures.first?.code == .ioError)
    #expect(store.snapshot.contains(IPAddress("198.51.100.1")!))
  }

  @Test func snapshotsStayValidAcrossReloads() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("a.txt").path
    try "10.0.0.0/8\n".write(toFile: path, atomically: true, encoding: .utf8)
    let store = try ReputationStore(sources: [.init(path: path, name: "a")])
    let before = store.snapshot
    try "11.0.0.0/8\n".write(toFile: path, atomically: true, encoding: .utf8)
    store.reload()
    #expect(before.contains(IPAddress("10.1.1.1")!))  // an in-flight request keeps its snapshot
    #expect(store.snapshot.contains(IPAddress("11.1.1.1")!))
  }

  @Test func startupFailsOnABadFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("bad.txt").path
    try "nope\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: Diagnostic.self) { try ReputationStore(sources: [.init(path: path)]) }
    #expect(throws: Diagnostic.self) { try ReputationStore(sources: [.init(path: path + ".missing")]) }
  }

  @Test func hangupRequestsAReload() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("a.txt").path
    try "10.0.0.0/8\n".write(toFile: path, atomically: true, encoding: .utf8)
    let store = try ReputationStore(sources: [.init(path: path, name: "a")])
    ReputationStore.installHangupHandler()
    #expect(store.reloadIfRequested() == nil)
    kill(getpid(), SIGHUP)
    // Delivery to some thread of this process is asynchronous; this waits for it, not for time.
    var report: ReputationStore.ReloadReport?
    for _ in 0..<200 where report == nil {
      report = store.reloadIfRequested()
      if report == nil { usleep(5_000) }
    }
    #expect(report?.reloaded == ["a"])
    #expect(store.reloadIfRequested() == nil)
  }
}

/// Collects diagnostics from a `@Sendable` callback.
final class ErrorLog: @unchecked Sendable {
  private let lock = NSLock()
  private var errors: [Diagnostic] = []
  func append(_ error: Diagnostic) { lock.withLock { errors.append(error) } }
  var count: Int { lock.withLock { errors.count } }
}
