import Testing

@testable import SluiceTypes

/// The record decoder's shortcuts (keys compared in place a word at a time, short integers parsed
/// in place) must agree with the general paths they bypass: `FieldMatcher.matchByScan`, the
/// scanned-number coercion, and the tree path `JSONCoercion.row`.
@Suite struct JSONRowDecodingTests {
    /// Spellings a key may take: as declared, lower, upper, mixed, with non-ASCII letters whose
    /// upper-case forms are ASCII (`ı` -> `I`, `ﬀ` -> `FF`) or longer (`ß` -> `SS`).
    static func spellings(of name: String, _ rng: inout SplitMix64) -> [String] {
        let mixed = String(name.map { Bool.random(using: &rng) ? Character($0.lowercased()) : Character($0.uppercased()) })
        var out = [name, name.lowercased(), name.uppercased(), mixed, name + "x", String(name.dropLast()), "x" + name]
        if let i = name.lowercased().firstIndex(of: "i") {
            var s = name.lowercased()
            s.replaceSubrange(i...i, with: "ı")
            out.append(s)
        }
        out.append(name.lowercased().replacingOccurrences(of: "ff", with: "ﬀ"))
        out.append(name.lowercased().replacingOccurrences(of: "ss", with: "ß"))
        return out
    }

    static let nameSets: [[String]] = [
        ["AUCTION", "BIDDER", "PRICE", "CHANNEL", "URL", "DATETIME", "EXTRA"],
        ["A", "a", "B"],  // an upper-case form of another name: every key can match twice
        ["ID", "name", "Name2", "ÉTÉ", "été", "LONG_NAME_OF_SEVENTEEN", "OFFSET", "CLASS"],
        ["K\"Q", "BACK\\SLASH", "TAB\tX", "SPACE X", "FIVE5", "X"],
        ["PRICE", "PRİCE", "STRASSE", "EFF"],
    ]

