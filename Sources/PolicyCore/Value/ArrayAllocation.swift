// Array allocation that stays on the specialized path.
//
// With the Swift 6.3 toolchain, `Array(repeating:count:)`, `Array(unsafeUninitializedCapacity:)`
// and `Array.reserveCapacity` call the standard library's unspecialized
// `_allocateBufferUninitialized`, which looks up the metadata of `_ContiguousArrayStorage<T>` in
// the runtime's hash map on every call: measured at 7% of a small Gatekeeper evaluation. The
// growth path of `ContiguousArray` is specialized in the caller and caches the metadata, and a
// `ContiguousArray` converts to an `Array` without copying, so hot paths allocate through here.

extension Array {
  /// An empty array with room for at least `capacity` elements.
  @inlinable @inline(__always)
  public static func reserved(_ capacity: Int) -> [Element] {
    var storage = ContiguousArray<Element>()
    storage.reserveCapacity(capacity)
    return Array(storage)
  }

  /// `count` copies of `value` (like `Array(repeating:count:)`).
  @inlinable @inline(__always)
  public static func filled(_ value: Element, count: Int) -> [Element] {
    var storage = ContiguousArray<Element>()
    storage.reserveCapacity(count)
    for _ in 0..<Swift.max(count, 0) { storage.append(value) }
    return Array(storage)
  }
}
