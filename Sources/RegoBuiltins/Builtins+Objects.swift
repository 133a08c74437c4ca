internal import PolicyCore

// The `object.*` family, after OPA's topdown/object.go and topdown/subset.go. Keys may be any
// value (Rego allows `{1: "a", [2]: "b"}`), and every lookup compares keys by value, so `1` and
// `1.0` name the same member.

extension BuiltinRegistry {
  /// Adds the objects family. Keep entries sorted by name.
  mutating func registerObjects() {
    /// `object.filter(object, keys)`: the members of `object` whose keys are in `keys` (an array,
    /// a set, or an object whose keys are used).
    ///
    ///     object.filter({"a": 1, "b": 2}, ["a"])  # {"a": 1}
    add("object.filter", arity: 2, category: "objects") { args, _ throws(BuiltinError) in
      let object = try args.object(0)
      let keys = try objectKeysOperand(args, 1)
      return .object(ValueObject(sortedUniqueEntries: object.filter { keys.contains($0.key) }))
    }

    /// `object.get(object, key, default)`: the member at `key`, or `default` when absent.
    ///
    /// When `key` is an array it is a path: each element selects an object member, an array
    /// index or a set element in turn, and `default` is returned as soon as one step is missing.
    /// An empty path returns `object` itself. A non-array `key` is always a single member key.
    ///
    ///     object.get({"a": {"b": 1}}, ["a", "b"], 0)  # 1
    ///     object.get({"a": 1}, "c", 0)                # 0
    add("object.get", arity: 3, category: "objects") { args, _ throws(BuiltinError) in
      let object = try args.object(0)
      guard case .array(let path) = args[1] else {
        return object[args[1]] ?? args[2]
      }
      var current = args[0]
      for step in path {
        guard let next = child(of: current, at: step) else { return args[2] }
        current = next
      }
      return current
    }

    /// `object.keys(object)`: the set of the object's keys.
    ///
    ///     object.keys({"a": 1, "b": 2})  # {"a", "b"}
    add("object.keys", arity: 1, category: "objects") { args, _ throws(BuiltinError) in
      .set(ValueSet(sortedUnique: try args.object(0).keys))
    }

    /// `object.remove(object, keys)`: `object` without the members whose keys are in `keys` (an
    /// array, a set, or an object whose keys are used).
    ///
    ///     object.remove({"a": 1, "b": 2}, {"a"})  # {"b": 2}
    add("object.remove", arity: 2, category: "objects") { args, _ throws(BuiltinError) in
      let object = try args.object(0)
      let keys = try objectKeysOperand(args, 1)
      return .object(ValueObject(sortedUniqueEntries: object.filter { !keys.contains($0.key) }))
    }

    /// `object.subset(super, sub)`: whether `sub` is contained in `super`.
    ///
    /// Objects: every key of `sub` is in `super` with an equal value, or with values that are
    /// both objects (recursively a subset), both sets (a subset) or both arrays (a contiguous
    /// run). Sets: plain subset. Arrays: `sub` appears as a contiguous run in `super`. An array
    /// `super` with a set `sub`: the elements of `sub` occur in `super` (counted as OPA counts
    /// them). Any other pair of types is a type error.
    ///
    ///     object.subset({"a": 1, "b": 2}, {"a": 1})  # true
    ///     object.subset([1, 2, 3, 4], [2, 3])        # true
    add("object.subset", arity: 2, category: "objects") { args, _ throws(BuiltinError) in
      switch (args[0], args[1]) {
      case (.object(let superObject), .object(let subObject)):
        return .bool(objectIsSubset(superObject, subObject))
      case (.set(let superSet), .set(let subSet)):
        return .bool(setIsSubset(superSet, subSet))
      case (.array(let superArray), .array(let subArray)):
        return .bool(arrayIsSubsequence(superArray, subArray))
      case (.array(let superArray), .set(let subSet)):
        return .bool(arrayContainsAll(superArray, subSet))
      default:
        throw BuiltinError(.type, "both arguments object.subset must be of the same type or array and set")
      }
    }

    /// `object.union(a, b)`: the members of both objects; for a key in both, `b`'s value wins
    /// unless both values are objects, which are merged the same way recursively.
    ///
    ///     object.union({"a": {"x": 1}, "b": 1}, {"a": {"y": 2}, "b": 2})
    ///     # {"a": {"x": 1, "y": 2}, "b": 2}
    add("object.union", arity: 2, category: "objects") { args, _ throws(BuiltinError) in
      let left = try args.object(0)
      let right = try args.object(1)
      return .object(mergeOverwriting(left, with: right))
    }

    /// `object.union_n(objects)`: `object.union` applied left to right over an array of objects,
    /// so later objects win conflicts.
    ///
    ///     object.union_n([{"a": 1}, {"a": 2, "b": 3}])  # {"a": 2, "b": 3}
    add("object.union_n", arity: 1, category: "objects") { args, _ throws(BuiltinError) in
      let objects = try args.array(0)
      var result = ValueObject()
      for element in objects {
        guard case .object(let object) = element else {
          throw BuiltinError(
            .type, "operand 1 must be array of objects but got array containing \(element.typeName)")
        }
        result = mergeOverwriting(result, with: object)
      }
      return .object(result)
    }
  }
}

