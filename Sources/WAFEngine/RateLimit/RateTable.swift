#if canImport(Glibc)
  internal import Glibc
#endif

/// The counters of one in-memory shard: an open-addressing hash table (linear probing, backward
/// shift deletion, no tombstones) whose slots are the records themselves. Not thread-safe;
/// `InMemoryRateStore` guards each table with its own lock.
///
/// A slot is one 64-byte-aligned record: the key's hash, its window position and count, its
/// length and first 32 bytes, then its bucket counters. The key's hash picks its home slot, so
/// a decision for a key already present reads the record it updates and nothing else: with
/// 100k keys the table is far larger than the cache, and a separate index in front of dense
/// records cost a second dependent cache miss per decision. Recording a request for a known key
/// does not allocate. Keys longer than 32 bytes also keep their bytes in a side array, moved
/// with their record.
struct RateTable {
  let window: RateWindow
  let capacity: Int
  private let bucketCount: Int
  /// Slots: half again the capacity, so the table is at most two-thirds full.
  private let slotCount: Int

  /// A record's fixed part; all zero in an empty slot (the table starts as zeroed memory).
  struct Head {
    var hash: UInt64
    var newestBucket: Int64
    var total: Int32
    /// The key's length plus one: 0 marks an empty slot.
    var storedLength: Int32
    /// `newestBucket` modulo the bucket count, kept up to date so a decision needs no division.
    var newestSlot: Int32
    var prefixWords: (UInt64, UInt64, UInt64, UInt64)

    @inline(__always)
    func matches(_ key: RateKey.Inline) -> Bool {
      hash == key.hash && Int(storedLength) == key.byteCount + 1 && prefixWords.0 == key.prefixWords.0
        && prefixWords.1 == key.prefixWords.1 && prefixWords.2 == key.prefixWords.2
        && prefixWords.3 == key.prefixWords.3
    }

    static let empty = Head(hash: 0, newestBucket: 0, total: 0, storedLength: 0, newestSlot: 0, prefixWords: (0, 0, 0, 0))
  }

  private let records: RateRecords
  /// Per slot, the bytes of a key longer than 32 bytes (empty otherwise); allocated with the
  /// first such key.
  private var longKeys: [[UInt8]] = []

  /// Where eviction sampling and idle expiry look next (a slot).
  private var hand = 0

  private(set) var count = 0
  private(set) var evictions = 0
  private(set) var expirations = 0

  init(window: RateWindow, capacity: Int) {
    self.window = window
    self.capacity = max(1, capacity)
    self.bucketCount = window.buckets
    slotCount = max(8, self.capacity + self.capacity / 2 + 1)
    records = RateRecords(capacity: slotCount, counters: window.buckets)
  }

  // MARK: - Counting

  /// Records one request and returns the window count including it.
  /// `key` is the key's inline part, `overflow` its bytes when longer than 32 (else nil).
  mutating func record(_ key: RateKey.Inline, overflow: [UInt8]?, bucket: Int64) -> Int {
    let slot: Int
    if let found = find(key, overflow) {
      slot = found
    } else {
      slot = insert(key, overflow, bucket: bucket)
    }
    advance(slot, to: bucket)
    let head = records.head(slot)
    records.counters(slot)[Int(head.pointee.newestSlot)] &+= 1
    head.pointee.total &+= 1
    return Int(head.pointee.total)
  }

  /// The window count for a key without recording; 0 for an unknown key.
  mutating func peek(_ key: RateKey.Inline, overflow: [UInt8]?, bucket: Int64) -> Int {
    guard let slot = find(key, overflow) else { return 0 }
    advance(slot, to: bucket)
    return Int(records.head(slot).pointee.total)
  }

