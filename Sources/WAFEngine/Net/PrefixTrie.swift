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
  /// Leading bits every stored prefix shares (the root's length), skipped by the jump table so
  /// that IPv6 lists, all inside `2000::/3`, use every slot.
  private var tableOffset = 0
  private var rootKey: Key = 0
  /// Per slot: the node to start from and the best payload among prefixes above it, together so a
  /// lookup reads one 8-byte entry (one cache miss) before the nodes.
  private var table: [(start: Int32, best: Int32)] = []
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
      table = []
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
  /// size grows with the trie (about one slot per node), up to 2^20 slots (8 MiB).
  mutating func optimize() {
    guard nodes.count >= 4096 else {
      tableBits = 0
      tableOffset = 0
      table = []
      return
    }
    let log2 = Int.bitWidth - 1 - nodes.count.leadingZeroBitCount
    let rootNode = nodes[Int(root)]
    // A root with a payload covers everything stored, so it is the offset too.
    let bits = min(20, max(8, log2))
    let offset = min(Int(rootNode.length), Key.bitWidth - bits)
    let slots = 1 << bits
    var entries = [(start: Int32, best: Int32)](repeating: (-1, -1), count: slots)
    for slot in 0..<slots {
      let key = (rootNode.key & Self.mask(offset)) | (Key(truncatingIfNeeded: slot) &<< (Key.bitWidth - offset - bits))
      var found: Int32 = -1
      var current = root
      while current >= 0 {
        let node = nodes[Int(current)]
        let length = Int(node.length)
        if length >= offset + bits { break }
        if (key ^ node.key).leadingZeroBitCount < length {
          current = -1
          break
        }
        if node.value >= 0 { found = node.value }
        current = Self.bit(key, at: length) == 0 ? node.child0 : node.child1
      }
      entries[slot] = (current, found)
    }
    table = entries
    tableBits = bits
    tableOffset = offset
    rootKey = rootNode.key & Self.mask(offset)
  }

  /// The jump table slot of a key, or -1 when the key is outside the prefix all entries share.
  @inline(__always)
  private func slot(of key: Key) -> Int {
    if (key ^ rootKey).leadingZeroBitCount < tableOffset { return -1 }
    return Int(truncatingIfNeeded: (key &<< tableOffset) &>> (Key.bitWidth - tableBits))
  }

  // MARK: - Lookup

  /// The payload of the longest prefix containing `key`, or -1.
  @inline(__always)
  func longestMatch(_ key: Key) -> Int32 {
    nodes.withUnsafeBufferPointer { nodes in
      var best: Int32 = -1
      var current = root
      if tableBits > 0 {
        let slot = slot(of: key)
        if slot < 0 { return -1 }
        let entry = table.withUnsafeBufferPointer { $0[slot] }
        current = entry.start
        best = entry.best
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

  /// Where a lookup of `key` starts: (node, best payload so far); node -1 when it is already over.
  @inline(__always)
  func start(_ key: Key) -> (node: Int32, best: Int32) {
    guard tableBits > 0 else { return (root, -1) }
    let slot = slot(of: key)
    if slot < 0 { return (-1, -1) }
    let entry = table.withUnsafeBufferPointer { $0[slot] }
    return (entry.start, entry.best)
  }

  /// One step of a lookup: checks `node`, updates `best`, and moves `node` to the child (or -1).
  @inline(__always)
  func step(_ key: Key, _ nodes: UnsafeBufferPointer<Node>, _ current: inout Int32, _ best: inout Int32) {
    let node = nodes[Int(current)]
    let length = Int(node.length)
    if (key ^ node.key).leadingZeroBitCount < length {
      current = -1
      return
    }
    if node.value >= 0 { best = node.value }
    if length == Key.bitWidth {
      current = -1
      return
    }
    current = Self.bit(key, at: length) == 0 ? node.child0 : node.child1
  }

  /// Whether any prefix contains `key`; stops at the first one found.
  @inline(__always)
  func containsMatch(_ key: Key) -> Bool {
    nodes.withUnsafeBufferPointer { nodes in
      var current = root
      if tableBits > 0 {
        let slot = slot(of: key)
        if slot < 0 { return false }
        let entry = table.withUnsafeBufferPointer { $0[slot] }
        if entry.best >= 0 { return true }
        current = entry.start
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
    nodes.capacity * MemoryLayout<Node>.stride + table.capacity * 8
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

  /// Longest-prefix lookups for many addresses at once: `results[i]` is the payload for
  /// `addresses[i]`, or -1. Same answers as `longestMatch`, faster in bulk: lookups advance in
  /// groups of eight, one node each per round, so the memory loads of eight independent lookups
  /// are in flight together instead of one cache miss after another. For replay and batch
  /// scoring; a single request just calls `longestMatch`.
  public func longestMatches(_ addresses: UnsafeBufferPointer<IPAddress>, into results: UnsafeMutableBufferPointer<Int32>) {
    precondition(results.count >= addresses.count)
    let lanes = 8
    v4.nodes.withUnsafeBufferPointer { nodes4 in
      v6.nodes.withUnsafeBufferPointer { nodes6 in
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * lanes) { state in
          var base = 0
          while base < addresses.count {
            let width = min(lanes, addresses.count - base)
            for lane in 0..<width {
              let address = addresses[base + lane]
              let begin = address.family == .v4 ? v4.start(address.v4Bits) : v6.start(address.value)
              state[lane] = begin.node
              state[lanes + lane] = begin.best
            }
            var active = true
            while active {
              active = false
              for lane in 0..<width where state[lane] >= 0 {
                let address = addresses[base + lane]
                if address.family == .v4 {
                  v4.step(address.v4Bits, nodes4, &state[lane], &state[lanes + lane])
                } else {
                  v6.step(address.value, nodes6, &state[lane], &state[lanes + lane])
                }
                if state[lane] >= 0 { active = true }
              }
            }
            for lane in 0..<width { results[base + lane] = state[lanes + lane] }
            base += width
          }
        }
      }
    }
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
