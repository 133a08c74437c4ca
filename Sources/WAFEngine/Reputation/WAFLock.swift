#if canImport(Glibc)
  internal import Glibc
#endif

/// A mutex around `pthread_mutex_t` for the web ACL's shared state (reputation snapshots, rate
/// counters, the Redis connection). The same small pattern as RegoBuiltins' `Lock`; named apart so
/// the two never clash if the modules are merged.
final class WAFLock: @unchecked Sendable {
  // @unchecked: the mutex itself provides the synchronisation.
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  init() {
    mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Locks; pair with `unlock()` on hot paths where a closure would capture (and copy) arguments.
  @inline(__always)
  func lock() { pthread_mutex_lock(mutex) }

  /// Unlocks.
  @inline(__always)
  func unlock() { pthread_mutex_unlock(mutex) }

  @inline(__always)
  func withLock<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }
}
