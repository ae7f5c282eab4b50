import SluiceTypes

/// Matches call-site argument types against declared parameters and picks an overload the way
/// ksqlDB's `UdfIndex` does: first among the overloads that need no implicit widening, then (only
/// if there are none) among those that do. Within a round the best candidate is the one without
/// variadic parameters, then the one with more declared parameters, then the one with fewer
/// generic parameters; a tie is an ambiguous call.
struct OverloadMatcher {
    struct Candidate {
        var index: Int
        /// Some argument needs widening (or a generic unified different types).
        var needsCast: Bool
        var isVariadic: Bool
        var parameterCount: Int
        var genericParameters: Int
        var bindings: [String: SQLType]
        var declared: [ParamType]

        /// Orders candidates as ksqlDB does: greater is better.
        static func rank(_ a: Candidate, _ b: Candidate) -> Int {
            if a.isVariadic != b.isVariadic { return a.isVariadic ? -1 : 1 }
            if a.parameterCount != b.parameterCount { return a.parameterCount < b.parameterCount ? -1 : 1 }
            return b.genericParameters - a.genericParameters
        }
    }

    enum Choice {
        case none
        case chosen(Candidate)
        case ambiguous
    }

    /// The best of the candidates that need no widening, or else of those that do.
    static func choose(_ candidates: [Candidate]) -> Choice {
        for round in [false, true] {
            let pool = candidates.filter { $0.needsCast == round }
            guard var best = pool.first else { continue }
            var tied = false
            for c in pool.dropFirst() {
                let r = Candidate.rank(c, best)
                if r > 0 {
                    best = c
                    tied = false
                } else if r == 0 {
                    tied = true
                }
            }
            return tied ? .ambiguous : .chosen(best)
        }
        return .none
    }

    /// Binds generics for every non-lambda argument; nil when the shapes do not fit.
    static func match(
        parameters: [Parameter], variadic: Parameter?, arguments: [FunctionArgumentType], index: Int
    ) -> Candidate? {
        if variadic == nil {
            guard arguments.count == parameters.count else { return nil }
        } else {
            guard arguments.count >= parameters.count else { return nil }
        }
        var declared: [ParamType] = []
        declared.reserveCapacity(arguments.count)
        var bindings: [String: SQLType] = [:]
        for (i, argument) in arguments.enumerated() {
            let parameter = i < parameters.count ? parameters[i].type : variadic!.type
            declared.append(parameter)
            switch argument {
            case .lambda(let count):
                guard case .lambda(let ps, _) = parameter, ps.count == count else { return nil }
            case .null:
                if parameter.isLambda { return nil }
            case .value(let type):
                guard bind(type, to: parameter, &bindings) else { return nil }
            }
        }
        var needsCast = false
        for (i, argument) in arguments.enumerated() {
            guard case .value(let type) = argument else { continue }
            guard let concrete = concretize(declared[i], actual: type, bindings),
                let c = TypeWidening.cost(from: type, to: concrete)
            else { return nil }
            if c > 0 || !sameShape(type, concrete) { needsCast = true }
        }
        var allParameters = parameters.map(\.type)
        if let variadic { allParameters.append(variadic.type) }
        return Candidate(
            index: index, needsCast: needsCast, isVariadic: variadic != nil, parameterCount: allParameters.count,
            genericParameters: allParameters.filter(\.mentionsGeneric).count, bindings: bindings, declared: declared)
    }

    /// Whether a value of `a` is used as is for `b` (DECIMALs of any size count as the same).
    static func sameShape(_ a: SQLType, _ b: SQLType) -> Bool {
        switch (a, b) {
        case (.decimal, .decimal): return true
        case (.array(let x), .array(let y)): return sameShape(x, y)
        case (.map(let k1, let v1), .map(let k2, let v2)): return sameShape(k1, k2) && sameShape(v1, v2)
        default: return a == b
        }
    }

    /// Records what `actual` says about the generics in `parameter`; false when it cannot match.
    static func bind(_ actual: SQLType, to parameter: ParamType, _ bindings: inout [String: SQLType]) -> Bool {
        switch parameter {
        case .generic(let name):
            if let bound = bindings[name] {
                guard let unified = TypeWidening.unify(bound, actual) else { return false }
                bindings[name] = unified
            } else {
                bindings[name] = actual
            }
            return true
        case .array(let element):
            guard case .array(let e) = actual else { return false }
            return bind(e, to: element, &bindings)
        case .map(let key, let value):
            guard case .map(let k, let v) = actual else { return false }
            return bind(k, to: key, &bindings) && bind(v, to: value, &bindings)
        case .anyStruct:
            if case .structure = actual { return true }
            return false
        case .decimal:
            return TypeWidening.decimalType(for: actual) != nil
        case .lambda:
            return false
        default:
            guard let concrete = parameter.substitute([:]) else { return false }
            return TypeWidening.cost(from: actual, to: concrete) != nil
        }
    }

    /// The concrete type a parameter takes for an argument of type `actual` (nil: NULL literal).
    static func concretize(_ parameter: ParamType, actual: SQLType?, _ bindings: [String: SQLType]) -> SQLType? {
        switch parameter {
        case .generic(let name):
            return bindings[name] ?? actual
        case .decimal:
            guard let actual else { return .decimal(precision: 38, scale: 0) }
            return TypeWidening.decimalType(for: actual)
        case .anyStruct:
            return actual ?? .structure([])
        case .array(let element):
            var inner: SQLType? = nil
            if case .array(let e)? = actual { inner = e }
            return concretize(element, actual: inner, bindings).map { .array($0) }
        case .map(let key, let value):
            var k: SQLType? = nil
            var v: SQLType? = nil
            if case .map(let ak, let av)? = actual {
                k = ak
                v = av
            }
            guard let kt = concretize(key, actual: k, bindings), let vt = concretize(value, actual: v, bindings) else {
                return nil
            }
            return .map(key: kt, value: vt)
        case .lambda:
            return nil
        default:
            return parameter.substitute([:])
        }
    }
}

extension ParamType {
    var mentionsGeneric: Bool {
        switch self {
        case .generic: true
        case .array(let e): e.mentionsGeneric
        case .map(let k, let v): k.mentionsGeneric || v.mentionsGeneric
        case .lambda(let ps, let r): ps.contains { $0.mentionsGeneric } || r.mentionsGeneric
        default: false
        }
    }
}
