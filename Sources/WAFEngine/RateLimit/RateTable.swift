/// The counters of one in-memory shard: an open-addressing hash table (linear probing, backward
/// shift deletion, no tombstones) over dense per-key arrays. Not thread-safe; `InMemoryRateStore`
/// guards each table with its own lock.
///
/// Recording a request for a key already present does not allocate: one probe sequence compares
/// 64-bit hashes stored in the slot array, verifies the key bytes once, and updates the key's
/// counters in place. A new key allocates its entry (its bytes are kept for verification).
struct RateTable {
  let window: RateWindow
  let capacity: Int
  private let bucketCount: Int
  private let slotMask: Int

  /// An index slot: the low 32 bits of the key's hash (enough to find its home slot and to
  /// skip most mismatches; the entry's inline key copy confirms) and the entry. 8 bytes, so the
  /// index of a full shard stays small and mostly in cache.
  struct Slot {
    var hash: UInt32
    var entry: Int32
  }

  /// An entry's hot fields, together for the same reason: the window position, the count, and
  /// the key's length and first 32 bytes (keys that fit are verified here, without touching the
  /// separately allocated key bytes).
  struct Head {
    var newestBucket: Int64
    var total: Int32
    var keyLength: Int32
    var prefixWords: (UInt64, UInt64, UInt64, UInt64)
    /// `newestBucket` modulo the bucket count, kept up to date so a decision needs no division.
    var newestSlot: Int32 = 0

    @inline(__always)
    func matches(_ key: borrowing RateKey) -> Bool {
      Int(keyLength) == key.byteCount && prefixWords.0 == key.prefixWords.0 && prefixWords.1 == key.prefixWords.1
        && prefixWords.2 == key.prefixWords.2 && prefixWords.3 == key.prefixWords.3
    }
  }

  private var slots: [Slot]

  // Entries, dense in 0..<count. `keys` holds the bytes of keys longer than 32 bytes (empty for
  // the others, which `Head` holds inline).
  private var keys: [[UInt8]] = []
  private var hashes: [UInt64] = []
  /// Each entry's head and its bucket counters side by side in one record, records 64-byte
  /// aligned (128 for the usual 10 buckets), so one decision touches one record, not a head in
  /// one array and a counter in another.
  private let records: RateRecords

  /// Where eviction sampling and idle expiry look next.
  private var hand = 0

  private(set) var evictions = 0
  private(set) var expirations = 0

  var count: Int { keys.count }

  init(window: RateWindow, capacity: Int) {
    self.window = window
    self.capacity = max(1, capacity)
    self.bucketCount = window.buckets
    var slotCount = 8
    while slotCount < self.capacity * 2 { slotCount <<= 1 }
    slotMask = slotCount - 1
    slots = [Slot](repeating: Slot(hash: 0, entry: -1), count: slotCount)
    keys.reserveCapacity(self.capacity)
    hashes.reserveCapacity(self.capacity)
    records = RateRecords(capacity: self.capacity, counters: window.buckets)
  }

  // MARK: - Counting

  /// Records one request and returns the window count including it.
  mutating func record(_ key: borrowing RateKey, bucket: Int64) -> Int {
    let entry: Int
    if let found = find(key) {
      entry = found
    } else {
      entry = insert(key, bucket: bucket)
    }
    advance(entry, to: bucket)
    let head = records.head(entry)
    records.counters(entry)[Int(head.pointee.newestSlot)] &+= 1
    head.pointee.total &+= 1
    return Int(head.pointee.total)
  }

  /// The window count for a key without recording; 0 for an unknown key.
  mutating func peek(_ key: RateKey, bucket: Int64) -> Int {
    guard let entry = find(key) else { return 0 }
    advance(entry, to: bucket)
    return Int(records.head(entry).pointee.total)
  }

  /// Drops the buckets that left the window by `bucket`. Older times never move a window back.
  @inline(__always)
  private mutating func advance(_ entry: Int, to bucket: Int64) {
    let head = records.head(entry)
    let newest = head.pointee.newestBucket
    guard bucket > newest else { return }
    let counters = records.counters(entry)
    if bucket - newest >= Int64(bucketCount) {
      counters.update(repeating: 0, count: bucketCount)
      head.pointee.total = 0
      head.pointee.newestSlot = Int32(bucket.modulo(bucketCount))
    } else {
      var step = newest + 1
      var index = Int(head.pointee.newestSlot)
      while step <= bucket {
        index += 1
        if index == bucketCount { index = 0 }
        head.pointee.total &-= Int32(truncatingIfNeeded: counters[index])
        counters[index] = 0
        step += 1
      }
      head.pointee.newestSlot = Int32(index)
    }
    head.pointee.newestBucket = bucket
  }

  // MARK: - Table

  @inline(__always)
  private func find(_ key: borrowing RateKey) -> Int? {
    var slot = Int(truncatingIfNeeded: key.hash) & slotMask
    while true {
      let probe = slots[slot]
      if probe.entry < 0 { return nil }
      if probe.hash == UInt32(truncatingIfNeeded: key.hash) {
        let entry = Int(probe.entry)
        // Keys up to 32 bytes are verified in full by the inline copy; longer ones also compare
        // the stored bytes.
        if records.head(entry).pointee.matches(key), key.overflow == nil || keys[entry] == key.overflow { return entry }
      }
      slot = (slot + 1) & slotMask
    }
  }

