/// One line of `/proc/PID/cgroup`: a controller list and the cgroup path.
public struct CGroupEntry: Sendable, Hashable {
  /// The controllers (`cpu,cpuacct`), or empty for the cgroup v2 unified hierarchy.
  public var controller: String
  /// The path inside the hierarchy, such as `/system.slice/docker-<id>.scope`.
  public var path: String

  /// Creates an entry.
  public init(controller: String, path: String) {
    self.controller = controller
    self.path = path
  }
}
