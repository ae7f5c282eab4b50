import SluiceTypes

/// The type of one argument at a call site, as the planner sees it before resolution.
public enum FunctionArgumentType: Sendable, Hashable {
    /// An expression of a known type.
    case value(SQLType)
    /// An untyped `NULL` literal: it matches a parameter of any type.
    case null
    /// A lambda literal such as `(x, y) => x + y`; its body is typed later, through the resolver's
    /// `lambdaReturnType` callback, once the function has fixed the parameter types.
    case lambda(parameterCount: Int)
}

/// Learns a lambda argument's return type from its parameter types.
///
/// The registry calls it once per lambda argument of the chosen overload, left to right, after the
/// non-lambda arguments have fixed the lambda's parameter types; the planner type-checks the body
/// then. An error it throws propagates out of resolution unchanged.
public typealias LambdaSignatureResolver = ([SQLType]) throws -> SQLType

/// A compiled lambda: its parameters' values in, its body's value out.
public typealias Lambda = @Sendable ([Value]) throws(FunctionError) -> Value

/// A function failed on one record (a bad argument value, an overflow, a malformed pattern...).
///
/// Never stops a query: the caller turns the expression's value into NULL and writes `message` to
/// the processing log.
public struct FunctionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A call that cannot be planned: unknown function, no overload for the argument types, an argument
/// that must be a literal and is not. `message` is meant for the user as is.
public struct FunctionResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A scalar function resolved for one call site.
///
/// `invoke` takes the arguments' values as the planner evaluated them, in the types the planner
/// passed to ``FunctionRegistry/resolveScalar(name:arguments:constantArguments:lambdaReturnType:)``:
/// implicit widening (INT → BIGINT → DECIMAL → DOUBLE) happens inside `invoke`. A NULL-literal
/// argument is passed as ``Value/null``; lambdas are passed in `lambdas`, in argument order, and
/// take no place in `args`.
public struct ScalarFunctionCall: Sendable {
    public var returnType: SQLType
    public var invoke: @Sendable (_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value

    public init(
        returnType: SQLType,
        invoke: @escaping @Sendable (_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value
    ) {
        self.returnType = returnType
        self.invoke = invoke
    }
}

/// A table function resolved for one call site: each input row yields `invoke`'s values, one
/// output row each. Arguments are passed as for ``ScalarFunctionCall``.
public struct TableFunctionCall: Sendable {
    public var returnType: SQLType
    public var invoke: @Sendable (_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> [Value]

    public init(
        returnType: SQLType,
        invoke: @escaping @Sendable (_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> [Value]
    ) {
        self.returnType = returnType
        self.invoke = invoke
    }
}

/// An aggregate function resolved for one call site.
///
/// The accumulator's `add` and `remove` take the values of all the call's arguments in order,
/// literal arguments (such as TOPK's `k`) included; the accumulator ignores those, having read them
/// at resolution. Arguments are widened as for ``ScalarFunctionCall``.
public struct AggregateFunctionCall: Sendable {
    public var returnType: SQLType
    /// Creates an empty accumulator for one group (one key, one window).
    public var makeAccumulator: @Sendable () -> any Accumulator
    /// Whether ``Accumulator/remove(_:)`` is meaningful: aggregations over tables need it.
    public var supportsUndo: Bool
    /// The type of the state ksqlDB keeps for this aggregate (a STRUCT for AVG, an ARRAY for
    /// TOPK...). ksqlDB rejects a query whose value format cannot hold it (DELIMITED cannot hold
    /// STRUCT, ARRAY or MAP), with "One of the functions used in the statement has an intermediate
    /// type that the value format can not handle".
    public var intermediateType: SQLType

    public init(
        returnType: SQLType, makeAccumulator: @escaping @Sendable () -> any Accumulator, supportsUndo: Bool,
        intermediateType: SQLType? = nil
    ) {
        self.returnType = returnType
        self.makeAccumulator = makeAccumulator
        self.supportsUndo = supportsUndo
        self.intermediateType = intermediateType ?? returnType
    }
}

/// The state of one aggregate for one group. Value semantics: copy it to snapshot it.
public protocol Accumulator {
    /// Folds one row's argument values in.
    mutating func add(_ args: [Value])
    /// Takes back one row added earlier (ksqlDB's "undo", for aggregations over tables). A no-op
    /// when the function does not support undo.
    mutating func remove(_ args: [Value])
    /// Folds in another accumulator of the same call (session windows merging). An accumulator of
    /// another kind is ignored.
    mutating func merge(_ other: any Accumulator)
    /// The aggregate's current value.
    func result() -> Value
    /// The same aggregate as a fold over one value, when it is one: the runtime then keeps the
    /// state itself, unboxed (see ``SingleValueFold``). Asked of a fresh accumulator only.
    var singleValueFold: SingleValueFold? { get }
}

extension Accumulator {
    public var singleValueFold: SingleValueFold? { nil }
}

/// What kind of function a name denotes.
public enum FunctionKind: String, Sendable, Hashable {
    case scalar = "SCALAR"
    case aggregate = "AGGREGATE"
    case table = "TABLE"
}

/// A function's catalogue entry, for `SHOW FUNCTIONS` and `DESCRIBE FUNCTION`.
public struct FunctionInfo: Sendable, Hashable {
    /// Upper-case name.
    public var name: String
    public var kind: FunctionKind
    public var description: String
    /// Category, as ksqlDB's `SHOW FUNCTIONS` prints it (`STRING`, `MATHEMATICAL`...).
    public var category: String
    /// One line per overload, such as `SUBSTRING(str STRING, pos INT, len INT) → STRING`.
    public var signatures: [String]

    public init(name: String, kind: FunctionKind, description: String, category: String, signatures: [String]) {
        self.name = name
        self.kind = kind
        self.description = description
        self.category = category
        self.signatures = signatures
    }
}

/// Settings that change how functions behave, from the query's properties.
public struct FunctionConfiguration: Sendable, Hashable {
    /// `ksql.functions.collect_list.limit`: COLLECT_LIST keeps at most this many values.
    public var collectListLimit: Int
    /// `ksql.functions.collect_set.limit`: COLLECT_SET keeps at most this many values.
    public var collectSetLimit: Int

    public init(collectListLimit: Int = .max, collectSetLimit: Int = .max) {
        self.collectListLimit = collectListLimit
        self.collectSetLimit = collectSetLimit
    }

    public static let `default` = FunctionConfiguration()

    /// Reads the settings from ksqlDB property names; unknown properties are ignored and a
    /// negative or malformed limit means no limit, as in ksqlDB.
    public init(properties: [String: String]) {
        self.init()
        if let text = properties["ksql.functions.collect_list.limit"], let n = Int(text), n >= 0 {
            collectListLimit = n
        }
        if let text = properties["ksql.functions.collect_set.limit"], let n = Int(text), n >= 0 {
            collectSetLimit = n
        }
    }
}