  /// Drops the buckets that left the window by `bucket`. Older times never move a window back.
  @inline(__always)
  private func advance(_ slot: Int, to bucket: Int64) {
    let head = records.head(slot)
    let newest = head.pointee.newestBucket
    guard bucket > newest else { return }
    let counters = records.counters(slot)
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

  /// The key's home slot: the low 32 bits of its hash scaled to the slot count (the store picks
  /// the shard from the top bits, so the two stay independent).
  @inline(__always)
  private func home(_ hash: UInt64) -> Int {
    Int(truncatingIfNeeded: ((hash & 0xFFFF_FFFF) &* UInt64(slotCount)) >> 32)
  }

  @inline(__always)
  private func next(_ slot: Int) -> Int {
    slot + 1 == slotCount ? 0 : slot + 1
  }

  @inline(__always)
  private func isOccupied(_ slot: Int) -> Bool { records.head(slot).pointee.storedLength != 0 }

  @inline(__always)
  private func find(_ key: RateKey.Inline, _ overflow: [UInt8]?) -> Int? {
    var slot = home(key.hash)
    while true {
      let head = records.head(slot)
      if head.pointee.storedLength == 0 { return nil }
      // Keys up to 32 bytes are verified in full by the inline copy; longer ones also compare
      // the stored bytes.
      if head.pointee.matches(key), overflow == nil || longKeys[slot] == overflow { return slot }
      slot = next(slot)
    }
  }

  private mutating func insert(_ key: RateKey.Inline, _ overflow: [UInt8]?, bucket: Int64) -> Int {
    // Idle keys go first: look at two entries per insert, so expiry keeps pace with new keys.
    expireIdle(at: bucket, budget: 2)
    if count >= capacity { evictOne(at: bucket) }
    var slot = home(key.hash)
    while isOccupied(slot) { slot = next(slot) }
    records.initialize(
      slot,
      head: Head(
        hash: key.hash, newestBucket: bucket, total: 0, storedLength: Int32(truncatingIfNeeded: key.byteCount + 1),
        newestSlot: Int32(bucket.modulo(bucketCount)), prefixWords: key.prefixWords))
    if let overflow {
      if longKeys.isEmpty { longKeys = [[UInt8]](repeating: [], count: slotCount) }
      longKeys[slot] = overflow
    }
    count += 1
    return slot
  }

  /// Whether a record's whole window has passed.
  private func isIdle(_ slot: Int, at bucket: Int64) -> Bool {
    bucket - records.head(slot).pointee.newestBucket >= Int64(bucketCount)
  }

  /// Removes idle entries among the next `budget` entries at the hand (looking at no more than
  /// four slots per entry of budget, so a sparse table costs no long scan).
  private mutating func expireIdle(at bucket: Int64, budget: Int) {
    var seen = 0
    var scanned = 0
    while seen < budget, scanned < budget * 4, count > 0 {
      if hand >= slotCount { hand = 0 }
      scanned += 1
      guard isOccupied(hand) else {
        hand += 1
        continue
      }
      seen += 1
      if isIdle(hand, at: bucket) {
        // The next record of the run may shift into this slot: look at it again.
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
    var sampled = 0
    var slot = hand < slotCount ? hand : 0
    var scanned = 0
    while sampled < min(8, count), scanned < slotCount {
      if isOccupied(slot) {
        advance(slot, to: bucket)
        let total = Int(records.head(slot).pointee.total)
        if total < lowest {
          lowest = total
          victim = slot
        }
        sampled += 1
      }
      slot = next(slot)
      scanned += 1
    }
    guard victim >= 0 else { return }
    hand = next(victim)
    remove(victim)
    if lowest == 0 { expirations += 1 } else { evictions += 1 }
  }

  /// Removes every idle entry; returns how many.
  mutating func purge(at bucket: Int64) -> Int {
    var removed = 0
    var slot = 0
    while slot < slotCount {
      if isOccupied(slot), isIdle(slot, at: bucket) {
        // Backward shift may move the next record of the run here: look at the slot again.
        remove(slot)
        removed += 1
      } else {
        slot += 1
      }
    }
    expirations += removed
    return removed
  }

  /// Removes the record in `slot`: backward-shift deletion, so probe runs stay unbroken without
  /// tombstones.
  private mutating func remove(_ slot: Int) {
    var hole = slot
    var probe = slot
    while true {
      probe = next(probe)
      guard isOccupied(probe) else { break }
      let home = home(records.head(probe).pointee.hash)
      // Move the probed record into the hole unless its home lies cyclically in (hole, probe].
      let inRange = hole <= probe ? (home > hole && home <= probe) : (home > hole || home <= probe)
      if !inRange {
        records.move(from: probe, to: hole)
        if !longKeys.isEmpty { longKeys[hole] = longKeys[probe] }
        hole = probe
      }
    }
    records.head(hole).pointee = .empty
    if !longKeys.isEmpty { longKeys[hole] = [] }
    count -= 1
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
/// its own 64-byte boundary. Allocated once for all slots and freed with the table.
final class RateRecords {
  /// The block as allocated (for releasing it), its size when mapped, and its first aligned byte.
  private let block: UnsafeMutableRawPointer
  private let mappedSize: Int
  private let base: UnsafeMutableRawPointer
  private let stride: Int
  private let headSize = MemoryLayout<RateTable.Head>.stride
  private let counterCount: Int

  /// Zeroed records (empty slots); memory is committed only where records are written.
  ///
  /// A table of 2 MiB or more is mapped on a 2 MiB boundary and marked `MADV_HUGEPAGE`, so the
  /// kernel may back it with huge pages even where transparent huge pages are opt-in (`madvise`
  /// mode, as on these machines): a decision touches one random record, and with 4 KiB pages it
  /// also missed the TLB (a nested page walk under a hypervisor). Measured with `policy waf
  /// bench` at 100k keys: 11.1-11.4 M/s without, 11.5-13.2 M/s with. Smaller tables come from
  /// `calloc`.
  init(capacity: Int, counters: Int) {
    counterCount = counters
    let bytes = MemoryLayout<RateTable.Head>.stride + counters * MemoryLayout<UInt32>.stride
    stride = (bytes + 63) / 64 * 64
    let size = stride * max(1, capacity)
    let hugePage = 2 << 20
    if size >= hugePage {
      let rounded = (size + hugePage - 1) / hugePage * hugePage
      let mapped = mmap(nil, rounded + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
      if let mapped, mapped != MAP_FAILED {
        block = mapped
        mappedSize = rounded + hugePage
        let misalignment = Int(bitPattern: mapped) & (hugePage - 1)
        base = misalignment == 0 ? mapped : mapped + (hugePage - misalignment)
        _ = madvise(base, rounded, MADV_HUGEPAGE)
        return
      }
    }
    guard let allocated = calloc(size + 64, 1) else {
      fatalError("out of memory for a rate table of \(capacity) slots")
    }
    block = allocated
    mappedSize = 0
    let misalignment = Int(bitPattern: allocated) & 63
    base = misalignment == 0 ? allocated : allocated + (64 - misalignment)
  }

  deinit {
    if mappedSize > 0 { munmap(block, mappedSize) } else { free(block) }
  }

  @inline(__always)
  func head(_ slot: Int) -> UnsafeMutablePointer<RateTable.Head> {
    (base + slot &* stride).assumingMemoryBound(to: RateTable.Head.self)
  }

  @inline(__always)
  func counters(_ slot: Int) -> UnsafeMutablePointer<UInt32> {
    (base + slot &* stride + headSize).assumingMemoryBound(to: UInt32.self)
  }

  func initialize(_ slot: Int, head: RateTable.Head) {
    self.head(slot).pointee = head
    counters(slot).update(repeating: 0, count: counterCount)
  }

  func move(from source: Int, to destination: Int) {
    head(destination).pointee = head(source).pointee
    counters(destination).update(from: counters(source), count: counterCount)
  }
}
