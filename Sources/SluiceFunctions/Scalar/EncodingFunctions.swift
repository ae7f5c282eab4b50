import SluiceTypes

/// Conversions between strings, bytes and numbers: ENCODE, TO_BYTES, FROM_BYTES,
/// INT/BIGINT/DOUBLE_FROM_BYTES, plus MD5 and UUID.
enum EncodingFunctions {
    static func encoding(_ v: Value) throws(FunctionError) -> ByteEncodings.Encoding? {
        guard case .string(let name) = v else { return nil }
        guard let e = ByteEncodings.Encoding(name: name) else {
            throw FunctionError("Supported encoding types are: hex, utf8, ascii and base64, got '\(name)'")
        }
        return e
    }

    /// ENCODE(str, inputEncoding, outputEncoding).
    static func encode(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .string(let s) = args[0], let from = try encoding(args[1]), let to = try encoding(args[2]) else {
            return .null
        }
        guard let bytes = ByteEncodings.decode(s, from) else {
            throw FunctionError("'\(s)' is not valid \(from.rawValue)")
        }
        return .string(ByteEncodings.encode(bytes, to))
    }

    static func toBytes(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .string(let s) = args[0], let e = try encoding(args[1]) else { return .null }
        guard let bytes = ByteEncodings.decode(s, e) else {
            throw FunctionError("'\(s)' is not valid \(e.rawValue)")
        }
        return .bytes(bytes)
    }

    static func fromBytes(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .bytes(let b) = args[0], let e = try encoding(args[1]) else { return .null }
        return .string(ByteEncodings.encode(b, e, uppercaseHex: true))
    }

    /// Reads `width` bytes as an unsigned big- or little-endian integer.
    static func readInteger(_ args: [Value], width: Int, name: String) throws(FunctionError) -> UInt64? {
        guard case .bytes(let b) = args[0] else { return nil }
        var littleEndian = false
        if args.count > 1 {
            guard case .string(let order) = args[1] else { return nil }
            switch order {
            case "BIG_ENDIAN": littleEndian = false
            case "LITTLE_ENDIAN": littleEndian = true
            default: throw FunctionError("Byte order must be BIG_ENDIAN or LITTLE_ENDIAN, got '\(order)'")
            }
        }
        guard b.count == width else {
            throw FunctionError("Number of bytes must be equal to \(width), but found \(b.count)")
        }
        var v: UInt64 = 0
        for byte in littleEndian ? b.reversed() : b { v = v << 8 | UInt64(byte) }
        return v
    }

    static func md5(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        guard case .string(let s) = args[0] else { return .null }
        return .string(ByteEncodings.hexEncode(MD5.digest(Array(s.utf8))))
    }

    static func randomUUID(_ args: [Value], _ lambdas: [Lambda]) -> Value {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return .string(formatUUID(bytes))
    }

    static func uuidFromBytes(_ args: [Value], _ lambdas: [Lambda]) throws(FunctionError) -> Value {
        guard case .bytes(let b) = args[0] else { return .null }
        guard b.count == 16 else { throw FunctionError("UUID bytes must be 16 bytes long, got \(b.count)") }
        return .string(formatUUID(b))
    }

    static func formatUUID(_ b: [UInt8]) -> String {
        let hex = ByteEncodings.hexEncode(b)
        let u = Array(hex.utf8)
        let parts = [u[0..<8], u[8..<12], u[12..<16], u[16..<20], u[20..<32]]
        return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "-")
    }
}

/// RFC 1321 MD5, for the MD5 function.
enum MD5 {
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// floor(|sin(i + 1)| × 2^32).
    private static let constants: [UInt32] = (0..<64).map { i in
        UInt32(truncatingIfNeeded: Int64((LibM.sin(Double(i + 1)).magnitude * 4_294_967_296).rounded(.down)))
    }