/// The key collection of `object.remove` and `object.filter`: an array's elements, a set, or an
/// object's keys.
private func objectKeysOperand(_ args: BuiltinArguments, _ index: Int) throws(BuiltinError) -> ValueSet {
  switch args[index] {
  case .array(let elements): return ValueSet(elements)
  case .set(let set): return set
  case .object(let object): return ValueSet(sortedUnique: object.keys)
  default:
    throw BuiltinError(
      .type, "operand \(index + 1) must be one of {object, set, array} but got \(args[index].typeName)")
  }
}

/// One step of an `object.get` path, as OPA's `Value.Find` takes it: an object member, an array
/// element at an integer index, or a set element equal to the step.
private func child(of value: Value, at step: Value) -> Value? {
  switch value {
  case .object(let object):
    return object[step]
  case .array(let elements):
    guard case .number(let number) = step, let index = number.intValue,
      index >= 0, index < elements.count
    else { return nil }
    return elements[index]
  case .set(let set):
    return set.contains(step) ? step : nil
  default:
    return nil
  }
}

/// `object.union`'s merge: `right` wins conflicts except where both values are objects.
private func mergeOverwriting(_ left: ValueObject, with right: ValueObject) -> ValueObject {
  if left.isEmpty { return right }
  if right.isEmpty { return left }
  var merged: [ValueObject.Entry] = []
  merged.reserveCapacity(left.count + right.count)
  var leftIndex = 0
  var rightIndex = 0
  // Both objects are sorted by key: merge them in one pass.
  while leftIndex < left.count || rightIndex < right.count {
    if leftIndex == left.count {
      merged.append(right[rightIndex])
      rightIndex += 1
    } else if rightIndex == right.count {
      merged.append(left[leftIndex])
      leftIndex += 1
    } else {
      let order = Value.compare(left[leftIndex].key, right[rightIndex].key)
      if order < 0 {
        merged.append(left[leftIndex])
        leftIndex += 1
      } else if order > 0 {
        merged.append(right[rightIndex])
        rightIndex += 1
      } else {
        var entry = right[rightIndex]
        if case .object(let original) = left[leftIndex].value, case .object(let update) = entry.value {
          entry.value = .object(mergeOverwriting(original, with: update))
        }
        merged.append(entry)
        leftIndex += 1
        rightIndex += 1
      }
    }
  }
  return ValueObject(sortedUniqueEntries: merged)
}

private func objectIsSubset(_ superObject: ValueObject, _ subObject: ValueObject) -> Bool {
  for entry in subObject {
    guard let superValue = superObject[entry.key] else { return false }
    if superValue == entry.value { continue }
    switch (superValue, entry.value) {
    case (.object(let superChild), .object(let subChild)):
      if !objectIsSubset(superChild, subChild) { return false }
    case (.set(let superChild), .set(let subChild)):
      if !setIsSubset(superChild, subChild) { return false }
    case (.array(let superChild), .array(let subChild)):
      if !arrayIsSubsequence(superChild, subChild) { return false }
    default:
      return false
    }
  }
  return true
}

/// Sets are compared by membership only: OPA does not try to match nested values across sets.
private func setIsSubset(_ superSet: ValueSet, _ subSet: ValueSet) -> Bool {
  subSet.allSatisfy { superSet.contains($0) }
}

/// True when `sub` occurs as a contiguous run of `superArray` (an empty `sub` always does).
private func arrayIsSubsequence(_ superArray: [Value], _ sub: [Value]) -> Bool {
  if sub.count > superArray.count { return false }
  if sub.isEmpty { return true }
  for start in 0...(superArray.count - sub.count) {
    var matches = true
    for offset in 0..<sub.count where superArray[start + offset] != sub[offset] {
      matches = false
      break
    }
    if matches { return true }
  }
  return false
}

/// True when `superArray` holds as many members of `sub` as `sub` has elements.
///
/// OPA counts down once per array element found in the set and succeeds when the count reaches
/// zero, so duplicates in the array count again (`[1, 1]` "contains" `{1, 2}`), and an empty set
/// is contained in any non-empty array but not in an empty one. We keep those quirks.
private func arrayContainsAll(_ superArray: [Value], _ sub: ValueSet) -> Bool {
  var unmatched = sub.count
  for element in superArray {
    if sub.contains(element) { unmatched -= 1 }
    if unmatched == 0 { return true }
  }
  return false
}
