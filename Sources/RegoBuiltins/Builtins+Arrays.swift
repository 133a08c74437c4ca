internal import PolicyCore

// The `array.*` family, after OPA's topdown/array.go: concatenation, clamped slicing, reversal
// and one-level flattening. Every builtin here is total over arrays, so the only failures are
// operand type errors.

extension BuiltinRegistry {
  /// Adds the arrays family. Keep entries sorted by name.
  mutating func registerArrays() {
    /// `array.concat(x, y)`: the elements of `x` followed by the elements of `y`.
    ///
    ///     array.concat([1, 2], [3, 4])  # [1, 2, 3, 4]
    add("array.concat", arity: 2, category: "arrays") { args, _ throws(BuiltinError) in
      let left = try args.array(0)
      let right = try args.array(1)
      return .array(left + right)
    }

    /// `array.flatten(arr)`: splices the elements of every nested array into the outer array,
    /// one level deep; other elements stay as they are.
    ///
    ///     array.flatten([[1, 2], 3, [[4]]])  # [1, 2, 3, [4]]
    add("array.flatten", arity: 1, category: "arrays") { args, _ throws(BuiltinError) in
      let elements = try args.array(0)
      var result: [Value] = []
      result.reserveCapacity(elements.count)
      for element in elements {
        if case .array(let inner) = element {
          result.append(contentsOf: inner)
        } else {
          result.append(element)
        }
      }
      return .array(result)
    }

    /// `array.reverse(arr)`: the elements in reverse order.
    ///
    ///     array.reverse([1, 2, 3])  # [3, 2, 1]
    add("array.reverse", arity: 1, category: "arrays") { args, _ throws(BuiltinError) in
      .array(try args.array(0).reversed())
    }

    /// `array.slice(arr, start, stop)`: the elements from index `start` (inclusive) to `stop`
    /// (exclusive).
    ///
    /// As in OPA, indices are clamped rather than rejected: a negative `stop` becomes 0, a `stop`
    /// past the end becomes the length, a negative `start` becomes 0 and a `start` past `stop`
    /// becomes `stop`, so the result is empty instead of an error.
    ///
    ///     array.slice([1, 2, 3, 4, 5], 1, 3)  # [2, 3]
    add("array.slice", arity: 3, category: "arrays") { args, _ throws(BuiltinError) in
      let elements = try args.array(0)
      var start = try args.int(1)
      var stop = try args.int(2)
      if stop < 0 {
        stop = 0
      } else if stop > elements.count {
        stop = elements.count
      }
      if start < 0 {
        start = 0
      } else if start > stop {
        start = stop
      }
      return .array(Array(elements[start..<stop]))
    }
  }
}
