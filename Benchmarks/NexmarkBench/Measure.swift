import Foundation

/// Monotonic seconds.
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// User + system CPU seconds of the whole process (every thread) so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

/// A field of /proc/self/status in bytes (VmRSS, VmHWM), or nil off Linux.
private func procStatusBytes(_ field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let kb = line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
        return kb.flatMap { Int($0) }.map { $0 * 1024 }
    }
    return nil
}

/// The resident set now.
func currentRSSBytes() -> Int { procStatusBytes("VmRSS") ?? 0 }

/// Resets the kernel's peak-RSS mark to the current RSS (Linux `clear_refs` 5), so `peakRSSBytes`
/// measures one query; returns false where that is not possible (then the peak is the process's).
/// Before each query: hand the heap's free memory back to the kernel (glibc keeps what earlier
/// queries freed, which would otherwise count in the next query's resident set).
@discardableResult
func resetPeakRSS() -> Bool {
    #if os(Linux)
    // glibc's malloc_trim, which the Glibc module does not export (RTLD_DEFAULT is null).
    if let sym = dlsym(nil, "malloc_trim") {
        typealias Trim = @convention(c) (Int) -> Int32
        _ = unsafeBitCast(sym, to: Trim.self)(0)
    }
    #endif
    guard let fd = fopen("/proc/self/clear_refs", "w") else { return false }
    defer { fclose(fd) }
    return fputs("5", fd) >= 0
}

/// The peak resident set since the last `resetPeakRSS` (or since start).
func peakRSSBytes() -> Int {
    if let hwm = procStatusBytes("VmHWM") { return hwm }
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss
    #endif
}

func percentile(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
        switch c {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
        }
    }
    return out + "\""
}

func fmt(_ v: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", v) }

/// 1234567 → "1.23 M", 12345 → "12.3 k".
func human(_ v: Double) -> String {
    if v >= 1e6 { return String(format: "%.2f M", v / 1e6) }
    if v >= 1e3 { return String(format: "%.1f k", v / 1e3) }
    return String(format: "%.0f", v)
}

/// A plain text table, columns right-aligned except the first and any named in `left`.
func renderTable(_ header: [String], _ rows: [[String]], left: Set<Int> = [0]) -> String {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
            return left.contains(i) ? c + pad : pad + c
        }.joined(separator: "  ")
    }
    var out = line(header) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    for r in rows { out += line(r) + "\n" }
    return out
}
