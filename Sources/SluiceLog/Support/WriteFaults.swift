import Synchronization

/// Injected write faults, for tests of what a full disk or a crash in the middle of a write does
/// (a real full disk needs a tiny file system, which tests cannot mount without privileges).
///
/// Off by default; the check on the write path is one atomic load. `package` so the crash-test
/// child (`Sources/LogCrashChild`) can stall its own writes.
package enum WriteFaults {
    private struct Rule {
        var substring: String
        var errno: Int32?
        var stallMicroseconds: UInt32
        var remaining: Int
    }

    private static let enabled = Atomic<Bool>(false)
    private static let rule = Mutex<Rule?>(nil)

    /// Makes the next `count` writes to files whose path contains `substring` fail with `code`.
    package static func failWrites(toPathsContaining substring: String, errno code: Int32, count: Int = .max) {
        rule.withLock { $0 = Rule(substring: substring, errno: code, stallMicroseconds: 0, remaining: count) }
        enabled.store(true, ordering: .sequentiallyConsistent)
    }

    /// Makes every write to files whose path contains `substring` write half its bytes, sleep, then
    /// write the rest: a process killed meanwhile leaves a torn batch behind.
    package static func stallWrites(toPathsContaining substring: String, microseconds: UInt32) {
        rule.withLock { $0 = Rule(substring: substring, errno: nil, stallMicroseconds: microseconds, remaining: .max) }
        enabled.store(true, ordering: .sequentiallyConsistent)
    }

    package static func reset() {
        enabled.store(false, ordering: .sequentiallyConsistent)
        rule.withLock { $0 = nil }
    }

    /// The fault for a write to `path`, if any: an errno to fail with, or a stall in microseconds.
    @inline(__always)
    static func injected(for path: String) -> (errno: Int32?, stall: UInt32)? {
        guard enabled.load(ordering: .relaxed) else { return nil }
        return rule.withLock { rule -> (errno: Int32?, stall: UInt32)? in
            guard let current = rule, current.remaining > 0, path.contains(current.substring) else { return nil }
            rule!.remaining -= 1
            return (current.errno, current.stallMicroseconds)
        }
    }
}