  private mutating func insert(_ key: RateKey, bucket: Int64) -> Int {
    // Idle keys go first: look at two entries per insert, so expiry keeps pace with new keys.
    expireIdle(at: bucket, budget: 2)
    if keys.count >= capacity { evictOne(at: bucket) }
    let entry = keys.count
    keys.append(key.overflow ?? [])  // short keys are verified by the inline copy alone
    hashes.append(key.hash)
    records.initialize(
      entry, head: Head(
        newestBucket: bucket, total: 0, keyLength: Int32(truncatingIfNeeded: key.bytes.count), prefixWords: key.prefixWords,
        newestSlot: Int32(bucket.modulo(bucketCount))))
    var slot = Int(truncatingIfNeeded: key.hash) & slotMask
    while slots[slot].entry >= 0 { slot = (slot + 1) & slotMask }
    slots[slot] = Slot(hash: UInt32(truncatingIfNeeded: key.hash), entry: Int32(entry))
    return entry
  }

  /// Whether an entry's whole window has passed.
  private func isIdle(_ entry: Int, at bucket: Int64) -> Bool {
    bucket - records.head(entry).pointee.newestBucket >= Int64(bucketCount)
  }

  /// Removes idle entries among the next `budget` at the hand.
  private mutating func expireIdle(at bucket: Int64, budget: Int) {
    for _ in 0..<budget {
      guard !keys.isEmpty else { return }
      if hand >= keys.count { hand = 0 }
      if isIdle(hand, at: bucket) {
        remove(hand)
        expirations += 1
      } else {
        hand += 1
      }
    }
  }

  /// The table is full: evict the key with the lowest current count among eight sampled at the
  /// hand (idle keys count 0). Heavy hitters, the keys a rate rule exists to catch, survive a flood
  /// of one-off keys; a flood cannot reset an attacker's count by pushing it out.
  private mutating func evictOne(at bucket: Int64) {
    var victim = -1
    var lowest = Int.max
    for offset in 0..<min(8, keys.count) {
      let entry = (hand + offset) % keys.count
      advance(entry, to: bucket)
      if Int(records.head(entry).pointee.total) < lowest {
        lowest = Int(records.head(entry).pointee.total)
        victim = entry
      }
    }
    guard victim >= 0 else { return }
    hand = (victim + 1) % max(1, keys.count)
    remove(victim)
    if lowest == 0 { expirations += 1 } else { evictions += 1 }
  }

  /// Removes every idle entry; returns how many.
  mutating func purge(at bucket: Int64) -> Int {
    var removed = 0
    var entry = 0
    while entry < keys.count {
      if isIdle(entry, at: bucket) {
        remove(entry)
        removed += 1
      } else {
        entry += 1
      }
    }
    expirations += removed
    return removed
  }

  private func slot(of entry: Int) -> Int {
    var slot = Int(truncatingIfNeeded: hashes[entry]) & slotMask
    while Int(slots[slot].entry) != entry { slot = (slot + 1) & slotMask }
    return slot
  }

  /// Removes an entry: backward-shift deletion in the slots, then the last entry moves into its
  /// place in the dense arrays.
  private mutating func remove(_ entry: Int) {
    var hole = slot(of: entry)
    var probe = hole
    while true {
      probe = (probe + 1) & slotMask
      let moving = slots[probe]
      if moving.entry < 0 { break }
      let home = Int(truncatingIfNeeded: moving.hash) & slotMask
      // Move the probed slot into the hole unless its home lies cyclically in (hole, probe].
      let inRange = hole <= probe ? (home > hole && home <= probe) : (home > hole || home <= probe)
      if !inRange {
        slots[hole] = moving
        hole = probe
      }
    }
    slots[hole] = Slot(hash: 0, entry: -1)

    let last = keys.count - 1
    if entry != last {
      let lastSlot = slot(of: last)
      slots[lastSlot].entry = Int32(entry)
      keys[entry] = keys[last]
      hashes[entry] = hashes[last]
      records.move(from: last, to: entry)
    }
    keys.removeLast()
    hashes.removeLast()
    records.deinitialize(last)
  }
}

extension Int64 {
  /// The non-negative remainder (buckets before 1970 stay in range).
  @inline(__always)
  fileprivate func modulo(_ divisor: Int) -> Int64 {
    let remainder = self % Int64(divisor)
    return remainder < 0 ? remainder + Int64(divisor) : remainder
  }
}

/// Raw storage for `RateTable`'s records: a head followed by its bucket counters, each record on
/// its own 64-byte boundary. Allocated once at the table's capacity (pages are touched only as
/// entries are made) and freed with the table.
final class RateRecords {
  private let base: UnsafeMutableRawPointer
  private let stride: Int
  private let headSize = MemoryLayout<RateTable.Head>.stride
  private let counterCount: Int

  init(capacity: Int, counters: Int) {
    counterCount = counters
    let bytes = MemoryLayout<RateTable.Head>.stride + counters * MemoryLayout<UInt32>.stride
    stride = (bytes + 63) / 64 * 64
    base = UnsafeMutableRawPointer.allocate(byteCount: stride * max(1, capacity), alignment: 128)
  }

  deinit { base.deallocate() }

  @inline(__always)
  func head(_ entry: Int) -> UnsafeMutablePointer<RateTable.Head> {
    (base + entry &* stride).assumingMemoryBound(to: RateTable.Head.self)
  }

  @inline(__always)
  func counters(_ entry: Int) -> UnsafeMutablePointer<UInt32> {
    (base + entry &* stride + headSize).assumingMemoryBound(to: UInt32.self)
  }

  func initialize(_ entry: Int, head: RateTable.Head) {
    (base + entry * stride).initializeMemory(as: RateTable.Head.self, repeating: head, count: 1)
    (base + entry * stride + headSize).initializeMemory(as: UInt32.self, repeating: 0, count: counterCount)
  }

  func move(from source: Int, to destination: Int) {
    head(destination).pointee = head(source).pointee
    counters(destination).update(from: counters(source), count: counterCount)
  }

  func deinitialize(_ entry: Int) {
    // Head and counters are trivial types: nothing to release.
  }
}
