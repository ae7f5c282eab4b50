#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The C math library, reached without Foundation. Java's `Math` delegates to the same fdlibm-
/// style functions, so results agree for the correctly rounded ones (sqrt) and almost always for
/// the rest.
enum LibM {
    @inline(__always) static func log(_ x: Double) -> Double { c_log(x) }
    @inline(__always) static func log10(_ x: Double) -> Double { c_log10(x) }
    @inline(__always) static func exp(_ x: Double) -> Double { c_exp(x) }
    @inline(__always) static func cbrt(_ x: Double) -> Double { c_cbrt(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { c_sin(x) }
    @inline(__always) static func cos(_ x: Double) -> Double { c_cos(x) }
    @inline(__always) static func tan(_ x: Double) -> Double { c_tan(x) }
    @inline(__always) static func asin(_ x: Double) -> Double { c_asin(x) }
    @inline(__always) static func acos(_ x: Double) -> Double { c_acos(x) }
    @inline(__always) static func atan(_ x: Double) -> Double { c_atan(x) }
    @inline(__always) static func sinh(_ x: Double) -> Double { c_sinh(x) }
    @inline(__always) static func cosh(_ x: Double) -> Double { c_cosh(x) }
    @inline(__always) static func tanh(_ x: Double) -> Double { c_tanh(x) }
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { c_pow(x, y) }
    @inline(__always) static func atan2(_ y: Double, _ x: Double) -> Double { c_atan2(y, x) }
}

@inline(__always) private func c_log(_ x: Double) -> Double { log(x) }
@inline(__always) private func c_log10(_ x: Double) -> Double { log10(x) }
@inline(__always) private func c_exp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func c_cbrt(_ x: Double) -> Double { cbrt(x) }
@inline(__always) private func c_sin(_ x: Double) -> Double { sin(x) }
@inline(__always) private func c_cos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func c_tan(_ x: Double) -> Double { tan(x) }
@inline(__always) private func c_asin(_ x: Double) -> Double { asin(x) }
@inline(__always) private func c_acos(_ x: Double) -> Double { acos(x) }
@inline(__always) private func c_atan(_ x: Double) -> Double { atan(x) }
@inline(__always) private func c_sinh(_ x: Double) -> Double { sinh(x) }
@inline(__always) private func c_cosh(_ x: Double) -> Double { cosh(x) }
@inline(__always) private func c_tanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) private func c_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func c_atan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
