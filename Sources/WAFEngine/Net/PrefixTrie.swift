/// The keys a `PrefixTrie` is specialised for: 32-bit IPv4 and 128-bit IPv6 addresses.
protocol PrefixTrieKey: FixedWidthInteger, UnsignedInteger, Sendable {}
extension UInt32: PrefixTrieKey {}
extension UInt128: PrefixTrieKey {}

/// A compressed binary radix (Patricia) trie from prefixes of `Key` to `Int32` payloads.
///
/// Layout, chosen for lookup speed with a million prefixes:
/// - Nodes live in one flat array of small structs (no class per node, `Int32` child indices). A
///   node is 20 bytes for IPv4 and 32 for IPv6, so visiting one costs a single cache line; a
///   struct-of-arrays layout would touch four lines per node (key, length, children, payload).
/// - Path compression: every node stores its full prefix (key and length), so a chain of one-child
///   nodes never exists; there are at most `2n - 1` nodes for `n` prefixes. Glue nodes (branch
///   points that are not prefixes themselves) carry payload `-1`.
/// - A jump table over the first `tableBits` bits (built by `optimize()` for large tries) gives
///   each slot the node to start from and the best match among prefixes shorter than the table,
///   which removes the top ~`tableBits` levels from every lookup.
///
/// Lookups walk down from the start node: the node's prefix must match the key (compared with one
/// XOR and a leading-zero count), its payload becomes the best match so far, and the next bit
/// after the node's length picks the child.
struct PrefixTrie<Key: PrefixTrieKey>: Sendable {
  struct Node: Sendable {
    var key: Key
    var child0: Int32
    var child1: Int32
    var value: Int32
    var length: UInt8
  }

  private(set) var nodes: [Node] = []
  private var root: Int32 = -1
  private(set) var tableBits = 0
  private var tableStart: [Int32] = []
  private var tableBest: [Int32] = []
  /// Distinct prefixes stored.
  private(set) var count = 0

  init() {}

  // MARK: - Building

  @inline(__always)
  static func mask(_ length: Int) -> Key {
    length == 0 ? 0 : ~Key(0) &<< (Key.bitWidth - length)
  }

  @inline(__always)
  static func bit(_ key: Key, at position: Int) -> Int {
    Int(truncatingIfNeeded: (key &>> (Key.bitWidth - 1 - position)) & 1)
  }

  private mutating func newNode(_ key: Key, _ length: Int, _ value: Int32) -> Int32 {
    nodes.append(Node(key: key, child0: -1, child1: -1, value: value, length: UInt8(length)))
    return Int32(nodes.count - 1)
  }

  private mutating func setChild(_ parent: Int32, _ side: Int, _ child: Int32) {
    if side == 0 { nodes[Int(parent)].child0 = child } else { nodes[Int(parent)].child1 = child }
  }

  /// Adds a prefix (host bits are cleared) or replaces the payload of an existing one.
  /// Invalidates the jump table until the next `optimize()`; lookups stay correct meanwhile.
  mutating func insert(_ key: Key, length: Int, value: Int32) {
    precondition(length >= 0 && length <= Key.bitWidth && value >= 0)
    let key = key & Self.mask(length)
    if tableBits != 0 {
      tableBits = 0
      tableStart = []
      tableBest = []
    }
    if root < 0 {
      root = newNode(key, length, value)
      count += 1
      return
    }
    var parent: Int32 = -1
    var parentSide = 0
    var current = root
    while true {
      let node = nodes[Int(current)]
      let nodeLength = Int(node.length)
      let common = min((key ^ node.key).leadingZeroBitCount, length, nodeLength)
      if common == nodeLength {
        if length == nodeLength {
          if node.value < 0 { count += 1 }
          nodes[Int(current)].value = value
          return
        }
        // The node's prefix covers the new one: go down (or hang the new prefix here).
        let side = Self.bit(key, at: nodeLength)
        let child = side == 0 ? node.child0 : node.child1
        if child < 0 {
          let leaf = newNode(key, length, value)
          setChild(current, side, leaf)
          count += 1
          return
        }
        parent = current
        parentSide = side
        current = child
        continue
      }
      // The node's prefix does not cover the new one: put a node above it.
      let replacement: Int32
      if common == length {
        // The new prefix covers the node.
        replacement = newNode(key, length, value)
        setChild(replacement, Self.bit(node.key, at: length), current)
      } else {
        // They diverge at bit `common`: a glue node branches there.
        replacement = newNode(key & Self.mask(common), common, -1)
        let leaf = newNode(key, length, value)
        setChild(replacement, Self.bit(key, at: common), leaf)
        setChild(replacement, Self.bit(node.key, at: common), current)
      }
      count += 1
      if parent < 0 { root = replacement } else { setChild(parent, parentSide, replacement) }
      return
    }
  }