    @Test func quickMatchesAgreeWithTheScan() {
        var rng = SplitMix64(seed: 21)
        for names in Self.nameSets {
            let matcher = FieldMatcher(names: names)
            var keys = names.flatMap { Self.spellings(of: $0, &rng) } + ["", "é", "ı", "\u{0}"]
            keys += names.map { String(repeating: $0, count: 3) }
            for key in keys {
                let bytes = Array(key.utf8)
                for hint in 0...names.count {
                    bytes.withUnsafeBufferPointer { k in
                        let expected = matcher.matchByScan(k, hint: hint)
                        #expect(matcher.match(k, hint: hint) == expected, "\(names) key \(key) hint \(hint)")
                        guard hint < names.count else { return }
                        // In place: the key as it sits in a record, between quotes, at the end of
                        // the buffer or with more after it (short names are then loaded as one word).
                        for after in ["", "1", "1234567", "\"x\":\"\"}"] {
                            let record = [0x22] + bytes + [0x22, 0x3A] + Array(after.utf8)
                            record.withUnsafeBufferPointer { buf in
                                if let quick = matcher.matchInPlace(buf, at: 1, field: hint) {
                                    #expect(quick.end == bytes.count + 1)
                                    #expect(FieldMatcher.Match.one(hint, exact: quick.exact) == expected, "\(names) key \(key) hint \(hint)")
                                } else if after.count >= 7, case .one(hint, _) = expected,
                                    matcher.inPlaceMatchable[hint], !bytes.contains(where: { $0 >= 0x80 })
                                {
                                    Issue.record("\(names) key \(key) hint \(hint): an ASCII key for the hinted field not found in place")
                                }
                            }
                        }
                        // A key cut short by the end of the buffer is never matched in place.
                        (bytes.isEmpty ? [0x22] : [0x22] + bytes.dropLast()).withUnsafeBufferPointer { buf in
                            #expect(matcher.matchInPlace(buf, at: 1, field: hint) == nil)
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: [
        "0", "-0", "7", "-7", "42", "123456789012345678", "-123456789012345678", "1234567890123456789",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999",
        "2147483648", "-2147483649", "4294967297", "007", "-01", "00", "1.5", "-2.5e1", "1e3", "1E3", "3.",
        "-", "--1", "1x", "12,", "12}", "12 ", "0.0000001", "1e400", "123456789012345678.9",
    ])
    func shortIntegersReadAsTheGeneralPathReadsThem(literal: String) {
        let bytes = Array(literal.utf8)
        bytes.withUnsafeBufferPointer { buf in
            var quick = JSONCursor(buf)
            let value = quick.readShortInteger()
            var general = JSONCursor(buf)
            let scanned = try? general.scanNumber()
            guard let value else {
                #expect(quick.pos == 0)
                return
            }
            guard let scanned else {
                Issue.record("\(literal): read \(value) where the scanner fails")
                return
            }
            #expect(scanned.isInteger)
            #expect(quick.pos == scanned.end)
            let t = UnsafeBufferPointer(rebasing: buf[scanned.start..<scanned.end])
            #expect(value == JSONNumberLiteral.int64(t, isInteger: true))
        }
    }

    /// The same literals inside a longer buffer, followed by each byte that can end a number: the
    /// eight-digits-at-a-time path runs where eight bytes remain, the byte loop near the end.
    @Test func shortIntegersReadAlikeWhereverTheyEnd() {
        var rng = SplitMix64(seed: 23)
        var literals = ["0", "-0", "7", "00", "-01", "1.5", "1e3", "1E3", "-", "12345678", "123456789", "-9223372036854775808"]
        for digits in 1...24 {
            for _ in 0..<4 {
                let text = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
                literals += [text, "-" + text, text + ".5", text + "e2"]
            }
        }
        for literal in literals {
            for tail in ["", ",", "}", " ", "]", "x", "/", ":", "\u{0}", "\u{FF}", ",\"k\":1}"] {
                for padding in 0...9 {
                    let bytes = Array((literal + tail + String(repeating: " ", count: padding)).utf8)
                    bytes.withUnsafeBufferPointer { buf in
                        var quick = JSONCursor(buf)
                        let value = quick.readShortInteger()
                        var general = JSONCursor(buf)
                        let scanned = try? general.scanNumber()
                        guard let value else {
                            #expect(quick.pos == 0)
                            // Nil only for what the general path rejects or reads otherwise.
                            if let scanned {
                                #expect(!scanned.isInteger || scanned.end - scanned.start - (literal.first == "-" ? 1 : 0) > 18, "\(literal)")
                            }
                            return
                        }
                        guard let scanned, scanned.isInteger else {
                            Issue.record("\(literal)\(tail): read \(value) where the scanner does not read an integer")
                            return
                        }
                        #expect(quick.pos == scanned.end, "\(literal)\(tail)")
                        let t = UnsafeBufferPointer(rebasing: buf[scanned.start..<scanned.end])
                        #expect(value == JSONNumberLiteral.int64(t, isInteger: true), "\(literal)\(tail)")
                    }
                }
            }
        }
    }

    /// The word test flags exactly the bytes a string scan must stop at.
    @Test func attentionMaskFlagsExactlyTheBytesToStopAt() {
        var rng = SplitMix64(seed: 24)
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xA2, 0xDC, 0xFF]
        for _ in 0..<20000 {
            var bytes = (0..<8).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let b = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                bytes[Int.random(in: 0..<8, using: &rng)] = b
            }
            let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            var expected: UInt64 = 0
            for (k, b) in bytes.enumerated() where b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 {
                expected |= 0x80 << (8 * UInt64(k))
            }
            #expect(JSONCursor.attentionMask(word) == expected, "\(bytes)")
        }
    }

    /// Skipping a string ends where scanning it ends, and fails where scanning it fails.
    @Test func skippedStringsEndAndFailAsScannedOnes() {
        var rng = SplitMix64(seed: 25)
        let pieces = ["a", "xyz", "https://www.nexmark.com/", "\\\"", "\\n", "\\u00e9", "\\uD83D\\uDE00", "é", "€", "😀",
                      "\u{7F}", "\\x", "\\u12", "\u{1}", "\t"]
        let bad: [[UInt8]] = [[0xC3], [0xFF], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x80]]
        for _ in 0..<5000 {
            var content: [UInt8] = []
            for _ in 0..<Int.random(in: 0...8, using: &rng) {
                if Int.random(in: 0..<30, using: &rng) == 0 {
                    content += bad.randomElement(using: &rng)!
                } else {
                    let piece = Int.random(in: 0..<3, using: &rng) == 0 ? pieces.randomElement(using: &rng)! : "plain text "
                    content += Array(piece.utf8)
                }
            }
            var record = [0x22] + content
            if Int.random(in: 0..<10, using: &rng) > 0 { record.append(0x22) }
            record += Array(String(repeating: ",", count: Int.random(in: 0...9, using: &rng)).utf8)
            record.withUnsafeBufferPointer { buf in
                var scanned = JSONCursor(buf)
                var skipped = JSONCursor(buf)
                let scanError: JSONParseError?
                do throws(JSONParseError) { _ = try scanned.scanString(); scanError = nil } catch { scanError = error }
                let skipError: JSONParseError?
                do throws(JSONParseError) { try skipped.skipString(); skipError = nil } catch { skipError = error }
                #expect(skipError?.message == scanError?.message, "\(record)")
                #expect(skipError?.offset == scanError?.offset, "\(record)")
                if scanError == nil { #expect(skipped.pos == scanned.pos, "\(record)") }
            }
        }
    }

    /// A member another one replaces may hold anything its field cannot: ksqlDB takes the last
    /// exactly named member, else the last whose name matches ignoring case.
    @Test func aReplacedMemberNeedNotConvert() throws {
        let columns = [Column(name: "T", type: .time), Column(name: "N", type: .bigint)]
        let codec = try JSONRowCodec(columns: columns, options: FormatOptions(), isKey: false)
        func decode(_ text: String) throws(RecordError) -> [Value] { try codec.decode(Array(text.utf8)) }
        #expect(try decode(#"{"t": true, "T": 5}"#) == [.time(5), .null])
        #expect(try decode(#"{"T": 5, "t": true}"#) == [.time(5), .null])
        #expect(try decode(#"{"T": "x", "T": 6, "n": [1], "n": 2}"#) == [.time(6), .bigint(2)])
        #expect(try decode(#"{"n": {"deep": [true]}, "N": 3}"#) == [.null, .bigint(3)])
        // A failure inside a nested object that a later member replaces.
        let nested = try JSONRowCodec(
            columns: [Column(name: "S", type: .structure([StructField(name: "A", type: .integer)])), Column(name: "B", type: .integer)],
            options: FormatOptions(), isKey: false)
        #expect(
            try nested.decode(Array(#"{"s": {"a": {"x": [true]}}, "S": {"a": 1}, "b": 2}"#.utf8))
                == [.structure([StructEntry(name: "A", value: .integer(1))]), .integer(2)])
        #expect(throws: RecordError.self) { try nested.decode(Array(#"{"S": {"a": 1}, "S": {"A": true}}"#.utf8)) }
        // The member that counts still has to convert, and malformed JSON fails whatever comes later.
        #expect(throws: RecordError.self) { try decode(#"{"T": 5, "t": 6, "T": true}"#) }
        #expect(throws: RecordError.self) { try decode(#"{"t": true}"#) }
        #expect(throws: RecordError.self) { try decode(#"{"t": [1,}, "T": 5}"#) }
    }

    /// Records with members in any order and spelling, duplicates, escapes and odd numbers,
    /// decoded by the codec and by the tree path.
    @Test func recordsDecodeAsTheTreePathReadsThem() throws {
        var rng = SplitMix64(seed: 22)
        let columns = [
            Column(name: "AUCTION", type: .bigint), Column(name: "PRICE", type: .integer), Column(name: "TS", type: .timestamp),
            Column(name: "CHANNEL", type: .string), Column(name: "D", type: .date), Column(name: "T", type: .time),
            Column(name: "dec", type: .decimal(precision: 10, scale: 2)), Column(name: "X", type: .double),
        ]
        let codec = try JSONRowCodec(columns: columns, options: FormatOptions(), isKey: false)
        let skipping = codec.skippingUnreadStrings([true, true, true, false, true, true, true, true])
        // Values each column's type accepts, values of the wrong kind (which fail the record only
        // when no later member replaces them), and two syntax errors.
        let wrongKinds = ["\"x\"", "true", "[1]", "{\"a\":1}"]
        let integers = [
            "0", "-0", "17", "-17", "1700000000000", "123456789012345678", "9223372036854775807", "-9223372036854775808",
            "18446744073709551617", "2147483648", "1.5", "-1.25", "1e2", "2E-1", "0.5e1", "\"12\"", "null", "007", "1.",
        ] + wrongKinds
        let pools: [[String]] = [
            integers, integers, integers, integers + ["\"\""], integers, integers,
            ["0", "-0", "17", "1.5", "-1.25", "1e2", "2E-1", "\"12\"", "null", "007"] + wrongKinds,
            ["0", "-0", "17", "1.5", "1e2", "\"12\"", "null", "123456789012345678", "1."] + wrongKinds,
        ]
        let keySpellings = columns.map { Self.spellings(of: $0.name, &rng) + [$0.name.lowercased()] }
        var agreed = 0
        for _ in 0..<3000 {
            var members: [String] = []
            for (i, _) in columns.enumerated() where Int.random(in: 0..<5, using: &rng) > 0 {
                let spellings = keySpellings[i]
                var key = Bool.random(using: &rng) ? columns[i].name.lowercased() : spellings[Int.random(in: 0..<spellings.count, using: &rng)]
                if !key.isEmpty, Int.random(in: 0..<20, using: &rng) == 0 { key = "\\u00" + String(key.utf8.first!, radix: 16) + key.dropFirst() }
                let value = pools[i][Int.random(in: 0..<pools[i].count, using: &rng)]
                members.append("\"\(key)\":\(value)")
                if Int.random(in: 0..<10, using: &rng) == 0 { members.append("\"\(key)\": \(value)") }
            }
            if Int.random(in: 0..<4, using: &rng) == 0 { members.shuffle(using: &rng) }
            if Bool.random(using: &rng) { members.insert("\"other\":{\"deep\":[1,\"\\\"\"]}", at: 0) }
            let record = "{" + members.joined(separator: Bool.random(using: &rng) ? "," : " , ") + "}"
            let tree = try? JSONCoercion.row(JSONParser.parse(record), columns: columns)
            let decoded = try? codec.decode(Array(record.utf8))
            #expect(decoded == tree, "\(record)")
            // Skipping the STRING column changes nothing else.
            if let tree {
                var expected = tree
                expected[3] = .null
                #expect((try? skipping.decode(Array(record.utf8))) == expected, "\(record)")
            }
            if decoded != nil { agreed += 1 }
        }
        // Both accepted and rejected records are exercised.
        #expect(agreed > 300 && agreed < 2700)
    }
}

/// `decode(_:into:)` reuses the caller's array: a copy someone else holds is never changed, and
/// a record decoded into a used array equals one decoded fresh.
@Suite struct JSONRowDecodeIntoTests {
    let codec: JSONRowCodec = {
        let columns = [Column(name: "A", type: .bigint), Column(name: "B", type: .string)]
        return try! JSONRowCodec(columns: columns, options: FormatOptions(), isKey: false)
    }()

    func decode(_ text: String, into values: inout [Value]) throws(RecordError) {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { (buf) throws(RecordError) in try codec.decode(buf, into: &values) }
    }

    @Test func aSharedArrayIsLeftAlone() throws {
        var values: [Value] = []
        try decode(#"{"A": 1, "B": "one"}"#, into: &values)
        let kept = values
        try decode(#"{"A": 2}"#, into: &values)
        #expect(kept == [.bigint(1), .string("one")])
        #expect(values == [.bigint(2), .null])
    }

    /// The caller's array may have grown past the columns (header columns go after them).
    @Test func aLongerArrayIsCutToTheColumns() throws {
        var values: [Value] = [.string("a"), .bigint(2), .string("c"), .null, .bigint(5)]
        try decode(#"{"B": "two"}"#, into: &values)
        #expect(values == [.null, .string("two")])
        values.append(.string("header"))
        try decode(#"{"A": 3}"#, into: &values)
        #expect(values == [.bigint(3), .null])
    }

    @Test func aFailedRecordDoesNotLeakIntoTheNext() throws {
        var values: [Value] = []
        try decode(#"{"A": 1, "B": "one"}"#, into: &values)
        #expect(throws: RecordError.self) { try decode(#"{"A": 7, "B": oops}"#, into: &values) }
        try decode(#"{"B": "three"}"#, into: &values)
        #expect(values == [.null, .string("three")])
    }
}
