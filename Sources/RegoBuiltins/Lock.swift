#if canImport(Glibc)
  internal import Glibc
#endif

/// A small mutex around pthread_mutex_t for caches shared across evaluations.
final class Lock: @unchecked Sendable {
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

  func withLock<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }
}
