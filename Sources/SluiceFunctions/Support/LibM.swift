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
    /// Java's `Math.cbrt` is exact for perfect cubes (`CBRT(27.0)` is `3.0`); glibc's `cbrt` can be
    /// one ulp off, so its answer is refined to the neighbour whose cube is nearest to `x`.
    static func cbrt(_ x: Double) -> Double {
        let r = c_cbrt(x)
        guard r.isNormal, x.isNormal, x.magnitude < 0x1p1000, x.magnitude > 0x1p-1000 else { return r }
        var best = r
        var bestError = cubeResidual(r, x).magnitude
        for candidate in [r.nextDown, r.nextUp] {
            let error = cubeResidual(candidate, x).magnitude
            if error < bestError { best = candidate; bestError = error }
        }
        return best
    }

    /// `y³ − x`, computed with error-free products so one-ulp differences in `y` are visible.
    private static func cubeResidual(_ y: Double, _ x: Double) -> Double {
        let square = y * y
        let squareError = (-square).addingProduct(y, y)          // y*y - square, exactly
        let cube = square * y
        let cubeError = (-cube).addingProduct(square, y)         // square*y - cube, exactly
        return (cube - x) + cubeError + squareError * y
    }
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
