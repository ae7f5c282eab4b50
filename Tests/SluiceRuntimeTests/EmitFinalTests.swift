import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

@testable import SluiceRuntime

/// EMIT FINAL over time windows: when windows are released, and which ones never are.
@Suite("EMIT FINAL")
struct EmitFinalTests {
    func ms(_ n: Int64) -> Duration { Duration(n, .milliseconds) }

    /// Feeds (key, value, timestamp) rows through SUM(value) and returns what was released, as
    /// "key[start,end)=sum@ts".
    func released(_ window: WindowSpec, _ rows: [(String, Int32, Int64)]) throws -> [String] {
        let out = Collector()
        let ctx = context()
        let op = AggregateOperator(try OperatorTests().sumNode(window: window, emitFinal: true), next: out)
        for (key, value, ts) in rows {
            op.process(row([.string(key)], [.integer(value)], at: ts), ctx)
            op.advance(ctx)
        }
        return out.rows.map { r in
            guard case .string(let k) = r.key[0], let w = r.window, case .integer(let sum) = r.value![0] else { return "?" }
            return "\(k)[\(w.start),\(w.end))=\(sum)@\(r.timestamp)"
        }
    }

    @Test func withoutAGracePeriodAWindowIsReleasedWhenStreamTimeReachesItsEnd() throws {
        let tumbling = WindowSpec(kind: .tumbling(size: ms(10)))
        #expect(try released(tumbling, [("a", 1, 0), ("a", 2, 9)]) == [])
        #expect(try released(tumbling, [("a", 1, 0), ("a", 2, 9), ("a", 4, 10)]) == ["a[0,10)=3@9"])
    }

    @Test func graceKeepsAWindowOpenForLateRowsThenReleasesItOnce() throws {
        let tumbling = WindowSpec(kind: .tumbling(size: ms(10)), grace: ms(5))
        let out = try released(tumbling, [("a", 1, 2), ("a", 2, 12), ("a", 4, 8), ("a", 8, 15), ("a", 16, 3), ("a", 32, 26)])
        // The row at 8 arrived in grace; the one at 3 came after [0,10) had closed (15 - 5 >= 10).
        #expect(out.first == "a[0,10)=5@8")
        #expect(out.count == 2)
        #expect(out.last == "a[10,20)=10@15")
    }

    @Test func aWindowOlderThanTheStoresRetentionIsNeverReleased() throws {
        // Size 2 + grace 1: when stream time jumps from 2 to 5, window [0,2) is already older than
        // the newest window start (4) minus 3, so only [2,4) comes out, as in ksqlDB.
        let tumbling = WindowSpec(kind: .tumbling(size: ms(2)), grace: ms(1))
        let out = try released(tumbling, [("k", 1, 0), ("k", 1, 1), ("k", 1, 2), ("k", 1, 1), ("k", 1, 0), ("k", 1, 5)])
        #expect(out == ["k[2,4)=1@2"])
    }

    @Test func hoppingWindowsAreReleasedInStartOrderAcrossKeys() throws {
        let hopping = WindowSpec(kind: .hopping(size: ms(4), advance: ms(2)), grace: ms(0))
        let out = try released(hopping, [("b", 1, 1), ("a", 2, 1), ("a", 4, 3), ("b", 8, 4), ("c", 16, 6)])
        #expect(out == ["b[0,4)=1@1", "a[0,4)=6@3", "a[2,6)=4@3", "b[2,6)=8@4"])
    }

    @Test func theScheduleOnlyMovesForwardAndSkipsRangesWithoutNewWindows() {
        var schedule = WindowCloseSchedule(size: 10, advance: 10, grace: 0, retention: nil)
        schedule.folded(windowStart: 0)
        #expect(schedule.release(streamTime: 5) == nil)
        schedule.folded(windowStart: 10)
        #expect(schedule.release(streamTime: 10) == 0...0)
        #expect(schedule.release(streamTime: 10) == nil)  // close time did not move
        #expect(schedule.release(streamTime: 15) == nil)  // moved, but no new window closed
        schedule.folded(windowStart: 20)
        // Starts 1...10 are due; the store holds starts from 20 - 10 on.
        #expect(schedule.release(streamTime: 20) == 10...10)
    }
}