    static func digest(_ message: [UInt8]) -> [UInt8] {
        var data = message
        let bitLength = UInt64(message.count) &* 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for i in 0..<8 { data.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        var a0: UInt32 = 0x6745_2301
        var b0: UInt32 = 0xefcd_ab89
        var c0: UInt32 = 0x98ba_dcfe
        var d0: UInt32 = 0x1032_5476
        var words = [UInt32](repeating: 0, count: 16)
        var chunk = 0
        while chunk < data.count {
            for i in 0..<16 {
                let j = chunk + i * 4
                words[i] = UInt32(data[j]) | UInt32(data[j + 1]) << 8 | UInt32(data[j + 2]) << 16 | UInt32(data[j + 3]) << 24
            }
            var a = a0, b = b0, c = c0, d = d0
            for i in 0..<64 {
                var f: UInt32
                let g: Int
                switch i {
                case 0..<16:
                    f = (b & c) | (~b & d)
                    g = i
                case 16..<32:
                    f = (d & b) | (~d & c)
                    g = (5 * i + 1) % 16
                case 32..<48:
                    f = b ^ c ^ d
                    g = (3 * i + 5) % 16
                default:
                    f = c ^ (b | ~d)
                    g = (7 * i) % 16
                }
                f = f &+ a &+ constants[i] &+ words[g]
                a = d
                d = c
                c = b
                b = b &+ (f << shifts[i] | f >> (32 - shifts[i]))
            }
            a0 = a0 &+ a
            b0 = b0 &+ b
            c0 = c0 &+ c
            d0 = d0 &+ d
            chunk += 64
        }
        var out: [UInt8] = []
        for v in [a0, b0, c0, d0] {
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
        }
        return out
    }
}

extension RegistryBuilder {
    mutating func registerEncodingFunctions() {
        scalar("ENCODE", "STRING", "Re-encodes a string between hex, utf8, ascii and base64.", [
            ScalarOverload(
                [p("str", .string), p("inputEncoding", .string), p("outputEncoding", .string)], returns: .string
            ) { a, l throws(FunctionError) in try EncodingFunctions.encode(a, l) }
        ])
        scalar("TO_BYTES", "STRING", "Converts a string in an encoding (hex, utf8, ascii, base64) to bytes.", [
            ScalarOverload([p("str", .string), p("encoding", .string)], returns: .bytes) { a, l throws(FunctionError) in
                try EncodingFunctions.toBytes(a, l)
            }
        ])
        scalar("FROM_BYTES", "STRING", "Converts bytes to a string in an encoding (hex, utf8, ascii, base64).", [
            ScalarOverload([p("bytes", .bytes), p("encoding", .string)], returns: .string) { a, l throws(FunctionError) in
                try EncodingFunctions.fromBytes(a, l)
            }
        ])
        scalar("INT_FROM_BYTES", "CONVERSIONS", "Reads 4 bytes as an INT (BIG_ENDIAN unless told).", [
            ScalarOverload([p("bytes", .bytes)], returns: .integer) { a, _ throws(FunctionError) in
                try EncodingFunctions.readInteger(a, width: 4, name: "INT").map { .integer(Int32(truncatingIfNeeded: $0)) } ?? .null
            },
            ScalarOverload([p("bytes", .bytes), p("byteOrder", .string)], returns: .integer) { a, _ throws(FunctionError) in
                try EncodingFunctions.readInteger(a, width: 4, name: "INT").map { .integer(Int32(truncatingIfNeeded: $0)) } ?? .null
            },
        ])
        scalar("BIGINT_FROM_BYTES", "CONVERSIONS", "Reads 8 bytes as a BIGINT (BIG_ENDIAN unless told).", [
            ScalarOverload([p("bytes", .bytes)], returns: .bigint) { a, _ throws(FunctionError) in
                try EncodingFunctions.readInteger(a, width: 8, name: "BIGINT").map { .bigint(Int64(bitPattern: $0)) } ?? .null
            },
            ScalarOverload([p("bytes", .bytes), p("byteOrder", .string)], returns: .bigint) { a, _ throws(FunctionError) in
                try EncodingFunctions.readInteger(a, width: 8, name: "BIGINT").map { .bigint(Int64(bitPattern: $0)) } ?? .null
            },
        ])
        scalar("DOUBLE_FROM_BYTES", "CONVERSIONS", "Reads 8 bytes as a DOUBLE (BIG_ENDIAN unless told).", [
            ScalarOverload([p("bytes", .bytes)], returns: .double) { a, _ throws(FunctionError) in
                try EncodingFunctions.readInteger(a, width: 8, name: "DOUBLE").map { .double(Double(bitPattern: $0)) } ?? .null
            },
            ScalarOverload([p("bytes", .bytes), p("byteOrder", .string)], returns: .double) { a, _ throws(FunctionError) in
                try EncodingFunctions.readInteger(a, width: 8, name: "DOUBLE").map { .double(Double(bitPattern: $0)) } ?? .null
            },
        ])
        scalar("MD5", "STRING", "Returns the hex-encoded MD5 hash of a string.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, l in EncodingFunctions.md5(a, l) }
        ])
        scalar("UUID", "STRING", "Returns a random (version 4) UUID, or the UUID of 16 bytes.", [
            ScalarOverload([], returns: .string) { a, l in EncodingFunctions.randomUUID(a, l) },
            ScalarOverload([p("bytes", .bytes)], returns: .string) { a, l throws(FunctionError) in
                try EncodingFunctions.uuidFromBytes(a, l)
            },
        ])
    }
}
