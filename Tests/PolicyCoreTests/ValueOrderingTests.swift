import PolicyCore
import Testing

@Suite("Value order, equality and hashing follow OPA")
struct ValueOrderingTests {
  @Test("kinds order null < boolean < number < string < array < object < set")
  func kindOrder() {
    let ascending: [Value] = [
      .null, false, true, -1, 0, 2.5, 10, "", "A", "a", "é", .array([]), [1], [1, 1], [2],
      .object(ValueObject()), ["a": 1], ["a": 2], ["b": 0], .set(ValueSet()), .set(ValueSet([1])),
    ]
    for (index, value) in ascending.enumerated() {
      for later in ascending[(index + 1)...] {
        #expect(value < later, "\(value.json) < \(later.json)")
        #expect(!(later < value))
        #expect(value != later)
      }
      #expect(Value.compare(value, value) == 0)
    }
    // Sorting a shuffled copy gives the order back.
    var shuffled = ascending
    var generator = SplitMix(seed: 7)
    shuffled.shuffle(using: &generator)
    #expect(shuffled.sorted() == ascending)
  }

  @Test("numbers compare and hash by value across representations")
  func numbers() {
    let pairs: [(Value, Value)] = [
      (1, .number(Number(literal: "1.0")!)),
      (1000, .number(Number(literal: "1e3")!)),
      (0, .number(Number(literal: "-0")!)),
      (0, .number(Number(literal: "0.000e10")!)),
      (.number(Number(0.5)), .number(Number(literal: "5E-1")!)),
      (.number(Number(literal: "12345678901234567890")!), .number(Number(literal: "1.2345678901234567890e19")!)),
    ]
    for (left, right) in pairs {
      #expect(left == right, "\(left.json) == \(right.json)")
      #expect(left.hashValue == right.hashValue, "\(left.json) hashes like \(right.json)")
    }
    let ordered: [Number] = [
      Number(literal: "-1e400")!, -5, Number(literal: "-0.5")!, 0, Number(literal: "1e-400")!,
      Number(literal: "0.1")!, Number(literal: "0.10000000000000001")!, 1, Number(9_007_199_254_740_993),
      Number(literal: "9007199254740993.5")!, Number(literal: "12345678901234567890")!, Number(literal: "1e400")!,
    ]
    for index in 1..<ordered.count {
      #expect(ordered[index - 1] < ordered[index], "\(ordered[index - 1]) < \(ordered[index])")
    }
  }

  @Test("strings order by UTF-8 bytes")
  func strings() {
    #expect(Value.string("Z") < Value.string("a"))
    #expect(Value.string("z") < Value.string("é"))
    #expect(Value.string("ab") < Value.string("abc"))
    #expect(Value.string("\u{FFFF}") < Value.string("😀"))
  }

  @Test("objects: keys sorted, lookup by any key, last duplicate wins")
  func objects() {
    var object = ValueObject([("b", 2), ("a", 1), ("b", 3)])
    #expect(object.keys == ["a", "b"])
    #expect(object["b"] == 3)
    #expect(object[Value.string("a")] == 1)
    #expect(object["zz"] == nil)
    object.set(true, forKey: 5)
    object.set(false, forKey: "aa")
    #expect(object.keys == [5, "a", "aa", "b"])
    #expect(object["aa"] == false)
    #expect(object[5] == true)
    let removed = object.remove(key: "a")
    #expect(removed == 1)
    #expect(object.count == 3)
  }

  @Test("sets: sorted unique members and set algebra")
  func sets() {
    let left = ValueSet([3, 1, 2, 1, "x"])
    let right = ValueSet([2, "x", "y"])
    #expect(Array(left) == [1, 2, 3, "x"])
    #expect(left.contains(2) && !left.contains(4))
    #expect(Array(left.union(right)) == [1, 2, 3, "x", "y"])
    #expect(Array(left.intersection(right)) == [2, "x"])
    #expect(Array(left.subtracting(right)) == [1, 3])
    var mutable = left
    let inserted = mutable.insert(0)
    let insertedAgain = mutable.insert(0)
    let removed = mutable.remove(3)
    #expect(inserted && !insertedAgain && removed)
    #expect(Array(mutable) == [0, 1, 2, "x"])
  }

  @Test("values work as dictionary keys")
  func hashing() {
    var counts: [Value: Int] = [:]
    counts[["a": [1, 2]], default: 0] += 1
    counts[["a": [1, 2]], default: 0] += 1
    counts[.set(ValueSet([2, 1]))] = 5
    #expect(counts[["a": [1, 2]]] == 2)
    #expect(counts[.set(ValueSet([1, 2]))] == 5)
  }
}

extension SplitMix: RandomNumberGenerator {}