  /// Builds the jump table when the trie is large enough to profit (4,096 nodes or more); its
  /// size grows with the trie, up to 2^20 slots (8 MiB).
  mutating func optimize() {
    guard nodes.count >= 4096 else {
      tableBits = 0
      tableStart = []
      tableBest = []
      return
    }
    let log2 = Int.bitWidth - 1 - nodes.count.leadingZeroBitCount
    let bits = min(20, Key.bitWidth / 2, max(8, log2 - 1))
    let slots = 1 << bits
    var start = [Int32](repeating: -1, count: slots)
    var best = [Int32](repeating: -1, count: slots)
    for slot in 0..<slots {
      let key = Key(truncatingIfNeeded: slot) &<< (Key.bitWidth - bits)
      var found: Int32 = -1
      var current = root
      while current >= 0 {
        let node = nodes[Int(current)]
        let length = Int(node.length)
        if length >= bits { break }
        if (key ^ node.key).leadingZeroBitCount < length {
          current = -1
          break
        }
        if node.value >= 0 { found = node.value }
        current = Self.bit(key, at: length) == 0 ? node.child0 : node.child1
      }
      start[slot] = current
      best[slot] = found
    }
    tableStart = start
    tableBest = best
    tableBits = bits
  }

  // MARK: - Lookup

  /// The payload of the longest prefix containing `key`, or -1.
  @inline(__always)
  func longestMatch(_ key: Key) -> Int32 {
    nodes.withUnsafeBufferPointer { nodes in
      var best: Int32 = -1
      var current = root
      if tableBits > 0 {
        let slot = Int(truncatingIfNeeded: key &>> (Key.bitWidth - tableBits))
        current = tableStart.withUnsafeBufferPointer { $0[slot] }
        best = tableBest.withUnsafeBufferPointer { $0[slot] }
      }
      while current >= 0 {
        let node = nodes[Int(current)]
        let length = Int(node.length)
        if (key ^ node.key).leadingZeroBitCount < length { break }
        if node.value >= 0 { best = node.value }
        if length == Key.bitWidth { break }
        current = Self.bit(key, at: length) == 0 ? node.child0 : node.child1
      }
      return best
    }
  }

  /// Whether any prefix contains `key`; stops at the first one found.
  @inline(__always)
  func containsMatch(_ key: Key) -> Bool {
    nodes.withUnsafeBufferPointer { nodes in
      var current = root
      if tableBits > 0 {
        let slot = Int(truncatingIfNeeded: key &>> (Key.bitWidth - tableBits))
        if tableBest.withUnsafeBufferPointer({ $0[slot] }) >= 0 { return true }
        current = tableStart.withUnsafeBufferPointer { $0[slot] }
      }
      while current >= 0 {
        let node = nodes[Int(current)]
        let length = Int(node.length)
        if (key ^ node.key).leadingZeroBitCount < length { return false }
        if node.value >= 0 { return true }
        if length == Key.bitWidth { return false }
        current = Self.bit(key, at: length) == 0 ? node.child0 : node.child1
      }
      return false
    }
  }

