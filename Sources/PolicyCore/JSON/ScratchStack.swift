/// A growable stack over manually managed memory, for building arrays without reallocation.
///
/// The JSON parser pushes the members of every open array and object here and, when one closes,
/// moves its members into an exactly sized Swift array. Moving (not copying) avoids one retain and
/// one release per element, and sharing one stack across nesting levels avoids a growing
/// temporary array per container.
final class ScratchStack<Element> {
  /// The elements, `count` of them initialized (read in place by the parser).
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 256) {
    self.capacity = max(capacity, 16)
    base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
  }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  @inline(__always)
  func push(_ element: Element) {
    if count == capacity { grow() }
    (base + count).initialize(to: element)
    count += 1
  }

  private func grow() {
    let newCapacity = capacity * 2
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.moveInitialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }

  /// Moves the elements from `start` to the top into a new array and pops them.
  @inline(__always)
  func popArray(from start: Int) -> [Element] {
    popArray(from: start) { $0 }
  }

  /// Moves the elements from `start` to the top, transformed, into a new array and pops them.
  /// Appending into a reserved ContiguousArray stays on the specialized allocation path (see
  /// ArrayAllocation.swift); each element is moved, not copied.
  @inline(__always)
  func popArray<Result>(from start: Int, _ transform: (consuming Element) -> Result) -> [Result] {
    let length = count - start
    if length <= 0 { return [] }
    let source = base + start
    var result = ContiguousArray<Result>()
    result.reserveCapacity(length)
    for offset in 0..<length { result.append(transform((source + offset).move())) }
    count = start
    return Array(result)
  }

  /// Moves the elements at `start + order[i]`, transformed, into a new array in that order and
  /// pops everything from `start`. The caller has destroyed (`destroy(at:)`) every element
  /// `order` leaves out.
  func popArray<Result>(from start: Int, order: UnsafeBufferPointer<Int>, _ transform: (consuming Element) -> Result) -> [Result] {
    let source = base + start
    var result = ContiguousArray<Result>()
    result.reserveCapacity(order.count)
    for offset in order { result.append(transform((source + offset).move())) }
    count = start
    return Array(result)
  }

  /// Destroys the element at `index` in place; it must then be left out when popping.
  @inline(__always)
  func destroy(at index: Int) {
    (base + index).deinitialize(count: 1)
  }

  /// Drops every element (used after an error unwinds nested containers).
  func removeAll() {
    base.deinitialize(count: count)
    count = 0
  }
}
