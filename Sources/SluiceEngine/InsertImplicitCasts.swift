import SluiceSQL
import SluiceTypes

/// `INSERT INTO target SELECT ...`: a numeric literal selected into a DECIMAL column of the target
/// takes that column's precision and scale when its digits fit, as ksqlDB casts it implicitly
/// (`INSERT INTO t SELECT 1 AS c1, 2.0 AS c2 FROM s` for `c1 DECIMAL(5,2), c2 DECIMAL(5,2)`).
///
/// Like ksqlDB, only a literal itself is cast (not `-1`, which is an expression, nor any other
/// expression), the target column is the one at the same position (key columns first), and only
/// select items before the first `*` have a position. A literal that does not fit is left alone,
/// so the schema check that follows reports the mismatch.
enum InsertImplicitCasts {
    static func apply(to query: Query, target columns: [Column]) -> Query {
        var query = query
        for index in query.selectItems.indices {
            guard case .expression(let expression, let alias) = query.selectItems[index] else { break }
            guard index < columns.count, case .decimal(let precision, let scale) = columns[index].type,
                case .literal(let literal) = expression.kind, let digits = digits(of: literal),
                digits.scale <= scale, digits.integerDigits <= precision - scale
            else { continue }
            let cast = Expr(.cast(expression, .decimal(precision: precision, scale: scale)), range: expression.range)
            query.selectItems[index] = .expression(cast, alias: alias)
        }
        return query
    }

    /// The integer digits and the scale of a numeric literal's DECIMAL type, as ksqlDB computes it
    /// from the literal's value: a value between -1 and 1 counts one integer digit, and trailing
    /// zeros after the point count toward the scale (`2.0` has scale 1). DOUBLE literals are taken
    /// as Java prints them; those it would print with an exponent are not cast.
    static func digits(of literal: Literal) -> (integerDigits: Int, scale: Int)? {
        let text: String
        switch literal {
        case .integer(let t), .decimal(let t): text = t
        case .double(let t):
            guard let value = Double(t), value.isFinite else { return nil }
            let shown = value.description
            guard !shown.contains("e") else { return nil }
            text = shown
        default: return nil
        }
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, parts.count <= 2,
            body.allSatisfy({ $0 == "." || ($0.isASCII && $0.isNumber) })
        else { return nil }
        let scale = parts.count == 2 ? parts[1].count : 0
        let integerDigits = max(whole.drop { $0 == "0" }.count, 1)
        return (integerDigits, scale)
    }
}
