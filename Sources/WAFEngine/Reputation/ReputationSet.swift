/// One list that contains an address, as a verdict reports it.
public struct ReputationMatch: Sendable, Hashable, CustomStringConvertible {
  /// The list's name.
  public var list: String
  /// The prefix of that list that contains the address.
  public var prefix: IPPrefix
  /// The entry's note (a Spamhaus SBL id), if any.
  public var note: String?

  /// Creates a match.
  public init(list: String, prefix: IPPrefix, note: String? = nil) {
    self.list = list
    self.prefix = prefix
    self.note = note
  }

  public var description: String { "\(list): \(prefix)" + (note.map { " (\($0))" } ?? "") }
}

/// An immutable, searchable union of reputation lists: one prefix trie over every list's entries,
/// each prefix remembering which lists it came from.
///
/// `contains` is the hot path (one trie walk, no allocation). `matches` says which lists matched,
/// for the verdict; it is only called when `contains` is true.
public struct ReputationSet: Sendable {
  /// One distinct prefix and the lists (index into `listNames`) and notes it came from.
  struct Record: Sendable {
    var prefix: IPPrefix
    var sources: [(list: Int, note: String?)]
  }

  /// The list names, in the order given.
  public let listNames: [String]
  /// The number of entries per list, in the order of `listNames`.
  public let entryCounts: [Int]
  let trie: IPPrefixTrie
  let records: [Record]

  /// An empty set.
  public init() {
    self.init(lists: [])
  }

  /// Builds the union of `lists`. A prefix listed by several lists is stored once.
  public init(lists: [ReputationList]) {
    var index: [IPPrefix: Int] = [:]
    var records: [Record] = []
    for (listIndex, list) in lists.enumerated() {
      for entry in list.entries {
        if let existing = index[entry.prefix] {
          if !records[existing].sources.contains(where: { $0.list == listIndex }) {
            records[existing].sources.append((listIndex, entry.note))
          }
        } else {
          index[entry.prefix] = records.count
          records.append(Record(prefix: entry.prefix, sources: [(listIndex, entry.note)]))
        }
      }
    }
    var trie = IPPrefixTrie()
    for (position, record) in records.enumerated() { trie.insert(record.prefix, value: Int32(position)) }
    trie.optimize()
    self.trie = trie
    self.records = records
    self.listNames = lists.map(\.name)
    self.entryCounts = lists.map(\.entries.count)
  }

  /// Whether any list contains the address.
  @inline(__always)
  public func contains(_ address: IPAddress) -> Bool {
    trie.contains(address)
  }

  /// Every list entry that contains the address, least specific prefix first; empty if none.
  public func matches(_ address: IPAddress) -> [ReputationMatch] {
    guard trie.contains(address) else { return [] }
    var found: [ReputationMatch] = []
    for position in trie.matches(address) {
      let record = records[Int(position)]
      for source in record.sources {
        found.append(ReputationMatch(list: listNames[source.list], prefix: record.prefix, note: source.note))
      }
    }
    return found
  }

  /// The names of the lists that contain the address, each once, in list order.
  public func matchingLists(_ address: IPAddress) -> [String] {
    guard trie.contains(address) else { return [] }
    var hit = [Bool](repeating: false, count: listNames.count)
    for position in trie.matches(address) {
      for source in records[Int(position)].sources { hit[source.list] = true }
    }
    return listNames.indices.filter { hit[$0] }.map { listNames[$0] }
  }

  /// The number of distinct prefixes over all lists.
  public var prefixCount: Int { records.count }
}
