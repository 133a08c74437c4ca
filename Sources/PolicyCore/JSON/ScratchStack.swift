/// A growable stack over manually managed memory, for building arrays without reallocation.
///
/// The JSON parser pushes the members of every open array and object here and, when one closes,
/// moves its members into an exactly sized Swift array. Moving (not copying) avoids one retain and
/// one release per element, and sharing one stack across nesting levels avoids a growing
/// temporary array per container.
final class ScratchStack<Element> {
  private var base: UnsafeMutablePointer<Element>
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
    let length = count - start
    if length <= 0 { return [] }
    let source = base + start
    // Appending into a reserved ContiguousArray stays on the specialized allocation path (see
    // ArrayAllocation.swift); each element is moved, not copied.
    var result = ContiguousArray<Element>()
    result.reserveCapacity(length)
    for offset in 0..<length { result.append((source + offset).move()) }
    count = start
    return Array(result)
  }

  /// Moves the elements at `start + order[i]` into a new array in that order and pops all from
  /// `start`; elements `order` leaves out are destroyed.
  func popArray(from start: Int, order: [Int]) -> [Element] {
    let length = count - start
    if length <= 0 { return [] }
    let source = base + start
    var taken = [Bool](repeating: false, count: length)
    var result = ContiguousArray<Element>()
    result.reserveCapacity(order.count)
    for offset in order {
      result.append((source + offset).move())
      taken[offset] = true
    }
    for offset in 0..<length where !taken[offset] { (source + offset).deinitialize(count: 1) }
    count = start
    return Array(result)
  }

  /// The element at `index` (below `count`).
  @inline(__always)
  subscript(index: Int) -> Element { base[index] }

  /// Pops the elements from `start` to the top.
  @inline(__always)
  func drop(from start: Int) {
    if count > start {
      (base + start).deinitialize(count: count - start)
      count = start
    }
  }

  /// Drops every element (used after an error unwinds nested containers).
  func removeAll() {
    base.deinitialize(count: count)
    count = 0
  }
}
