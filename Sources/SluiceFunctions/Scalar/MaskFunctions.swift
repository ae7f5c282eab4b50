import SluiceTypes

/// MASK, MASK_LEFT, MASK_RIGHT, MASK_KEEP_LEFT, MASK_KEEP_RIGHT: replace upper-case letters,
/// lower-case letters, digits and other characters with mask characters (defaults X, x, n, -).
/// A NULL mask argument leaves that class unmasked; a mask that is not one character is an error.
struct Masker: Sendable {
    var upper: Unicode.Scalar? = "X"
    var lower: Unicode.Scalar? = "x"
    var digit: Unicode.Scalar? = "n"
    var other: Unicode.Scalar? = "-"

    /// Reads the four optional mask arguments starting at `index`.
    init(_ args: [Value], from index: Int) throws(FunctionError) {
        guard args.count >= index + 4 else { return }
        upper = try Self.maskCharacter(args[index])
        lower = try Self.maskCharacter(args[index + 1])
        digit = try Self.maskCharacter(args[index + 2])
        other = try Self.maskCharacter(args[index + 3])
    }

    static func maskCharacter(_ v: Value) throws(FunctionError) -> Unicode.Scalar? {
        guard case .string(let s) = v else { return nil }
        guard s.utf16.count == 1 || (s.unicodeScalars.count == 1 && s.utf16.count == 2) else {
            throw FunctionError("Invalid mask character. Must be only single character, but was '\(s)'")
        }
        return s.unicodeScalars.first
    }

    /// Masks UTF-16 code units the way Java walks them: a surrogate pair yields the mask of its
    /// code point followed by the "other" mask for its trailing half.
    func mask(_ units: ArraySlice<UInt16>) -> [UInt16] {
        var out: [UInt16] = []
        out.reserveCapacity(units.count)
        var i = units.startIndex
        while i < units.endIndex {
            let u = units[i]
            var scalar: Unicode.Scalar?
            if UTF16.isLeadSurrogate(u), i + 1 < units.endIndex, UTF16.isTrailSurrogate(units[i + 1]) {
                scalar = Unicode.Scalar(0x10000 + (UInt32(u) - 0xD800) << 10 + (UInt32(units[i + 1]) - 0xDC00))
            } else {
                scalar = Unicode.Scalar(u)
            }
            var replacement: Unicode.Scalar? = nil
            if let scalar {
                switch scalar.properties.generalCategory {
                case .uppercaseLetter: replacement = upper
                case .lowercaseLetter: replacement = lower
                case .decimalNumber: replacement = digit
                default: replacement = other
                }
            } else {
                replacement = other
            }
            if let replacement {
                out.append(contentsOf: String(replacement).utf16)
            } else if let scalar {
                out.append(contentsOf: String(scalar).utf16)
            } else {
                out.append(u)
            }
            i += 1
        }
        return out
    }

    func mask(_ s: String) -> String {
        String(decoding: mask(Array(s.utf16)[...]), as: UTF16.self)
    }
}

enum MaskFunctions {
    enum Region {
        case all, left, right, keepLeft, keepRight
    }

    static func apply(_ args: [Value], _ region: Region, name: String) throws(FunctionError) -> Value {
        let masker: Masker
        var count = 0
        if region == .all {
            masker = try Masker(args, from: 1)
        } else {
            guard case .integer(let n) = args[1] else {
                throw FunctionError("function \(name) requires a number of characters")
            }
            guard n >= 0 else {
                throw FunctionError("function \(name) requires a non-negative number of characters to mask or skip")
            }
            count = Int(n)
            masker = try Masker(args, from: 2)
        }
        guard case .string(let s) = args[0] else { return .null }
        let units = Array(s.utf16)
        let k = min(count, units.count)
        var out: [UInt16]
        switch region {
        case .all: out = masker.mask(units[...])
        case .left: out = masker.mask(units[0..<k]) + Array(units[k...])
        case .right: out = Array(units[0..<(units.count - k)]) + masker.mask(units[(units.count - k)...])
        case .keepLeft: out = Array(units[0..<k]) + masker.mask(units[k...])
        case .keepRight: out = masker.mask(units[0..<(units.count - k)]) + Array(units[(units.count - k)...])
        }
        return .string(String(decoding: out, as: UTF16.self))
    }
}

extension RegistryBuilder {
    mutating func registerMaskFunctions() {
        let masks = [p("upper", .string), p("lower", .string), p("digit", .string), p("other", .string)]
        scalar("MASK", "STRING", "Masks upper-case, lower-case, digit and other characters of a string.", [
            ScalarOverload([p("input", .string)], returns: .string) { a, _ throws(FunctionError) in
                try MaskFunctions.apply(a, .all, name: "mask")
            },
            ScalarOverload([p("input", .string)] + masks, returns: .string) { a, _ throws(FunctionError) in
                try MaskFunctions.apply(a, .all, name: "mask")
            },
        ])
        let variants: [(String, MaskFunctions.Region, String)] = [
            ("MASK_LEFT", .left, "Masks the first n characters of a string."),
            ("MASK_RIGHT", .right, "Masks the last n characters of a string."),
            ("MASK_KEEP_LEFT", .keepLeft, "Masks all but the first n characters of a string."),
            ("MASK_KEEP_RIGHT", .keepRight, "Masks all but the last n characters of a string."),
        ]
        for (name, region, text) in variants {
            let lower = name.lowercased()
            scalar(name, "STRING", text, [
                ScalarOverload([p("input", .string), p("numChars", .integer)], returns: .string) { a, _ throws(FunctionError) in
                    try MaskFunctions.apply(a, region, name: lower)
                },
                ScalarOverload([p("input", .string), p("numChars", .integer)] + masks, returns: .string) {
                    a, _ throws(FunctionError) in
                    try MaskFunctions.apply(a, region, name: lower)
                },
            ])
        }
    }
}