  /// Calls `body` with the payload of every prefix containing `key`, shortest prefix first.
  func forEachMatch(_ key: Key, _ body: (Int32) -> Void) {
    var current = root
    while current >= 0 {
      let node = nodes[Int(current)]
      let length = Int(node.length)
      if (key ^ node.key).leadingZeroBitCount < length { return }
      if node.value >= 0 { body(node.value) }
      if length == Key.bitWidth { return }
      current = Self.bit(key, at: length) == 0 ? node.child0 : node.child1
    }
  }

  /// Bytes held by the node array and the jump table (capacity, not count).
  var memoryBytes: Int {
    nodes.capacity * MemoryLayout<Node>.stride + (tableStart.capacity + tableBest.capacity) * 4
  }
}

/// A longest-prefix-match table from IPv4 and IPv6 CIDR prefixes to `Int32` payloads, such as the
/// index of the list or rule a prefix came from.
///
/// Two compressed radix (Patricia) tries, one per family, so an IPv4 lookup walks 32-bit keys and
/// never touches IPv6 nodes. Build it once (inserting, then `optimize()`), then share it: it is an
/// immutable value after building, `Sendable`, and lookups never allocate.
///
///     var trie = IPPrefixTrie()
///     trie.insert(try IPPrefix(parsing: "10.0.0.0/8"), value: 0)
///     trie.insert(try IPPrefix(parsing: "10.1.0.0/16"), value: 1)
///     trie.optimize()
///     trie.longestMatch(IPAddress("10.1.2.3")!)   // 1
///     trie.matches(IPAddress("10.1.2.3")!)        // [0, 1]
public struct IPPrefixTrie: Sendable {
  var v4 = PrefixTrie<UInt32>()
  var v6 = PrefixTrie<UInt128>()

  /// An empty trie.
  public init() {}

  /// A trie holding `entries`, optimised for lookups. A prefix given twice keeps the last payload.
  public init(_ entries: some Sequence<(IPPrefix, Int32)>) {
    for (prefix, value) in entries { insert(prefix, value: value) }
    optimize()
  }

  /// Adds a prefix with a payload (`value >= 0`), replacing the payload if the prefix is present.
  public mutating func insert(_ prefix: IPPrefix, value: Int32) {
    switch prefix.address.family {
    case .v4: v4.insert(prefix.address.v4Bits, length: prefix.length, value: value)
    case .v6: v6.insert(prefix.address.value, length: prefix.length, value: value)
    }
  }

  /// Builds the jump tables that make lookups in large tries fast. Call after the last insert;
  /// lookups are correct (only slower) without it.
  public mutating func optimize() {
    v4.optimize()
    v6.optimize()
  }

  /// The payload of the longest prefix that contains `address`, or `nil`.
  @inline(__always)
  public func longestMatch(_ address: IPAddress) -> Int32? {
    let found = address.family == .v4 ? v4.longestMatch(address.v4Bits) : v6.longestMatch(address.value)
    return found >= 0 ? found : nil
  }

  /// Whether any prefix contains `address` (stops at the first, shortest, match).
  @inline(__always)
  public func contains(_ address: IPAddress) -> Bool {
    address.family == .v4 ? v4.containsMatch(address.v4Bits) : v6.containsMatch(address.value)
  }

  /// The payloads of every prefix that contains `address`, shortest prefix first.
  public func matches(_ address: IPAddress) -> [Int32] {
    var found: [Int32] = []
    if address.family == .v4 {
      v4.forEachMatch(address.v4Bits) { found.append($0) }
    } else {
      v6.forEachMatch(address.value) { found.append($0) }
    }
    return found
  }

  /// The number of distinct prefixes.
  public var count: Int { v4.count + v6.count }

  /// The number of trie nodes (prefixes plus branch points), at most `2 * count - 1` per family.
  public var nodeCount: Int { v4.nodes.count + v6.nodes.count }

  /// Approximate heap bytes held by the nodes and jump tables.
  public var memoryBytes: Int { v4.memoryBytes + v6.memoryBytes }
}
