internal import PolicyCore

// Graph reachability, after OPA's v1/topdown/reachable.go. A graph is an object from node to
// its neighbours (an array or set); nodes that are not keys have no outgoing edges and, for
// `graph.reachable`, are not reported. `walk` belongs to the interpreter.

extension BuiltinRegistry {
  /// Adds the graph family. Keep entries sorted.
  mutating func registerGraph() {
    add("graph.reachable", arity: 2, category: "graph", GraphBuiltins.reachable)
    add("graph.reachable_paths", arity: 2, category: "graph", GraphBuiltins.reachablePaths)
  }
}

private enum GraphBuiltins {
  /// `graph.reachable(graph, initial)`: the set of nodes reachable from the nodes in `initial`
  /// (an array or set), including those initial nodes that are keys of `graph`.
  ///
  ///     graph.reachable({"a": {"b"}, "b": {"c"}, "c": set()}, {"a"}) == {"a", "b", "c"}
  static func reachable(_ arguments: BuiltinArguments, _ context: BuiltinContext) throws(BuiltinError) -> Value {
    let graph = try arguments.object(0)
    var queue = try initialNodes(arguments)
    var reached = Set<Value>()
    var head = 0
    while head < queue.count {
      let node = queue[head]
      head += 1
      guard !reached.contains(node), let edges = graph[node] else { continue }
      reached.insert(node)
      for neighbor in vertices(edges) where !reached.contains(neighbor) { queue.append(neighbor) }
    }
    return .set(ValueSet(reached))
  }

  /// `graph.reachable_paths(graph, initial)`: the set of maximal paths (arrays of nodes) from
  /// each node in `initial`, each ending at a node without edges, before an edge back into the
  /// path, or before a neighbour that is not a key of `graph`.
  ///
  ///     graph.reachable_paths({"a": ["b", "c"], "b": ["c"], "c": []}, {"a"})
  ///       == {["a", "b", "c"], ["a", "c"]}
  ///
  /// - Throws: when the search visits more paths than the evaluation step limit (the number
  ///   of paths can grow exponentially with the graph).
  static func reachablePaths(
    _ arguments: BuiltinArguments, _ context: BuiltinContext
  ) throws(BuiltinError) -> Value {
    let graph = try arguments.object(0)
    let initial = try initialNodes(arguments)
    var paths = Set<Value>()

    // Depth-first search with an explicit stack, so long chains cannot exhaust the call stack.
    struct Step {
      var node: Value
      var path: [Value]  // the path before `node`
      var visited: ValueSet  // the nodes on `path`
    }
    var stack: [Step] = []
    for node in initial {
      guard let edges = graph[node] else { continue }
      let neighbors = vertices(edges)
      if neighbors.isEmpty {
        paths.insert(.array([node]))
        continue
      }
      for neighbor in neighbors {
        stack.append(Step(node: neighbor, path: [node], visited: ValueSet([node])))
      }
    }
    let limit = Swift.max(context.limits.maxEvaluationSteps, 1)
    var visits = 0
    while let step = stack.popLast() {
      visits += 1
      if visits > limit { throw .failure("more than \(limit) paths to explore") }
      guard let edges = graph[step.node] else {
        // Not a node of the graph: the path ends before it.
        paths.insert(.array(step.path))
        continue
      }
      let path = step.path + [step.node]
      let neighbors = vertices(edges)
      if neighbors.isEmpty {
        paths.insert(.array(path))
        continue
      }
      var visited = step.visited
      visited.insert(step.node)
      for neighbor in neighbors {
        if visited.contains(neighbor) {
          // An edge back into the path ends it.
          paths.insert(.array(path))
        } else {
          stack.append(Step(node: neighbor, path: path, visited: visited))
        }
      }
    }
    return .set(ValueSet(paths))
  }

  /// The nodes of the `initial` operand, an array or a set.
  private static func initialNodes(_ arguments: BuiltinArguments) throws(BuiltinError) -> [Value] {
    switch arguments[1] {
    case .array(let elements): return elements
    case .set(let set): return set.sortedElements
    default: throw .operand(1, mustBe: "{array, set}", got: arguments[1])
    }
  }

  /// The neighbours listed in an edge collection; anything but an array or set lists none.
  private static func vertices(_ edges: Value) -> [Value] {
    switch edges {
    case .array(let elements): return elements
    case .set(let set): return set.sortedElements
    default: return []
    }
  }
}
