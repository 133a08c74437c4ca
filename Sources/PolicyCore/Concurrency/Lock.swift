#if canImport(Glibc)
  internal import Glibc
#endif

/// A small mutex around `pthread_mutex_t`, for state shared across evaluations and requests
/// (builtin caches, reputation snapshots, a Redis connection).
public final class Lock: @unchecked Sendable {
  // @unchecked: the mutex itself provides the synchronisation.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  public init() {
    mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Locks; pair with `unlock()` on hot paths where a closure would capture (and copy) arguments.
  @inline(__always)
  public func lock() { pthread_mutex_lock(mutex) }

  /// Unlocks.
  @inline(__always)
  public func unlock() { pthread_mutex_unlock(mutex) }

  @inline(__always)
  public func withLock<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }
}
