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

  // Slots: the key hash and the entry index (-1 empty).
  private var slotHashes: [UInt64]
  private var slotEntries: [Int32]

  // Entries, dense in 0..<count.
  private var keys: [[UInt8]] = []
  private var hashes: [UInt64] = []
  private var newestBucket: [Int64] = []
  private var totals: [Int] = []
  private var counters: [UInt32] = []

  /// Where eviction sampling and idle expiry look next.
  private var hand = 0

  private(set) var evictions = 0
  private(set) var expirations = 0

  var count: Int { keys.count }

  init(window: RateWindow, capacity: Int) {
    self.window = window
    self.capacity = max(1, capacity)
    self.bucketCount = window.buckets
    var slots = 8
    while slots < self.capacity * 2 { slots <<= 1 }
    slotMask = slots - 1
    slotHashes = [UInt64](repeating: 0, count: slots)
    slotEntries = [Int32](repeating: -1, count: slots)
    keys.reserveCapacity(self.capacity)
    hashes.reserveCapacity(self.capacity)
    newestBucket.reserveCapacity(self.capacity)
    totals.reserveCapacity(self.capacity)
    counters.reserveCapacity(self.capacity * bucketCount)
  }

  // MARK: - Counting

  /// Records one request and returns the window count including it.
  mutating func record(_ key: RateKey, bucket: Int64) -> Int {
    let entry: Int
    if let found = find(key) {
      entry = found
    } else {
      entry = insert(key, bucket: bucket)
    }
    advance(entry, to: bucket)
    let newest = newestBucket[entry]
    let slot = entry * bucketCount + Int(newest.modulo(bucketCount))
    counters[slot] &+= 1
    totals[entry] += 1
    return totals[entry]
  }

  /// The window count for a key without recording; 0 for an unknown key.
  mutating func peek(_ key: RateKey, bucket: Int64) -> Int {
    guard let entry = find(key) else { return 0 }
    advance(entry, to: bucket)
    return totals[entry]
  }

  /// Drops the buckets that left the window by `bucket`. Older times never move a window back.
  @inline(__always)
  private mutating func advance(_ entry: Int, to bucket: Int64) {
    let newest = newestBucket[entry]
    guard bucket > newest else { return }
    let base = entry * bucketCount
    if bucket - newest >= Int64(bucketCount) {
      for index in base..<(base + bucketCount) { counters[index] = 0 }
      totals[entry] = 0
    } else {
      var step = newest + 1
      while step <= bucket {
        let index = base + Int(step.modulo(bucketCount))
        totals[entry] -= Int(counters[index])
        counters[index] = 0
        step += 1
      }
    }
    newestBucket[entry] = bucket
  }

  // MARK: - Table

  @inline(__always)
  private func find(_ key: RateKey) -> Int? {
    var slot = Int(truncatingIfNeeded: key.hash) & slotMask
    while true {
      let entry = slotEntries[slot]
      if entry < 0 { return nil }
      if slotHashes[slot] == key.hash, keys[Int(entry)] == key.bytes { return Int(entry) }
      slot = (slot + 1) & slotMask
    }
  }

  private mutating func insert(_ key: RateKey, bucket: Int64) -> Int {
    // Idle keys go first: look at two entries per insert, so expiry keeps pace with new keys.
    expireIdle(at: bucket, budget: 2)
    if keys.count >= capacity { evictOne(at: bucket) }
    let entry = keys.count
    keys.append(key.bytes)
    hashes.append(key.hash)
    newestBucket.append(bucket)
    totals.append(0)
    counters.append(contentsOf: repeatElement(0, count: bucketCount))
    var slot = Int(truncatingIfNeeded: key.hash) & slotMask
    while slotEntries[slot] >= 0 { slot = (slot + 1) & slotMask }
    slotHashes[slot] = key.hash
    slotEntries[slot] = Int32(entry)
    return entry
  }

  /// Whether an entry's whole window has passed.
  private func isIdle(_ entry: Int, at bucket: Int64) -> Bool {
    bucket - newestBucket[entry] >= Int64(bucketCount)
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
      if totals[entry] < lowest {
        lowest = totals[entry]
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
    while Int(slotEntries[slot]) != entry { slot = (slot + 1) & slotMask }
    return slot
  }

  /// Removes an entry: backward-shift deletion in the slots, then the last entry moves into its
  /// place in the dense arrays.
  private mutating func remove(_ entry: Int) {
    var hole = slot(of: entry)
    var probe = hole
    while true {
      probe = (probe + 1) & slotMask
      let moving = slotEntries[probe]
      if moving < 0 { break }
      let home = Int(truncatingIfNeeded: slotHashes[probe]) & slotMask
      // Move the probed slot into the hole unless its home lies cyclically in (hole, probe].
      let inRange = hole <= probe ? (home > hole && home <= probe) : (home > hole || home <= probe)
      if !inRange {
        slotHashes[hole] = slotHashes[probe]
        slotEntries[hole] = moving
        hole = probe
      }
    }
    slotEntries[hole] = -1
    slotHashes[hole] = 0

    let last = keys.count - 1
    if entry != last {
      let lastSlot = slot(of: last)
      slotEntries[lastSlot] = Int32(entry)
      keys[entry] = keys[last]
      hashes[entry] = hashes[last]
      newestBucket[entry] = newestBucket[last]
      totals[entry] = totals[last]
      for index in 0..<bucketCount {
        counters[entry * bucketCount + index] = counters[last * bucketCount + index]
      }
    }
    keys.removeLast()
    hashes.removeLast()
    newestBucket.removeLast()
    totals.removeLast()
    counters.removeLast(bucketCount)
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
