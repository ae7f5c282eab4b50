import SluicePlanner
import SluiceSQL
import SluiceTypes
import Testing

@testable import SluiceRuntime

/// Session windows: a session closes only once no row within the gap (plus grace) can arrive.
@Suite("Session windows")
struct SessionWindowTests {
    func ms(_ n: Int64) -> Duration { Duration(n, .milliseconds) }

    /// SUM(value) per session; results as "key[start,end]=sum", tombstones as "key[start,end]=-".
    func sessions(gap: Int64, grace: Int64, final: Bool = false, _ rows: [(String, Int32, Int64)]) throws -> [String] {
        let out = Collector()
        let ctx = context()
        let window = WindowSpec(kind: .session(gap: ms(gap)), grace: ms(grace))
        let op = AggregateOperator(try OperatorTests().sumNode(window: window, emitFinal: final), next: out)
        for (key, value, ts) in rows {
            op.process(row([.string(key)], [.integer(value)], at: ts), ctx)
            op.advance(ctx)
        }
        return out.rows.map { r in
            guard case .string(let k) = r.key[0], let w = r.window else { return "?" }
            guard let v = r.value, case .integer(let sum) = v[0] else { return "\(k)[\(w.start),\(w.end)]=-" }
            return "\(k)[\(w.start),\(w.end)]=\(sum)"
        }
    }

    @Test func aRowWithinTheGapOfAnOpenSessionIsNotLateEvenWithoutGrace() throws {
        let out = try sessions(gap: 5000, grace: 0, [("a", 1, 0), ("a", 1, 3000), ("b", 1, 10000), ("a", 1, 6000)])
        #expect(out == ["a[0,0]=1", "a[0,0]=-", "a[0,3000]=2", "b[10000,10000]=1", "a[0,3000]=-", "a[0,6000]=3"])
    }

    @Test func aRowWhoseSessionEndedBeforeStreamTimeMinusGapAndGraceIsDropped() throws {
        let out = try sessions(gap: 5, grace: 1, [("a", 1, 0), ("b", 1, 20), ("a", 1, 13), ("a", 1, 14)])
        // At stream time 20 sessions ending before 14 are closed: the row at 13 is late, 14 is not.
        #expect(out == ["a[0,0]=1", "b[20,20]=1", "a[14,14]=1"])
    }

    @Test func emitFinalWaitsUntilNoRowCanStillExtendTheSession() throws {
        let rows: [(String, Int32, Int64)] = [("a", 1, 0), ("a", 1, 3000), ("b", 1, 4500), ("a", 1, 6000)]
        #expect(try sessions(gap: 5000, grace: 1000, final: true, rows) == [])
        let later = rows + [("b", 1, 12_001)]
        #expect(try sessions(gap: 5000, grace: 1000, final: true, later) == ["b[4500,4500]=1", "a[0,6000]=3"])
    }
}
